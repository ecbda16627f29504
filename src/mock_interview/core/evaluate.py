"""Scoring transcripts against references: filler recall and precision, word error rate.

Used by ``bench/accuracy.py`` and the real-model tests. Whisper's English normaliser
is deliberately not used: it deletes "um" and "uh". Like it, numbers are compared as
said: "91%" and "ninety-one percent", "30,000" and "thirty thousand", "1" and "one" are
the same words (:func:`spoken_numbers`), and so are British and American spellings
("labelled" and "labeled", "prioritise" and "prioritize", "OK" and "okay": :func:`us_spelling`),
since a transcript that writes either has lost nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from mock_interview.core.delivery.fillers import is_hesitation
from mock_interview.core.text import said_words

HESITATION = "hesitation"
YOU_KNOW = "you know"


_SPELLING = (
    (re.compile(r"(?<=[a-z]{2})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{3}[aeiou])ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"(?<=[a-z]{2})tre(s?)$"), r"ter\1"),
    (re.compile(r"^ok$"), "okay"),
)


def us_spelling(word: str) -> str:
    """One spelling for words Whisper writes the American way: applied to the reference and the
    transcript alike, so a word it changes that has no other spelling ("promise" -> "promize")
    still matches itself."""
    for pattern, to in _SPELLING:
        word = pattern.sub(to, word)
    return word


def reference_tokens(text: str) -> list[str]:
    """A reference transcript's words: no [laughter]-style tags, "yknow" spelt out, numbers as said."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    words = said_words(text.replace("-", " "))
    out: list[str] = []
    for w in words:
        out += ["you", "know"] if w in {"yknow", "y'know"} else [us_spelling(w)]
    return out


def filler_counts(tokens: list[str]) -> Counter:
    counts: Counter = Counter()
    for i, w in enumerate(tokens):
        if is_hesitation(w):
            counts[HESITATION] += 1
        elif w == "you" and i + 1 < len(tokens) and tokens[i + 1] == "know":
            counts[YOU_KNOW] += 1
    return counts


def without_fillers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if is_hesitation(tokens[i]):
            i += 1
        elif tokens[i] == "you" and i + 1 < len(tokens) and tokens[i + 1] == "know":
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


@dataclass
class Score:
    ref_fillers: int = 0
    hyp_fillers: int = 0
    matched_fillers: int = 0
    word_errors: int = 0
    ref_words: int = 0

    def add(self, other: "Score") -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def recall(self) -> float:
        return self.matched_fillers / self.ref_fillers if self.ref_fillers else 1.0

    @property
    def precision(self) -> float:
        return self.matched_fillers / self.hyp_fillers if self.hyp_fillers else 1.0

    @property
    def wer(self) -> float:
        return self.word_errors / self.ref_words if self.ref_words else 0.0


def score(reference: str, hypothesis_tokens: Iterable[str], hypothesis_fillers: Counter) -> Score:
    """Score one file. ``hypothesis_fillers`` counts per class what the detector found."""
    ref = reference_tokens(reference)
    hyp = [t for w in hypothesis_tokens for t in reference_tokens(w)]
    ref_f = filler_counts(ref)
    ref_clean, hyp_clean = without_fillers(ref), without_fillers(hyp)
    return Score(
        ref_fillers=sum(ref_f.values()),
        hyp_fillers=sum(hypothesis_fillers.values()),
        matched_fillers=sum(min(ref_f[k], hypothesis_fillers[k]) for k in ref_f),
        word_errors=edit_distance(ref_clean, hyp_clean),
        ref_words=len(ref_clean),
    )


def detected_fillers(filler_texts: Iterable[str]) -> Counter:
    """Classify the analysis' fillers into the classes references mark."""
    counts: Counter = Counter()
    for text in filler_texts:
        if is_hesitation(text):
            counts[HESITATION] += 1
        elif text in {YOU_KNOW, "yknow", "y'know"}:
            counts[YOU_KNOW] += 1
    return counts


def reference_for(audio: Path) -> str | None:
    ref = audio.with_suffix(".txt")
    return ref.read_text(encoding="utf-8") if ref.is_file() else None
