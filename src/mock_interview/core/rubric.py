"""Judging which rubric points an answer covered.

A point is covered when a sentence of the answer says it in one of its listed
phrasings. Words are compared by their stems (so "retrained" matches "retraining"),
ignoring case and punctuation, tolerating small transcription misspellings, and
allowing a few other words in between ("roll the model back" says "roll back").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from mock_interview.core.analysis import Sentence
from mock_interview.core.fillers import normalise
from mock_interview.core.questions import Question, RubricPoint

MAX_GAP = 3
"""Other words allowed between two words of a phrasing."""
FUZZY_MIN_LEN = 5
FUZZY_SCORE = 84.0

_STOPWORDS = frozenset(
    """a an the of to in on for at by with and or is are was were be been it its this
    that these those we i you they our my your their".""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


Term = tuple[str, str]
"""A word as (stem, spelling): stems catch inflections, spellings catch typos."""


def stems(text: str) -> list[Term]:
    return [(stem(w), w) for w in normalise(text).split()]


@lru_cache(maxsize=200_000)
def _same(a: Term, b: Term) -> bool:
    if a[0] == b[0]:
        return True
    if min(len(a[1]), len(b[1])) < FUZZY_MIN_LEN:
        return False
    from rapidfuzz.fuzz import ratio

    return ratio(a[1], b[1]) >= FUZZY_SCORE


def phrase_in(phrase: Sequence[Term], text: Sequence[Term], max_gap: int = MAX_GAP) -> bool:
    """Whether ``phrase`` occurs in ``text`` in order, with at most ``max_gap`` words between its words."""
    if not phrase:
        return False

    def match_from(pi: int, ti: int) -> bool:
        if pi == len(phrase):
            return True
        for tj in range(ti, min(len(text), ti + max_gap + 1)):
            if _same(phrase[pi], text[tj]) and match_from(pi + 1, tj + 1):
                return True
        return False

    return any(_same(phrase[0], t) and match_from(1, i + 1) for i, t in enumerate(text))


def _content(stemmed: list[Term]) -> list[Term]:
    kept = [s for s in stemmed if s[1] not in _STOPWORDS]
    return kept or stemmed


@dataclass(frozen=True)
class Evidence:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class PointResult:
    id: str
    point: str
    covered: bool
    evidence: Evidence | None
    phrasing: str | None
    strong: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "point": self.point,
            "covered": self.covered,
            "evidence": self.evidence.text if self.evidence else None,
            "evidence_start": self.evidence.start if self.evidence else None,
            "evidence_end": self.evidence.end if self.evidence else None,
            "matched": self.phrasing,
            "strong": self.strong,
        }


def judge_point(point: RubricPoint, sentences: Sequence[Sentence]) -> PointResult:
    texts = [_content(stems(s.text)) for s in sentences]
    for phrasing in point.phrasings:
        wanted = _content(stems(phrasing))
        for s, text in zip(sentences, texts):
            if phrase_in(wanted, text):
                return PointResult(point.id, point.point, True, Evidence(s.text, s.start, s.end), phrasing, point.strong)
    return PointResult(point.id, point.point, False, None, None, point.strong)


def judge(question: Question | None, sentences: Sequence[Sentence]) -> list[PointResult]:
    if question is None:
        return []
    return [judge_point(p, sentences) for p in question.rubric]
