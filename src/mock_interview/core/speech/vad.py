"""Voice activity detection with the Silero VAD model that faster-whisper ships (ONNX)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.words import Word


@dataclass(frozen=True)
class Region:
    start: float
    end: float


@dataclass(frozen=True)
class Sound(Region):
    """A stretch the VAD heard that the model named as a sound, not speech: laughter, a sigh."""

    name: str = "laughter"


WINDOW = 512
"""Samples per Silero VAD frame (32 ms at 16 kHz)."""

_KEEP = 8
_probabilities: OrderedDict[tuple[int, bytes], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Silero's speech probability for each :data:`WINDOW` of ``samples`` (16 kHz mono).

    One piece of a take is heard by the VAD several times (where to cut it, which speech its
    words cover, which words fall outside speech), with different settings; the model runs
    once per piece: the last few pieces' probabilities are kept, by their bytes.
    """
    audio = np.ascontiguousarray(samples, dtype=np.float32)
    key = (len(audio), hashlib.blake2b(audio.tobytes(), digest_size=16).digest())
    with _lock:
        if key in _probabilities:
            _probabilities.move_to_end(key)
            return _probabilities[key]
    from faster_whisper.vad import get_vad_model

    padded = np.pad(audio, (0, WINDOW - len(audio) % WINDOW))
    probs = np.asarray(get_vad_model()(padded), dtype=np.float32).reshape(-1)
    with _lock:
        _probabilities[key] = probs
        while len(_probabilities) > _KEEP:
            _probabilities.popitem(last=False)
    return probs


def speech_regions(
    samples: np.ndarray, threshold: float = 0.5, min_silence_ms: int = 300, pad_ms: int = 200
) -> list[Region]:
    """Where in ``samples`` (16 kHz mono) someone is speaking, in seconds.

    faster-whisper's ``get_speech_timestamps`` (no limit on a region's length, no shortest
    region) over :func:`speech_probabilities`: speech starts where the probability reaches
    ``threshold`` and ends where it stays below ``threshold - 0.15`` for ``min_silence_ms``;
    regions are padded by ``pad_ms`` each side, or meet halfway where the gap is shorter.
    """
    if len(samples) < SAMPLE_RATE // 10:
        return []
    n = len(samples)
    probs = speech_probabilities(samples)
    low = max(threshold - 0.15, 0.01)
    min_silence = SAMPLE_RATE * min_silence_ms / 1000
    pad = SAMPLE_RATE * pad_ms / 1000
    spans: list[list[int]] = []
    start: int | None = None
    quiet_from = 0
    for i, p in enumerate(probs):
        at = WINDOW * i
        if p >= threshold and quiet_from:
            quiet_from = 0
        if p >= threshold and start is None:
            start = at
            continue
        if p < low and start is not None:
            if not quiet_from:
                quiet_from = at
            if at - quiet_from < min_silence:
                continue
            if quiet_from - start > 0:
                spans.append([start, quiet_from])
            start, quiet_from = None, 0
    if start is not None and n - start > 0:
        spans.append([start, n])
    for i, span in enumerate(spans):
        if i == 0:
            span[0] = int(max(0, span[0] - pad))
        if i < len(spans) - 1:
            gap = spans[i + 1][0] - span[1]
            if gap < 2 * pad:
                span[1] += int(gap // 2)
                spans[i + 1][0] = int(max(0, spans[i + 1][0] - gap // 2))
            else:
                span[1] = int(min(n, span[1] + pad))
                spans[i + 1][0] = int(max(0, spans[i + 1][0] - pad))
        else:
            span[1] = int(min(n, span[1] + pad))
    return [Region(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in spans]


def words_in_speech(words: Sequence[Word], regions: Sequence[Region], slack_s: float = 0.3) -> list[Word]:
    """Drop words before the first or after the last speech the VAD hears: invented ones.

    Words between speech regions are kept: Silero does not count a hummed "mmm" as
    speech, but it is a filler the user made.
    """
    if not regions:
        return []
    first, last = regions[0].start - slack_s, regions[-1].end + slack_s
    return [w for w in words if w.end >= first and w.start <= last]
