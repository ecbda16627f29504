"""Voice activity detection with the Silero VAD model that faster-whisper ships (ONNX)."""

from __future__ import annotations

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
    """Where in ``samples`` (16 kHz mono) someone is speaking, in seconds."""
    if len(samples) < SAMPLE_RATE // 10:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(
        samples.astype(np.float32, copy=False),
        VadOptions(threshold=threshold, min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms),
    )
    return [Region(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


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
