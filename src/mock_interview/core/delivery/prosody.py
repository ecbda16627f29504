"""How the answer sounded: pitch and loudness, measured with Praat (praat-parselmouth).

The audio becomes a :class:`Contour`: pitch (Hz, 0 where the frame is not voiced) and
intensity (dB) every 10 ms. It is computed segment by segment, each segment with a
margin of audio on both sides, so a live take can measure each finished stretch while
the user goes on speaking (:class:`ProsodyStream`) and get the same frames as a whole
file. :func:`measure_prosody` turns the contour and the timed words into the numbers
of the report:

- pitch median (Hz) and pitch range: the spread between the 10th and 90th percentile of
  the voiced frames, in semitones (robust to the odd octave error of the tracker);
- intensity level (median dB of the voiced frames) and variation (10th to 90th
  percentile, dB);
- the same per 30-second window of the answer, and a one-value-a-second track for
  sparklines;
- sentence ends that trail off: the last word's loudness well below the rest of the
  sentence;
- statements (not ending in "?") whose last voiced stretch rises as a question would.

The thresholds (:data:`FLAT_RANGE_ST`, :data:`TRAIL_DB`, :data:`RISE_ST`) were chosen by
``bench/prosody.py`` on the dev part of a generated set (espeak-ng flat and varied,
Piper) and checked on its held-out part and on real recordings.
"""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.words import Word

FRAME_S = 0.01
PITCH_FLOOR_HZ = 60.0
PITCH_CEILING_HZ = 500.0
SEGMENT_S = 5.0
"""Audio is measured in segments this long (a live take: as each one is recorded)."""
MARGIN_S = 0.5
"""Audio on each side of a segment that the analysis windows may look into."""
WINDOW_S = 30.0
TRACK_S = 1.0

FLAT_RANGE_ST = 1.4
"""A pitch range (10th to 90th percentile) below this many semitones sounds flat."""
TYPICAL_RANGE_ST = (4.0, 10.0)
"""What the real speakers measured span (bench/prosody.py): the report's comparison."""
TRAIL_DB = 6.4
"""A sentence's last word this many dB below the sentence's other words trails off."""
RISE_ST = 2.3
"""A sentence end whose last voiced stretch climbs this many semitones rises."""
MIN_SENTENCE_WORDS = 3
MIN_VOICED_FRAMES = 10
"""Fewer voiced frames than this (0.1 s) measure nothing: the values are None."""


