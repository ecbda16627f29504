"""Does the streamed path (`analyze`, the app) hold every word one transcribe() call holds?

    .venv/bin/python bench/make_corpus.py --out /work/gen/corpus
    .venv/bin/python bench/parity.py [--corpus /work/gen/corpus] [--split dev|test|all] [--model tiny.en|base]
    .venv/bin/python bench/parity.py --stories [--split dev|test]   (after bench/story.py has voiced them)
    .venv/bin/python bench/parity.py --stories --split dev --noise 12   (the same answers in hum and hiss)

Per file of the corpus (and of ../shared/speech, group ``shared``), and per group and
overall:
- ``lost``: content words (fillers aside) of one ``transcribe()`` call over the whole
  file, with the same options, where the streamed transcript has no word at all (none
  within 0.5 s) nor the same word within 3 s (stamps are rough and collapse to a point at
  a window's edge): speech the stream dropped, as a share of the one call's content words;
  only the one call's words that the reference has count (the matching blocks of the two
  word sequences, fillers aside, as ``--verbose`` aligns the one call with the stream): a word
  nobody said (a loop over noise) lost is no speech lost; ``any`` counts those too;
- ``diff``: the same words missing from an alignment of the two texts (deletions, and
  the excess of replacements): this also counts a word heard differently ("and here
  are" against "here's"), which two independent decodes of the same audio do;
- ``uncov``: speech the VAD hears in the whole file (stretches of 0.5 s or more) that no
  word of the streamed transcript covers (nor a sound the coverage check named, such as
  laughter, where the stream reports them), as a share of speech time; ``silent``: of that, what the
  report does not mark "[not transcribed]" either (speech lost without a word said about it: the
  coverage check's promise is that this is none);
- WER against the reference of `analyze` (streamed, coverage check on), of the one call,
  and of faster-whisper called with its own defaults (``plain``);
- filler recall and precision of `analyze`;
- ``pauses``: silences the VAD hears, 2 s or longer, between the first and the last word, and how
  many of them the report shows as a long pause (one covering at least half of the silence): the
  other side of "speech is never a pause";
- time over audio of `analyze` (transcription and report) and of the one call, model loaded.
The split comes from the corpus manifest (fixed seed); nothing is tuned on ``test``.
``--stories`` measures the labelled story corpus of ``bench/data`` instead, as ``bench/story.py``
voiced it (espeak-ng and Piper, groups ``story-espeak`` and ``story-piper``): its dev split,
and its two frozen splits as ``test``; 94 min of held-out synthetic speech against the
corpus' 11.
``--noise DB`` adds bench/make_corpus.py's noise (hiss and hum) at that speech-to-noise ratio to
every file first, seeded by the file's name (a copy in a temporary folder): speech the corpus
has in only a few files, and where the filler prompt costs the most words.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

from mock_interview.core.delivery.analysis import DEFAULT_PAUSE_S, Pause
from mock_interview.core.evaluate import Score, detected_fillers, reference_tokens, score, without_fillers
from mock_interview.core.report import build_report
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio
from mock_interview.core.speech.coverage import bare_stretches, covering_spans
from mock_interview.core.speech.engine import transcribe_file
from mock_interview.core.speech.transcribe import PLAIN, WhisperTranscriber
from mock_interview.core.speech.vad import silences, speech_regions
from mock_interview.core.speech.words import Word

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOCK_INTERVIEW_SPEECH", ROOT.parent / "shared" / "speech"))


def content(words) -> list[str]:
    return without_fillers([t for w in words for t in reference_tokens(w.text)])


def lost_in_time(whole, streamed, within_s: float = 0.5, same_word_s: float = 3.0) -> list:
    """Content words of ``whole`` with no streamed word within ``within_s`` of them, and no
    streamed word that is the same within ``same_word_s``: Whisper's stamps are rough on
    both sides, and collapse to a point at the edge of a window (a word at 73.08-73.08 can
    belong seconds away), so a word is lost only if neither its time nor its text is found."""
    spans = covering_spans(streamed, within_s)  # a word stretched over skipped speech covers only its ends
    said = [(content([w]), w.start, w.end) for w in streamed]
    lost = []
    for w in whole:
        words = content([w])
        if not words:
            continue
        if any(a <= w.end and w.start <= b for a, b in spans):
            continue
        if any(t == words and a - same_word_s <= w.end and w.start <= b + same_word_s for t, a, b in said):
            continue
        lost.append(w)
    return lost


def unsaid(whole, ref: str) -> set[int]:
    """Indices in ``whole`` of the words none of whose content words lies in a block the one call's
    words share with the reference (difflib's matching blocks, fillers aside): words the one call
    wrote that nobody said (a loop, "I'm not thrilled for it" three times over a noisy "Montreal
    forced aligner"). Losing one loses no speech."""
    tokens, owner = [], []
    for i, w in enumerate(whole):
        for t in content([w]):
            tokens.append(t)
            owner.append(i)
    said = set()
    for op, a0, a1, _b0, _b1 in difflib.SequenceMatcher(None, tokens, without_fillers(reference_tokens(ref)), autojunk=False).get_opcodes():
        if op == "equal":
            said.update(owner[a0:a1])
    return {i for i in set(owner) if i not in said}


def lost_words(whole: list[str], streamed: list[str]) -> int:
    """Words of ``whole`` with no counterpart in ``streamed``: deletions, and the excess of replacements."""
    lost = 0
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, whole, streamed, autojunk=False).get_opcodes():
        if op == "delete":
            lost += a1 - a0
        elif op == "replace":
            lost += max(0, (a1 - a0) - (b1 - b0))
    return lost


def files(corpus: Path, split: str) -> list[tuple[Path, str, str, str | None]]:
    out = []
    manifest = corpus / "manifest.json"
    if manifest.is_file():
        for f in json.loads(manifest.read_text())["files"]:
            if split in ("all", f["split"]):
                out.append((corpus / f"{f['name']}.wav", f["group"], f["split"], None))
    if split in ("all", "shared"):
        for p in sorted([*SHARED.glob("*.*"), *SHARED.glob("clips/*.*")]):
            if p.suffix in {".wav", ".flac"} and p.with_suffix(".txt").is_file():
                out.append((p, "shared", "shared", None))
    return out


ASKED: dict[Path, str] = {}
"""The question id each voiced story answers (:func:`story_files`)."""


def story_files(cache: Path, split: str) -> list[tuple[Path, str, str, str | None]]:
    """The labelled story corpus' answers as ``bench/story.py`` voiced them (its cache), each
    with its text as the reference: ``dev`` is the story corpus' dev split, ``test`` its two
    frozen splits (``test`` and ``test2``). Groups ``story-espeak`` and ``story-piper``."""
    sys.path.insert(0, str(Path(__file__).parent))
    from story import _key
    from story_corpus import load

    out = []
    for name, splits in (("dev", ("dev",)), ("test", ("test", "test2"))):
        if split not in ("all", name):
            continue
        for part in splits:
            for story in load(part):
                for voice in ("espeak", "piper"):
                    wav = cache / voice / f"{story.id}-{_key(story.text)}.wav"
                    if wav.is_file():
                        out.append((wav, f"story-{voice}", name, story.text))
                        ASKED[wav] = story.question
    return out


def asked_words(question_id: str | None) -> list[str]:
    """What the app tells the decoder before an answer to a question of the shipped banks
    (``core.report.asked``; none for None)."""
    if question_id is None:
        return []
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.report import asked
    from mock_interview.core.store.banks import load_banks

    return asked(find_question(load_banks(), question_id))


def with_noise(path: Path, snr_db: float, folder: Path) -> Path:
    """A copy of ``path`` in ``folder`` at bench/make_corpus.py's normal level with its noise at
    ``snr_db``, the same for the same file name whichever files ran before it."""
    import numpy as np
    import soundfile

    sys.path.insert(0, str(Path(__file__).parent))
    from make_corpus import finish

    rng = np.random.default_rng(zlib.crc32(path.name.encode()))
    out = folder / path.parent.name / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(out, finish(load_audio(path).samples, "normal", snr_db, rng), SAMPLE_RATE, subtype="PCM_16")
    return out


def silences_shown(regions: list, words: list[Word], pauses: list[Pause], min_s: float = DEFAULT_PAUSE_S) -> tuple[int, int]:
    """Silences between VAD speech ``regions`` at least ``min_s`` long inside the answer (after its
    first word starts, before its last ends), and how many a reported long pause covers at least
    half of."""
    if not words:
        return 0, 0
    first, last = words[0].start, words[-1].end
    inside = [(a, b) for a, b in silences(regions) if b - a >= min_s and a >= first and b <= last]
    shown = sum(1 for s0, s1 in inside if any(min(p.end, s1) - max(p.start, s0) >= (s1 - s0) / 2 for p in pauses))
    return len(inside), shown


def fresh(model: str | None, options=None) -> WhisperTranscriber:
    t = WhisperTranscriber(model, options=options)
    t.load()
    return t


class Tally:
    def __init__(self) -> None:
        self.stream, self.whole, self.plain = Score(), Score(), Score()
        self.lost = self.lost_any = self.diff = self.content = 0
        self.worst_diff = 0.0
        self.speech_s = self.uncovered_s = self.silent_s = self.audio_s = self.analyze_s = self.one_s = 0.0
        self.worst_lost = 0.0
        self.n = 0
        self.silences = self.shown = 0
        self.pairs: list[tuple[int, int, int]] = []
        """Per file: analyze's word errors, plain's, reference words (for :meth:`interval`)."""

    def add(self, row: dict) -> None:
        for k in ("stream", "whole", "plain"):
            getattr(self, k).add(row[k])
        self.lost += row["lost"]
        self.lost_any += row["lost_any"]
        self.diff += row["diff"]
        self.worst_diff = max(self.worst_diff, row["diff"] / max(1, row["content"]))
        self.content += row["content"]
        self.speech_s += row["speech_s"]
        self.uncovered_s += row["uncovered_s"]
        self.silent_s += row["silent_s"]
        self.audio_s += row["audio_s"]
        self.analyze_s += row["analyze_s"]
        self.one_s += row["one_s"]
        self.worst_lost = max(self.worst_lost, row["lost"] / max(1, row["content"]))
        self.silences += row["silences"]
        self.shown += row["shown"]
        self.n += 1
        self.pairs.append((row["stream"].word_errors, row["plain"].word_errors, row["stream"].ref_words))

    def interval(self, draws: int = 2000) -> tuple[float, float]:
        """95% interval of analyze's WER less plain's, files resampled with their pairs (a paired
        bootstrap, fixed seed): how far apart the two could be on this much audio."""
        rng = random.Random(7)
        out = []
        for _ in range(draws):
            picked = [rng.choice(self.pairs) for _ in self.pairs]
            out.append(sum(a - b for a, b, _ in picked) / max(1, sum(n for _, _, n in picked)))
        out.sort()
        return out[int(0.025 * draws)], out[int(0.975 * draws) - 1]

    def line(self, name: str) -> str:
        s = self.stream
        spread = ""
        if self.n > 1:
            lo, hi = self.interval()
            spread = f"(analyze-plain 95% {lo * 100:+.1f}..{hi * 100:+.1f} pts)  "
        return (
            f"{name:<22} {self.n:>3} {self.audio_s / 60:6.1f}m  lost {self.lost / max(1, self.content):6.2%} "
            f"(worst {self.worst_lost:6.2%}; any {self.lost_any / max(1, self.content):.2%})  diff {self.diff / max(1, self.content):6.2%} "
            f"(worst {self.worst_diff:6.2%})  uncov {self.uncovered_s / max(1e-9, self.speech_s):6.2%} "
            f"(silent {self.silent_s / max(1e-9, self.speech_s):.2%})  "
            f"WER analyze {s.wer:.3f} one {self.whole.wer:.3f} plain {self.plain.wer:.3f}  {spread}"
            f"fillers R {s.recall:.2f} P {s.precision:.2f} ({s.ref_fillers})  pauses {self.shown}/{self.silences}  "
            f"RTF analyze {self.analyze_s / self.audio_s:.3f} one {self.one_s / self.audio_s:.3f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/work/gen/corpus"))
    ap.add_argument("--split", default="all", choices=["dev", "test", "shared", "all"])
    ap.add_argument("--model", default=None, help="tiny.en (bundled, default), base, or a model folder")
    ap.add_argument("--group", default=None, help="only this file group (real, espeak, piper, shared)")
    ap.add_argument("--verbose", action="store_true", help="print what the streamed path lost")
    ap.add_argument("--only", default=None, help="only these files (names without extension, comma-separated)")
    ap.add_argument("--stories", type=Path, nargs="?", const=Path("/work/gen/story"), default=None,
                    help="the voiced story corpus instead (bench/story.py's cache, default /work/gen/story)")
    ap.add_argument("--asked", nargs="?", const="incident", default=None, metavar="QUESTION_ID",
                    help="tell the streamed path the question asked before the answer, as the app does: a story's "
                         "own question, other files this one (default incident)")
    ap.add_argument("--noise", type=float, default=None, metavar="DB",
                    help="add the corpus' noise at this speech-to-noise ratio (dB) to every file first")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    found = story_files(args.stories, args.split) if args.stories else files(args.corpus, args.split)
    chosen = [f for f in found if args.group in (None, f[1]) and (not only or f[0].stem in only)]
    if not chosen:
        make = "bench/story.py --split dev,test,test2" if args.stories else f"bench/make_corpus.py --out {args.corpus}"
        print(f"parity: no files (make them first: {make})", file=sys.stderr)
        return 2
    whisper = WhisperTranscriber(args.model)
    whisper.load()
    tallies: dict[str, Tally] = defaultdict(Tally)
    print(f"model {whisper.name}, {len(chosen)} files, cpu threads {whisper.cpu_threads}, cores {os.cpu_count()}")
    noisy_dir = tempfile.TemporaryDirectory(prefix="parity-noise-") if args.noise is not None else None
    for path, group, split, text in chosen:
        ref = text if text is not None else path.with_suffix(".txt").read_text(encoding="utf-8")
        said_before = asked_words(ASKED.get(path, args.asked) if args.asked else None)
        if noisy_dir:
            path = with_noise(path, args.noise, Path(noisy_dir.name))
        audio = load_audio(path)
        # Each path of each file gets a model of its own, loaded before the clock starts: the
        # decoder samples unsure windows from a generator seeded when a model first samples,
        # so each file's figures are the same whichever files ran before it (--only, a split).
        whisper, one, plain = (fresh(args.model), fresh(args.model), fresh(args.model, PLAIN))
        t0 = time.perf_counter()
        heard = transcribe_file(path, whisper, said_before=said_before)
        report = build_report(heard.words, heard.duration_s, uncovered=heard.uncovered, sounds=heard.sounds)
        t1 = time.perf_counter()
        whole = one.transcribe(audio.samples, context=said_before)
        t2 = time.perf_counter()
        plain_words = plain.transcribe(audio.samples)
        regions = speech_regions(audio.samples)
        speech_s = sum(r.end - r.start for r in regions)
        # A non-speech sound the coverage check named (laughter) was heard, not lost.
        sounds = [Word("", r.start, r.end) for r in heard.sounds]
        uncovered_s = sum(r.end - r.start for r in bare_stretches(regions, [*heard.words, *sounds]))
        marked = [Word("", r.start, r.end) for r in heard.uncovered]
        silent_s = sum(r.end - r.start for r in bare_stretches(regions, [*heard.words, *sounds, *marked]))
        fillers = detected_fillers(f.text for f in report.analysis.fillers)
        c_whole, c_stream = content(whole), content(heard.words)
        nobody = {id(whole[i]) for i in unsaid(whole, ref)}
        every = lost_in_time(whole, heard.words)
        dropped = [w for w in every if id(w) not in nobody]
        silences, shown = silences_shown(regions, heard.words, report.analysis.pauses)
        row = {
            "stream": score(ref, [w.text for w in heard.words], fillers),
            "whole": score(ref, [w.text for w in whole], detected_fillers(
                f.text for f in build_report(whole, audio.duration_s).analysis.fillers)),
            "plain": score(ref, [w.text for w in plain_words], detected_fillers(())),
            "lost": len(content(dropped)),
            "lost_any": len(content(every)),
            "diff": lost_words(c_whole, c_stream),
            "content": len(c_whole),
            "speech_s": speech_s,
            "uncovered_s": uncovered_s,
            "silent_s": silent_s,
            "audio_s": audio.duration_s,
            "analyze_s": t1 - t0,
            "one_s": t2 - t1,
            "silences": silences,
            "shown": shown,
        }
        one = Tally()
        one.add(row)
        name = path.stem if text is None else f"{path.parent.name[0]}/{path.stem}"
        print(one.line(name[:22]) + (f"  marked {len(heard.uncovered)}" if heard.uncovered else ""), flush=True)
        if args.verbose and every:
            for label, which in (("lost", dropped), ("lost, not said", [w for w in every if id(w) in nobody])):
                if which:
                    print(f"    {label}: " + ", ".join(f"{w.text!r} {w.start:.1f}-{w.end:.1f}" for w in which))
        if args.verbose and row["diff"]:
            sm = difflib.SequenceMatcher(None, c_whole, c_stream, autojunk=False)
            for op, a0, a1, b0, b1 in sm.get_opcodes():
                if op in ("delete", "replace") and (a1 - a0) > (b1 - b0):
                    print(f"    one call: {' '.join(c_whole[a0:a1])!r}  streamed: {' '.join(c_stream[b0:b1])!r}")
        for key in ("all", f"{split}", f"{split}/{group}"):
            tallies[key].add(row)
        if noisy_dir:
            path.unlink()  # the noisy copy: one file's worth of disk at a time
    print()
    for key in sorted(tallies, key=lambda k: (k != "all", k)):
        print(tallies[key].line(key))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
