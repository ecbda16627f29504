"""Voice activity detection with the Silero VAD model that faster-whisper ships (ONNX)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.words import Word


@dataclass(frozen=True)
class Region:
    start: float
    end: float

    def shifted(self, offset: float) -> "Region":
        """The same stretch (a :class:`Sound` keeps its name) ``offset`` seconds later."""
        return replace(self, start=round(self.start + offset, 3), end=round(self.end + offset, 3))


@dataclass(frozen=True)
class Sound(Region):
    """A stretch the VAD heard that the model named as a sound, not speech: laughter, a sigh."""

    name: str = "laughter"


def speech_regions(
    samples: np.ndarray, threshold: float = 0.5, min_silence_ms: int = 300, pad_ms: int = 200
) -> list[Region]:
    """Where in ``samples`` (16 kHz mono) someone is speaking, in seconds: faster-whisper's
    ``get_speech_timestamps`` with these options (and its defaults for the rest), over Silero's
    probabilities for ``samples`` (:func:`speech_probabilities`)."""
    if len(samples) < SAMPLE_RATE // 10:
        return []
    return _regions(speech_probabilities(samples), len(samples), threshold, min_silence_ms, pad_ms)


def _regions(
    probs: np.ndarray, n_samples: int, threshold: float, min_silence_ms: int, pad_ms: int, shift_n: int = 0
) -> list[Region]:
    """The speech in ``n_samples`` whose frames' probabilities are ``probs`` (:func:`_speech_spans`), in
    seconds, ``shift_n`` samples later (a span that would start before 0 starts at 0, one that would
    end there is dropped)."""
    spans = _speech_spans(probs, n_samples, threshold, min_silence_ms * SAMPLE_RATE // 1000, pad_ms * SAMPLE_RATE // 1000)
    return [Region(max(0, a + shift_n) / SAMPLE_RATE, (b + shift_n) / SAMPLE_RATE) for a, b in spans if b + shift_n > 0]


FRAME = 512
"""Silero's frame at 16 kHz, in samples: one speech probability each."""
_REMEMBERED = 256
"""Pieces whose probabilities are kept (a few KB each). A file's chunk is checked while the chunks
after it are cut and decoded, and the cutter's looks (every half second) come in between: with
the last 4 kept, the check heard a 4-minute recording's chunks again (0.2 s of its VAD's 2 s)."""
_probs: OrderedDict[tuple[int, bytes], np.ndarray] = OrderedDict()
_probs_lock = threading.Lock()


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Silero's speech probability for each :data:`FRAME` of ``samples`` (the last zero-padded), as
    faster-whisper's ``get_speech_timestamps`` computes them. The last few are remembered by the
    audio they came from: a chunk of a take is heard by the VAD up to three times (the coverage
    check, the decode's gate and, at the end of a take, the cut), with other settings but the
    same probabilities; measured on the corpus, these repeats were a third of the VAD's time."""
    audio = samples.astype(np.float32, copy=False)
    key = (len(audio), hashlib.blake2b(audio.tobytes(), digest_size=16).digest())
    with _probs_lock:
        if key in _probs:
            _probs.move_to_end(key)
            return _probs[key]
    from faster_whisper.vad import get_vad_model

    padded = np.pad(audio, (0, FRAME - len(audio) % FRAME))
    probs = np.asarray(get_vad_model()(padded), dtype=np.float32).ravel()
    with _probs_lock:
        _probs[key] = probs
        while len(_probs) > _REMEMBERED:
            _probs.popitem(last=False)
    return probs


CONTEXT = 64
"""Samples of the frame before that Silero hears with each frame (faster-whisper's model)."""


UNHEARD_MAX_S = 60.0
"""Audio a :class:`StreamVad` holds before it hears it unasked."""


class StreamVad:
    """Silero's speech probabilities for a whole stream, each frame heard once.

    The model carries its state from frame to frame, so a piece heard on its own is heard
    otherwise than the same audio in its stream: from a fresh state it is deaf to the first
    second or so of speech, and in noise it can stay apart for many seconds (a 12 dB corpus
    file: 0.7 s of speech 19 s into a chunk heard by one pass over the file and not by the
    chunk alone). These probabilities are exactly one :func:`speech_probabilities` pass over the
    whole stream, however the audio arrives. Frames are heard when :meth:`regions` first needs
    them, on the thread that asks (a file's coverage check, beside the next chunk's decode), and
    their audio is then let go; one thread may feed while another asks."""

    def __init__(self) -> None:
        self._unheard: list[np.ndarray] = []
        """Audio fed and not yet heard (the last frame's part-frame included)."""
        self._context = np.zeros((1, CONTEXT), dtype=np.float32)
        self._state: tuple[np.ndarray, np.ndarray] | None = None
        self._probs: list[np.ndarray] = []
        self._heard_n = 0
        """Samples of the stream whose frames have been heard."""
        self._fed_n = 0
        self._lock = threading.Lock()

    def feed(self, samples: np.ndarray) -> None:
        with self._lock:
            self._unheard.append(samples.astype(np.float32, copy=False))
            self._fed_n += len(samples)
            if self._fed_n - self._heard_n > UNHEARD_MAX_S * SAMPLE_RATE:
                self._hear(self._fed_n)  # nobody asked for a while: memory stays bounded

    def _hear(self, upto_n: int) -> None:
        """Hear the whole frames fed before stream sample ``upto_n`` (with the lock held)."""
        frames_n = (min(upto_n, self._fed_n) - self._heard_n) // FRAME * FRAME
        if frames_n <= 0:
            return
        audio = np.concatenate(self._unheard) if len(self._unheard) != 1 else self._unheard[0]
        frames, self._unheard = audio[:frames_n].reshape(-1, FRAME), [audio[frames_n:]]
        from faster_whisper.vad import get_vad_model

        before = np.concatenate([self._context, frames[:-1, -CONTEXT:]])
        h, c = self._state or (np.zeros((1, 1, 128), dtype=np.float32), np.zeros((1, 1, 128), dtype=np.float32))
        out, h, c = get_vad_model().session.run(None, {"input": np.concatenate([before, frames], 1), "h": h, "c": c})
        self._state = (h, c)
        self._context = frames[-1:, -CONTEXT:].copy()
        self._probs.append(np.asarray(out, dtype=np.float32).ravel())
        self._heard_n += frames_n

    def regions(
        self, start_n: int, end_n: int, threshold: float = 0.5, min_silence_ms: int = 300, pad_ms: int = 200
    ) -> list[Region]:
        """Speech between stream samples ``start_n`` and ``end_n``, in seconds from ``start_n``, found
        as :func:`speech_regions` finds it, from the frames wholly inside (so the same whatever was
        fed after ``end_n``: a live take's look-ahead hears the same at any moment)."""
        with self._lock:
            self._hear(end_n)
            if len(self._probs) > 1:
                self._probs = [np.concatenate(self._probs)]
            probs = self._probs[0] if self._probs else np.zeros(0, dtype=np.float32)
        f0, f1 = start_n // FRAME, min(end_n // FRAME, len(probs))
        if f1 <= f0:
            return []
        at = f0 * FRAME
        return _regions(probs[f0:f1], end_n - at, threshold, min_silence_ms, pad_ms, shift_n=at - start_n)


def united(*region_lists: Sequence[Region]) -> list[Region]:
    """The stretches any of ``region_lists`` holds, overlapping or touching ones merged, in time order."""
    out: list[Region] = []
    for r in sorted((r for rs in region_lists for r in rs), key=lambda r: r.start):
        if out and r.start <= out[-1].end:
            if r.end > out[-1].end:
                out[-1] = Region(out[-1].start, r.end)
        else:
            out.append(Region(r.start, r.end))
    return out


def _speech_spans(
    probs: np.ndarray, n_samples: int, threshold: float, min_silence: int, pad: int
) -> list[tuple[int, int]]:
    """faster-whisper's ``get_speech_timestamps`` after its model call, for the options
    :func:`speech_regions` sets (no shortest speech, no longest): speech starts at a frame at
    ``threshold`` or above and ends where ``min_silence`` samples or more stay below
    ``threshold`` - 0.15; each span is then padded by ``pad`` samples, half the gap where two
    would meet. ``tests/test_vad.py`` holds it to faster-whisper's on real audio."""
    neg = max(threshold - 0.15, 0.01)
    spans: list[list[int]] = []
    start: int | None = None
    temp_end = 0
    for i, p in enumerate(probs):
        at = FRAME * i
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and start is None:
            start = at
            continue
        if p < neg and start is not None:
            if not temp_end:
                temp_end = at
            if at - temp_end < min_silence:
                continue
            if temp_end - start > 0:
                spans.append([start, temp_end])
            start, temp_end = None, 0
    if start is not None and n_samples - start > 0:
        spans.append([start, n_samples])
    for i, span in enumerate(spans):
        if i == 0:
            span[0] = int(max(0, span[0] - pad))
        if i != len(spans) - 1:
            gap = spans[i + 1][0] - span[1]
            if gap < 2 * pad:
                span[1] += int(gap // 2)
                spans[i + 1][0] = int(max(0, spans[i + 1][0] - gap // 2))
            else:
                span[1] = int(min(n_samples, span[1] + pad))
                spans[i + 1][0] = int(max(0, spans[i + 1][0] - pad))
        else:
            span[1] = int(min(n_samples, span[1] + pad))
    return [(a, b) for a, b in spans]


def silences(
    regions: Sequence[Region], before: float | None = None, after: float | None = None
) -> list[tuple[float, float]]:
    """The silences between speech ``regions`` (in time order), as (start, end); with ``before``,
    also the one from then to the first region, and with ``after``, the one from the last region
    to then."""
    out = [(a.end, b.start) for a, b in zip(regions, regions[1:])]
    if before is not None:
        out.insert(0, (before, regions[0].start if regions else before if after is None else after))
    if after is not None and regions:
        out.append((regions[-1].end, after))
    return out


def words_in_speech(words: Sequence[Word], regions: Sequence[Region], slack_s: float = 0.3) -> list[Word]:
    """Drop words before the first or after the last speech the VAD hears: invented ones.

    Words between speech regions are kept: Silero does not count a hummed "mmm" as
    speech, but it is a filler the user made.
    """
    if not regions:
        return []
    first, last = regions[0].start - slack_s, regions[-1].end + slack_s
    return [w for w in words if w.end >= first and w.start <= last]