@dataclass(frozen=True)
class Contour:
    """Pitch (Hz, 0 where unvoiced) and intensity (dB) of frame k, centred at (k + 0.5) * FRAME_S."""

    pitch: np.ndarray
    intensity: np.ndarray

    @property
    def duration_s(self) -> float:
        return len(self.pitch) * FRAME_S

    def span(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        a, b = max(0, int(round(start / FRAME_S))), max(0, int(round(end / FRAME_S)))
        return self.pitch[a:b], self.intensity[a:b]


EMPTY = Contour(np.zeros(0, np.float32), np.zeros(0, np.float32))


def _measure_segment(samples: np.ndarray, offset_s: float, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Pitch and intensity of global frames ``first`` to ``last`` (exclusive) from audio starting at ``offset_s``."""
    import parselmouth

    n = last - first
    pitch = np.zeros(n, np.float32)
    intensity = np.zeros(n, np.float32)
    if n <= 0 or len(samples) < int(0.1 * SAMPLE_RATE):
        return pitch, intensity
    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=SAMPLE_RATE)
    centres = (np.arange(first, last) + 0.5) * FRAME_S - offset_s
    p = sound.to_pitch_ac(time_step=FRAME_S, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    f0 = p.selected_array["frequency"]
    if len(f0):
        idx = np.clip(np.round((centres - p.x1) / p.dx).astype(int), 0, len(f0) - 1)
        near = np.abs(p.x1 + idx * p.dx - centres) <= p.dx
        pitch = np.where(near, f0[idx], 0.0).astype(np.float32)
    try:
        it = sound.to_intensity(minimum_pitch=PITCH_FLOOR_HZ * 1.5, time_step=FRAME_S, subtract_mean=False)
    except parselmouth.PraatError:  # a segment shorter than the intensity window
        return pitch, intensity
    values = it.values[0]
    if len(values):
        xs = it.x1 + np.arange(len(values)) * it.dx
        intensity = np.interp(centres, xs, np.maximum(values, 0.0)).astype(np.float32)
    return pitch, intensity


class ProsodyStream:
    """Measures 16 kHz audio as it arrives, a segment at a time; memory holds one segment."""

    def __init__(self) -> None:
        self._buf: list[np.ndarray] = []
        self._buffered = 0
        self._buf_start = 0
        """Sample index (in the whole stream) of the first buffered sample."""
        self._done = 0
        """Frames measured so far."""
        self._pitch: list[np.ndarray] = []
        self._intensity: list[np.ndarray] = []

    def add(self, block: np.ndarray) -> None:
        if not len(block):
            return
        self._buf.append(np.asarray(block, np.float32))
        self._buffered += len(block)
        seg = int(round(SEGMENT_S / FRAME_S))
        margin = int(MARGIN_S * SAMPLE_RATE)
        while self._buf_start + self._buffered >= (self._done + seg) * FRAME_S * SAMPLE_RATE + margin:
            self._measure(self._done + seg)

    def _measure(self, last: int) -> None:
        audio = np.concatenate(self._buf) if len(self._buf) != 1 else self._buf[0]
        offset_s = self._buf_start / SAMPLE_RATE
        upto = int(round(last * FRAME_S * SAMPLE_RATE)) + int(MARGIN_S * SAMPLE_RATE) - self._buf_start
        pitch, intensity = _measure_segment(audio[:upto], offset_s, self._done, last)
        self._pitch.append(pitch)
        self._intensity.append(intensity)
        self._done = last
        keep_from = max(self._buf_start, int(round(last * FRAME_S * SAMPLE_RATE)) - int(MARGIN_S * SAMPLE_RATE))
        rest = audio[keep_from - self._buf_start :]
        self._buf, self._buffered, self._buf_start = [rest], len(rest), keep_from

    def finish(self) -> Contour:
        total = self._buf_start + self._buffered
        last = int(total / SAMPLE_RATE / FRAME_S)
        if last > self._done:
            self._measure(last)
        if not self._pitch:
            return EMPTY
        return Contour(np.concatenate(self._pitch), np.concatenate(self._intensity))


def contour_of(samples: np.ndarray | Iterable[np.ndarray]) -> Contour:
    """The contour of 16 kHz mono audio (an array, or blocks of one), as a live take measures it."""
    stream = ProsodyStream()
    for block in [samples] if isinstance(samples, np.ndarray) else samples:
        stream.add(block)
    return stream.finish()


class LiveProsody:
    """A :class:`ProsodyStream` on its own thread: ``feed`` never blocks; ``close`` starts on the
    tail (so it runs beside the transcriber's), ``finish`` waits for it and returns the contour."""

    _END = object()

    def __init__(self) -> None:
        self._inbox: queue.Queue = queue.Queue()
        self._stream = ProsodyStream()
        self._result: Contour | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="live-prosody", daemon=True)
        self._thread.start()

    def feed(self, samples: np.ndarray) -> None:
        if len(samples):
            self._inbox.put(np.array(samples, np.float32))

    def _run(self) -> None:
        try:
            while True:
                item = self._inbox.get()
                if item is self._END:
                    self._result = self._stream.finish()
                    return
                self._stream.add(item)
        except BaseException as exc:  # surfaced by finish()
            self._error = exc

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._inbox.put(self._END)

    def finish(self) -> Contour:
        self.close()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result or EMPTY

    def cancel(self) -> None:
        self.close()


# --- from the contour and the words to the report's numbers --------------------------


def semitones(hz: np.ndarray | float, ref: float) -> np.ndarray | float:
    return 12.0 * np.log2(np.asarray(hz) / ref)


def _r(x: float | None, nd: int = 1) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), nd)


@dataclass(frozen=True)
class Levels:
    pitch_median_hz: float | None
    pitch_range_st: float | None
    intensity_db: float | None
    intensity_range_db: float | None


