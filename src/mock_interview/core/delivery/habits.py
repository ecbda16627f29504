"""Language habits heard in the words: hedges, crutch words and sentence openers.

They are counted apart from fillers, and a word already counted as a filler ("kind
of", "basically" in the middle of a sentence) is not counted again as a hedge or a
crutch word.

**Hedges** soften a claim the speaker could simply make:

- always: "maybe", "perhaps", "probably", "possibly", "i guess", "i suppose",
  "i feel like", "i'm not sure", "a little bit", "somewhat";
- "i think" and "i believe" (and "i just think"), unless they are asked or have an object ("do I think",
  "I think about drift");
- "just" as a softener ("I just think", "we just wanted"), not as time or exactness
  ("just in time", "just now", "just before", "just as", "just the one").

Words inside quotation marks are someone else's ("she asked, “maybe roll back?”") and
are not counted.

**Crutch words** are words and short phrases leaned on out of habit, for emphasis or to fill
("actually", "really", "honestly", "in terms of", "at the end of the day"), not counted as
fillers or hedges: the top few said at least :data:`CRUTCH_MIN` times (a phrase twice). The
answer's own subject ("model", "pipeline") is never one.

**Openers** are the words a sentence starts with out of habit ("So,", "Basically,",
"Well,", "Okay,", "Now,", "Yeah,", "Anyway,", "And so"). An opener may also be a filler
("Basically,"); the two lists are reported separately and not added together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from mock_interview.core.text import tokenize
from mock_interview.core.speech.words import Word

ALWAYS_HEDGES = (
    ("maybe",), ("perhaps",), ("probably",), ("possibly",), ("i", "guess"), ("i", "suppose"),
    ("i", "feel", "like"), ("i'm", "not", "sure"), ("a", "little", "bit"), ("somewhat",),
)
# "I think"/"I believe" asked ("do I think") or with an object ("I think about") are not hedges.
_BELIEF_VERBS = frozenset({"think", "believe"})
_ASKING_BEFORE = frozenset("do did don't didn't what why how would could should".split())
_OBJECT_AFTER = frozenset({"about", "of", "so", "in", "it", "through", "back"})
# "just" followed by these is about time or exactness, not a softener.
_JUST_LITERAL_AFTER = frozenset(
    """in now then before after as when once about enough right the one two three four five
    six seven eight nine ten a an like because since""".split()
)
_DETERMINERS = frozenset("a an the this that".split())

OPENERS = (("and", "so"), ("so",), ("basically",), ("well",), ("okay",), ("ok",), ("now",), ("yeah",),
           ("anyway",), ("alright",), ("right",))
CRUTCH_MIN = 3
CRUTCH_TOP = 5

CRUTCH_WORDS = frozenset(
    """actually really honestly obviously essentially definitely totally absolutely seriously clearly
    simply truly genuinely frankly super stuff whatever anyway huge crazy awesome amazing incredibly
    extremely massively""".split()
)
"""Words that add emphasis or vagueness rather than content, overused out of habit ("we actually
fixed it, and it was actually huge"). Counted from :data:`CRUTCH_MIN`. The answer's own subject
is not a habit: counting every repeated word beyond stop words made "model" the top crutch word
of 32 of 318 written stories, and "data" of 13, for a question about models and data."""

CRUTCH_PHRASES = (
    ("at", "the", "end", "of", "the", "day"), ("to", "be", "honest"), ("pretty", "much"),
    ("and", "stuff", "like", "that"), ("and", "things", "like", "that"), ("stuff", "like", "that"),
    ("and", "so", "on"), ("or", "whatever"), ("at", "this", "point"), ("in", "terms", "of"),
    ("the", "thing", "is"), ("or", "something"), ("and", "everything"), ("going", "forward"),
    ("moving", "forward"), ("to", "be", "fair"), ("for", "sure"),
)
"""Phrases people lean on; each counted from ``CRUTCH_MIN - 1``, since it is long."""


@dataclass(frozen=True)
class Said:
    text: str
    start: float
    end: float

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Habits:
    hedges: list[Said] = field(default_factory=list)
    crutch_words: list[tuple[str, int]] = field(default_factory=list)
    openers: list[Said] = field(default_factory=list)
    speaking_s: float = 0.0

    @property
    def hedges_per_min(self) -> float:
        return round(len(self.hedges) * 60.0 / self.speaking_s, 1) if self.speaking_s > 0 else 0.0

    def opener_counts(self) -> list[tuple[str, int]]:
        return Counter(o.text for o in self.openers).most_common()

    def to_dict(self) -> dict:
        return {
            "hedges": [h.to_dict() for h in self.hedges],
            "hedge_count": len(self.hedges),
            "hedges_per_min": self.hedges_per_min,
            "crutch_words": [{"text": t, "count": c} for t, c in self.crutch_words],
            "openers": [o.to_dict() for o in self.openers],
        }


def _quoted(words: Sequence[Word]) -> list[bool]:
    """Which words are inside quotation marks."""
    inside, out = False, []
    for w in words:
        tok = tokenize(w.text)
        opens = any(q in tok.before for q in "\"“")
        closes = any(q in tok.after for q in "\"”")
        out.append(inside or opens)
        if opens and not closes:
            inside = True
        elif closes:
            inside = False
    return out


def _matches(seq: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(seq[i : i + len(phrase)]) == phrase


def _hedge_at(seq: list[str], i: int) -> int:
    """The number of words of a hedge starting at word ``i`` (0 if none)."""
    for phrase in ALWAYS_HEDGES:
        if _matches(seq, i, phrase):
            return len(phrase)
    w = seq[i]
    prev = seq[i - 1] if i else ""
    nxt = seq[i + 1] if i + 1 < len(seq) else ""
    if w == "i" and nxt == "just" and i + 2 < len(seq) and seq[i + 2] in _BELIEF_VERBS:
        return 3  # "I just think": one softened claim
    if w == "i" and nxt in _BELIEF_VERBS:
        after = seq[i + 2] if i + 2 < len(seq) else ""
        if prev not in _ASKING_BEFORE and after not in _OBJECT_AFTER:
            return 2
    if w == "just" and nxt and nxt not in _JUST_LITERAL_AFTER and prev not in _DETERMINERS:
        return 1
    return 0


def find_habits(
    words: Sequence[Word],
    filler_flags: Sequence[bool],
    sentence_starts: Sequence[int],
    speaking_s: float = 0.0,
) -> Habits:
    """Hedges, crutch words and openers of a take's words (``sentence_starts``: word indices)."""
    seq = [tokenize(w.text).word for w in words]
    quoted = _quoted(words)
    habits = Habits(speaking_s=speaking_s)
    used = [bool(f) or not s for f, s in zip(filler_flags, seq)]
    i = 0
    while i < len(seq):
        n = 0 if used[i] or quoted[i] else _hedge_at(seq, i)
        if n and not any(used[i : i + n]):
            habits.hedges.append(Said(" ".join(seq[i : i + n]), words[i].start, words[i + n - 1].end))
            for k in range(i, i + n):
                used[k] = True
            i += n
        else:
            i += 1
    for s in sentence_starts:
        for phrase in OPENERS:
            if _matches(seq, s, phrase) and s + len(phrase) < len(seq):
                habits.openers.append(Said(" ".join(phrase), words[s].start, words[s + len(phrase) - 1].end))
                break
    habits.crutch_words = crutch_words(seq, used)
    return habits


def crutch_words(seq: list[str], used: Sequence[bool]) -> list[tuple[str, int]]:
    """The crutch phrases and words (:data:`CRUTCH_PHRASES`, :data:`CRUTCH_WORDS`) said most, with
    counts, most first; words ``used`` (fillers, hedges) are not counted again."""
    counts: Counter[str] = Counter()
    taken = list(used)
    for i in range(len(seq)):
        for phrase in CRUTCH_PHRASES:
            if _matches(seq, i, phrase) and not any(taken[i : i + len(phrase)]):
                counts[" ".join(phrase)] += 1
                taken[i : i + len(phrase)] = [True] * len(phrase)
    for w, u in zip(seq, taken):
        if not u and w in CRUTCH_WORDS:
            counts[w] += 1
    kept = [(t, c) for t, c in counts.items() if c >= (CRUTCH_MIN - 1 if " " in t else CRUTCH_MIN)]
    kept.sort(key=lambda tc: (-tc[1], tc[0]))
    return kept[:CRUTCH_TOP]


def _counted(texts: Sequence[str]) -> str:
    return ", ".join(f"“{t}” ×{c}" for t, c in Counter(texts).most_common())


def observations(habits: dict) -> list[str]:
    """The habits of a report (its ``to_dict``) in words, with counts."""
    hedges = habits.get("hedges") or []
    out = [
        f"{len(hedges)} hedge{'s' if len(hedges) != 1 else ''} ({habits.get('hedges_per_min', 0.0):.1f} a minute)"
        + (f": {_counted([h['text'] for h in hedges])}" if hedges else "")
    ]
    if habits.get("crutch_words"):
        out.append("said most: " + ", ".join(f"“{c['text']}” ×{c['count']}" for c in habits["crutch_words"]))
    if habits.get("openers"):
        out.append("sentences opened with " + _counted([o["text"] for o in habits["openers"]]))
    return out
