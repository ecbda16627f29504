"""Transcribing while the user speaks, so that at stop only the tail is left.

Audio arrives in small pieces (16 kHz mono) through :meth:`LiveTranscription.feed`,
which only queues them. One background thread cuts the stream at pauses
(:mod:`chunker`) and transcribes each finished chunk while recording goes on; words
are shifted to their time in the whole take. :meth:`finish` waits for what is in
flight and transcribes only the unfinished tail. Audio already transcribed is not
kept, so memory stays flat however long the take.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable

import numpy as np

from mock_interview.core.audio import SAMPLE_RATE
from mock_interview.core.chunker import Chunk, Chunker, ChunkerOptions, VadFn
from mock_interview.core.transcribe import Transcriber
from mock_interview.core.words import Word

_END = object()


class LiveTranscription:
    def __init__(
        self,
        transcriber: Transcriber,
        on_words: Callable[[list[Word]], None] | None = None,
        options: ChunkerOptions | None = None,
        vad: VadFn | None = None,
    ) -> None:
        self.transcriber = transcriber
        self.on_words = on_words
        self.chunker = Chunker(options, vad=vad) if vad else Chunker(options)
        self._inbox: queue.Queue = queue.Queue()
        self._words: list[Word] = []
        self._lock = threading.Lock()
        self._received = 0
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self.chunks_transcribed = 0
        self._thread = threading.Thread(target=self._run, name="live-transcription", daemon=True)
        self._thread.start()

    def feed(self, samples: np.ndarray) -> None:
        """Queue audio; never blocks the caller (the UI's timer or the recorder)."""
        if len(samples):
            self._received += len(samples)
            self._inbox.put(samples)

    @property
    def words(self) -> list[Word]:
        with self._lock:
            return list(self._words)

    @property
    def received_s(self) -> float:
        return self._received / SAMPLE_RATE

    def _transcribe(self, chunk: Chunk) -> None:
        words = [w.shifted(chunk.offset_s) for w in self.transcriber.transcribe(chunk.samples)]
        self.chunks_transcribed += 1
        if not words:
            return
        with self._lock:
            self._words.extend(words)
            snapshot = list(self._words)
        if self.on_words:
            self.on_words(snapshot)

    def _run(self) -> None:
        try:
            while True:
                item = self._inbox.get()
                if self._cancelled.is_set():
                    return
                if item is _END:
                    for chunk in self.chunker.finish():
                        self._transcribe(chunk)
                    return
                # Take everything queued at once: one VAD pass instead of many.
                pieces = [item]
                while True:
                    try:
                        nxt = self._inbox.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is _END:
                        self._inbox.put(_END)
                        break
                    pieces.append(nxt)
                for chunk in self.chunker.feed(np.concatenate(pieces)):
                    self._transcribe(chunk)
        except BaseException as exc:  # surfaced by finish()
            self._error = exc

    def finish(self) -> list[Word]:
        """Transcribe what is left and return every word of the take, in order."""
        self._inbox.put(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.words

    def cancel(self) -> None:
        self._cancelled.set()
        self._inbox.put(_END)