def levels(pitch: np.ndarray, intensity: np.ndarray) -> Levels:
    """Pitch and intensity over the voiced frames; None without enough voiced speech."""
    voiced = pitch > 0
    if int(voiced.sum()) < MIN_VOICED_FRAMES:
        return Levels(None, None, None, None)
    f0 = pitch[voiced].astype(np.float64)
    db = intensity[voiced].astype(np.float64)
    p10, p50, p90 = np.percentile(f0, [10, 50, 90])
    i10, i50, i90 = np.percentile(db, [10, 50, 90])
    return Levels(_r(p50), _r(semitones(p90, p10)), _r(i50), _r(i90 - i10))


@dataclass(frozen=True)
class ProsodyWindow:
    start: float
    end: float
    levels: Levels

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, **self.levels.__dict__}


@dataclass(frozen=True)
class SentenceEnd:
    start: float
    end: float
    text: str
    amount: float
    """dB below the sentence (trailing off) or semitones climbed (rising)."""

    def to_dict(self, unit: str) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, unit: self.amount}


@dataclass
class Prosody:
    levels: Levels
    windows: list[ProsodyWindow] = field(default_factory=list)
    trailing_off: list[SentenceEnd] = field(default_factory=list)
    rising_statements: list[SentenceEnd] = field(default_factory=list)
    sentences: int = 0
    """Sentences long enough to judge their ends."""
    pitch_track: list[float | None] = field(default_factory=list)
    """Median pitch (Hz) of each second of the answer; None where nothing was voiced."""
    intensity_track: list[float | None] = field(default_factory=list)

    @property
    def flat(self) -> bool | None:
        r = self.levels.pitch_range_st
        return None if r is None else r < FLAT_RANGE_ST

    def to_dict(self) -> dict:
        return {
            **self.levels.__dict__,
            "flat": self.flat,
            "windows": [w.to_dict() for w in self.windows],
            "trailing_off": [s.to_dict("drop_db") for s in self.trailing_off],
            "rising_statements": [s.to_dict("rise_st") for s in self.rising_statements],
            "sentences": self.sentences,
            "track": {"step_s": TRACK_S, "pitch_hz": self.pitch_track, "intensity_db": self.intensity_track},
        }


def range_word(range_st: float) -> str:
    """"flat" below :data:`FLAT_RANGE_ST`; else narrow, varied or wide against :data:`TYPICAL_RANGE_ST`."""
    low, high = TYPICAL_RANGE_ST
    if range_st < FLAT_RANGE_ST:
        return "flat"
    return "narrow" if range_st < low else ("wide" if range_st > high else "varied")


def observations(prosody: dict) -> list[str]:
    """The prosody of a report (its ``to_dict``) in words: what was measured, with the numbers."""
    low, high = TYPICAL_RANGE_ST
    rng = prosody.get("pitch_range_st")
    if rng is None:
        return ["no voiced speech to measure pitch or loudness"]
    word = range_word(rng)
    out = [
        f"pitch range {rng:.1f} semitones: {word}; most speakers vary {low:.0f} to {high:.0f}"
        f" (median pitch {prosody['pitch_median_hz']:.0f} Hz)",
        f"loudness varies {prosody['intensity_range_db']:.1f} dB around {prosody['intensity_db']:.0f} dB",
    ]
    n = prosody.get("sentences") or 0
    trail, rise = prosody.get("trailing_off") or [], prosody.get("rising_statements") or []
    if n:
        out.append(f"{len(trail)} of {n} sentence ends trail off (last word {TRAIL_DB:.1f} dB or more quieter)"
                   + _at(trail))
        out.append(f"{len(rise)} of {n} statements end rising ({RISE_ST:.1f} semitones or more), as a question would"
                   + _at(rise))
    return out


def _at(ends: list[dict], most: int = 5) -> str:
    times = [f"{int(e['start'] // 60)}:{e['start'] % 60:04.1f}" for e in ends[:most]]
    return f": at {', '.join(times)}" + (" …" if len(ends) > most else "") if times else ""


def _word_level(intensity: np.ndarray) -> float | None:
    """A word's loudness: the 90th percentile of its frames (its edges are often silence)."""
    if len(intensity) < 3:
        return None
    return float(np.percentile(intensity, 90))


MIN_WORD_S = 0.2
"""Whisper often gives a sentence's last word almost no time: look at least this long."""


