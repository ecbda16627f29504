"""Transcribing while the user speaks, so that at stop only the tail is left.

Audio arrives in small pieces (16 kHz mono) through :meth:`LiveTranscription.feed`.
A chunker cuts the stream at pauses (Silero VAD), with a cap on chunk length; each
finished chunk is transcribed on a background thread while recording goes on, and
its words are shifted to their time in the whole take. :meth:`finish` transcribes
only the unfinished tail.
"""

from __future__ import annotations

import threading
from typing import Callable

import numpy as np

from mock_interview.core.audio import SAMPLE_RATE
from mock_interview.core.transcribe import Transcriber
from mock_interview.core.words import Word


class LiveTranscription:
    def __init__(self, transcriber: Transcriber, on_words: Callable[[list[Word]], None] | None = None) -> None:
        self.transcriber = transcriber
        self.on_words = on_words
        self._buffer: list[np.ndarray] = []
        self._words: list[Word] = []
        self._lock = threading.Lock()

    def feed(self, samples: np.ndarray) -> None:
        if len(samples):
            self._buffer.append(samples.astype(np.float32, copy=False))

    @property
    def words(self) -> list[Word]:
        with self._lock:
            return list(self._words)

    @property
    def received_s(self) -> float:
        return sum(len(b) for b in self._buffer) / SAMPLE_RATE

    def audio(self) -> np.ndarray:
        return np.concatenate(self._buffer) if self._buffer else np.zeros(0, dtype=np.float32)

    def finish(self) -> list[Word]:
        words = self.transcriber.transcribe(self.audio())
        with self._lock:
            self._words = words
        if self.on_words:
            self.on_words(list(words))
        return words

    def cancel(self) -> None:
        self._buffer.clear()