def end_drop_db(contour: Contour, words: Sequence[Word], next_start: float | None = None) -> float | None:
    """How many dB the last word sits below the median of the sentence's other words.

    ``next_start``: when the next word begins, so a stretched last word stays its own.
    """
    if len(words) < MIN_SENTENCE_WORDS:
        return None
    spans = [(w.start, w.end) for w in words[:-1]]
    last = words[-1]
    end = max(last.end, last.start + MIN_WORD_S)
    spans.append((last.start, min(end, next_start) if next_start is not None else end))
    levels_ = [_word_level(contour.span(a, b)[1]) for a, b in spans]
    final, rest = levels_[-1], [x for x in levels_[:-1] if x is not None]
    if final is None or len(rest) < MIN_SENTENCE_WORDS - 1:
        return None
    return float(np.median(rest)) - final


END_S = 0.6
"""The final stretch of a sentence whose pitch movement decides a rise."""


def end_rise_st(contour: Contour, words: Sequence[Word], median_hz: float | None = None) -> float | None:
    """Semitones the sentence's last voiced frames sit above the lowest point of its final stretch.

    A statement falls to its end (about 0); a question read aloud climbs from a low point.
    Frames more than an octave from ``median_hz`` (the take's) are tracker errors and left out.
    """
    if not words:
        return None
    end = words[-1].end + 0.1  # Whisper's word ends are often a little early
    start = max(words[0].start, end - END_S)
    pitch, _ = contour.span(start, end)
    f0 = pitch[pitch > 0].astype(np.float64)
    if median_hz:
        f0 = f0[(f0 > median_hz / 2) & (f0 < median_hz * 2)]
    if len(f0) < MIN_VOICED_FRAMES:
        return None
    smooth = np.array([np.median(f0[max(0, i - 2) : i + 3]) for i in range(len(f0))])
    return float(semitones(np.median(smooth[-5:]), smooth.min()))


def _track(values: np.ndarray, voiced: np.ndarray, start: float, end: float, step: float) -> list[float | None]:
    out: list[float | None] = []
    t = start
    while t < end - 1e-9:
        a, b = int(round(t / FRAME_S)), int(round(min(t + step, end) / FRAME_S))
        v = values[a:b][voiced[a:b]]
        out.append(_r(float(np.median(v))) if len(v) >= 3 else None)
        t += step
    return out


def measure_prosody(
    contour: Contour,
    words: Sequence[Word],
    sentences: Sequence[tuple[int, int]],
    window_s: float = WINDOW_S,
) -> Prosody:
    """The prosody of a take from its contour, its words and its sentences (first, last word index).

    Take-level figures use every voiced frame of the recording; windows and tracks span
    the answer, from its first word to its last (the whole recording if no word was heard).
    """
    result = Prosody(levels(contour.pitch, contour.intensity))
    if result.levels.pitch_median_hz is None:
        return result
    t0, t1 = (words[0].start, words[-1].end) if words else (0.0, contour.duration_s)
    t = t0
    while t < t1 - 1e-9:
        end = min(t + window_s, t1)
        result.windows.append(ProsodyWindow(round(t, 2), round(end, 2), levels(*contour.span(t, end))))
        t = end
    voiced = contour.pitch > 0
    result.pitch_track = _track(contour.pitch, voiced, t0, t1, TRACK_S)
    result.intensity_track = _track(contour.intensity, voiced, t0, t1, TRACK_S)
    for first, last in sentences:
        ws = words[first : last + 1]
        if len(ws) < MIN_SENTENCE_WORDS:
            continue
        result.sentences += 1
        text = " ".join(w.text.strip() for w in ws)
        drop = end_drop_db(contour, ws, words[last + 1].start if last + 1 < len(words) else None)
        if drop is not None and drop >= TRAIL_DB:
            result.trailing_off.append(SentenceEnd(ws[-1].start, ws[-1].end, text, round(drop, 1)))
        if not ws[-1].text.rstrip("\"')” ").endswith("?"):
            rise = end_rise_st(contour, ws, result.levels.pitch_median_hz)
            if rise is not None and rise >= RISE_ST:
                result.rising_statements.append(SentenceEnd(ws[-1].start, ws[-1].end, text, round(rise, 1)))
    return result
