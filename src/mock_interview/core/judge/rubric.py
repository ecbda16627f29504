"""Judging which rubric points an answer covered.

A point is covered when the answer says one of its phrasings. A phrasing is one or
more *parts* joined by ``+``; every part must be said within one sentence or two
adjacent ones, in any order, and close together. A part lists alternatives joined by
``|``; an alternative is a phrase whose words come in order, with a few other words
allowed in between ("roll the new model back" says "roll back"). A two-word term of the
vocabulary may also come reversed ("drift in the data" says "data drift").

Words are compared by stem ("retrained" says "retraining"), ignoring case,
punctuation, articles and spoken fillers; misspellings of longer
words and split or joined compounds ("post mortem", "rollback") are tolerated. A
phrase preceded in its clause by a negation ("we never rolled back") does not count.
Phrasings widen through the shared vocabulary (:mod:`mock_interview.core.judge.vocabulary`):
a phrasing that says "PSI" also hears "population stability index".

A point marked ``generic`` (a number, a lesson: things any story has) is counted only
when the answer is on topic (:func:`on_topic`: the topic model places it at this question,
or it also covers one of the question's other points and the model does not rule the
question out), so that an answer to a different question does not collect them. A
behavioral question of the user's own bank, which the model does not know, takes any story.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from mock_interview.core.delivery.analysis import Sentence
from mock_interview.core.delivery.fillers import find_fillers
from mock_interview.core.text import normalise, tokenize
from mock_interview.core.judge import topic
from mock_interview.core.judge.questions import Question, RubricPoint
from mock_interview.core.judge.vocabulary import MODALS, NEGATORS, NUMBER_WORDS, SYNONYMS, VOCABULARY, WISHES

MAX_GAP = 2
"""Other words allowed between two words of a phrase."""
REVERSED_GAP = 1
"""Other words allowed between the two words of a two-word phrase said the other way round."""
WINDOW_SENTENCES = 1
"""The parts of one phrasing must be said within this many adjacent sentences."""
SPAN_WORDS = 40
"""The parts of one phrasing must all lie within this many words."""
NEGATION_REACH = 5
"""How many words before a phrase a negation still applies (within its clause)."""
FUZZY_MIN_LEN = 6
FUZZY_SCORE = 88.0
"""Words this long that start alike and score this high (rapidfuzz ratio) are taken as the
same word misheard: "populaton" is "population", "clashed" is not "crashed"."""

IGNORED = frozenset(
    """a an the of to in on at by for with from into onto about as is are was were be been
    being am it its it's this that these those there and or so then also just really very
    quite um uh""".split()
)
"""Words that cost nothing when they stand between the words of a phrase."""
ARTICLES = frozenset({"a", "an", "the"})
"""Words a phrasing does not need: "the previous version" is said by "a previous version".
A phrasing of one word and its article keeps the article: "the catch" is not "catch"."""

_CLAUSE_END = ",.;:!?…-–—"
_JOINED = (
    (re.compile(r"\binstead\s+of\b", re.I), " insteadof "),
    (re.compile(r"\brather\s+than\b", re.I), " ratherthan "),
    (re.compile(r"\b(had|have|has)\s+to\b", re.I), r" \1to "),  # "we had to launch" is no launch yet
)
_JOINED_NEGATORS = {"insteadof": "instead_of", "ratherthan": "rather_than"}


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Tok:
    """One meaningful word of the answer."""

    word: str
    stem: str
    clause_start: bool
    """A clause boundary (punctuation, a sentence end) comes right before this word."""
    sentence: int
    ignorable: bool = False
    """One of :data:`IGNORED`."""


def _prepare(text: str) -> str:
    text = text.replace("\u2019", "'").replace("%", " percent ")
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"(\d)([A-Za-z])", r"\1 \2", text)
    for pattern, joined in _JOINED:
        text = pattern.sub(joined, text)
    return text


def words_of(text: str, sentence: int = 0) -> list[Tok]:
    """The words of one sentence as the matcher sees them: spoken fillers dropped."""
    pieces = _prepare(text).split()
    tokens = [tokenize(p) for p in pieces]
    fillers = {k for first, last in find_fillers(tokens) for k in range(first, last + 1)}
    out: list[Tok] = []
    boundary = True
    for k, (piece, tok) in enumerate(zip(pieces, tokens)):
        ends_clause = any(ch in tok.after for ch in _CLAUSE_END)
        if k in fillers:
            boundary = boundary or ends_clause
            continue
        for w in normalise(piece).split():
            out.append(Tok(w, stem(w), boundary, sentence, w in IGNORED))
            boundary = False
        boundary = boundary or ends_clause
    return out


# ---------------------------------------------------------------- phrasings


@dataclass(frozen=True)
class Unit:
    """One element of a phrase: a word, any number, or a vocabulary concept."""

    kind: str
    """"word", "number" or "concept"."""
    word: str = ""
    stem: str = ""
    concepts: tuple[str, ...] = ()


NUMBER = Unit("number")


@dataclass(frozen=True)
class Alternative:
    text: str
    units: tuple[Unit, ...]
    negative: bool
    """The phrase itself says "not" ("didn't happen again"), so negation is no reason to drop it."""


Part = tuple[Alternative, ...]


class PhrasingError(ValueError):
    """A phrasing that cannot be read; the message says why."""


def _word_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    for token in _prepare(text).split():
        if token.startswith("@"):
            name = token[1:].strip().lower()
            if name not in VOCABULARY:
                raise PhrasingError(f"unknown vocabulary term '@{name}'")
            units.append(Unit("concept", concepts=(name,)))
        elif token.lower() == "#number":
            units.append(NUMBER)
        else:
            units += [Unit("word", w, stem(w)) for w in normalise(token).split()]
    meaningful = [u for u in units if not (u.kind == "word" and u.word in ARTICLES)]
    return meaningful if len(meaningful) > 1 else units


@lru_cache(maxsize=None)
def concept_forms(name: str) -> tuple[tuple[Unit, ...], ...]:
    forms = []
    for form in VOCABULARY[name]:
        units = tuple(_word_units(form))
        if units:
            forms.append(units)
    return tuple(forms)


@lru_cache(maxsize=1)
def _synonym_index() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Stems of every plain-word synonym form -> the concepts it belongs to."""
    index: dict[tuple[str, ...], list[str]] = {}
    for name in SYNONYMS:
        for form in concept_forms(name):
            if all(u.kind == "word" for u in form):
                names = index.setdefault(tuple(u.stem for u in form), [])
                if name not in names:
                    names.append(name)
    return {k: tuple(v) for k, v in index.items()}


def _widen(units: list[Unit]) -> tuple[Unit, ...]:
    """Replace every run of words that is a synonym form by its concept, longest runs first."""
    index = _synonym_index()
    longest = max((len(k) for k in index), default=0)
    out: list[Unit] = []
    i = 0
    while i < len(units):
        for size in range(min(longest, len(units) - i), 0, -1):
            run = units[i : i + size]
            if all(u.kind == "word" for u in run):
                names = index.get(tuple(u.stem for u in run))
                if names:
                    out.append(Unit("concept", concepts=names))
                    i += size
                    break
        else:
            out.append(units[i])
            i += 1
    return tuple(out)


@lru_cache(maxsize=10_000)
def compile_phrasing(phrasing: str) -> tuple[Part, ...]:
    """Parse ``"roll back|revert + previous version"`` into parts of alternatives."""
    parts = []
    for raw_part in phrasing.split("+"):
        alternatives = []
        for raw in raw_part.split("|"):
            if not raw.strip():
                raise PhrasingError("empty alternative (check the '+' and '|' signs)")
            units = _word_units(raw)
            if not units:
                raise PhrasingError(f"'{raw.strip()}' has no words that can be matched")
            negative = any(u.kind == "word" and (u.word in NEGATORS or u.word in _JOINED_NEGATORS) for u in units)
            alternatives.append(Alternative(raw.strip(), _widen(units), negative))
        parts.append(tuple(alternatives))
    return tuple(parts)


def check_phrasing(phrasing: str) -> str | None:
    """Why ``phrasing`` cannot be used, or None if it can."""
    try:
        compile_phrasing(phrasing)
    except PhrasingError as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------- matching


@lru_cache(maxsize=200_000)
def _same_word(unit_word: str, unit_stem: str, word: str, word_stem: str) -> bool:
    if unit_stem == word_stem or unit_word == word:
        return True
    if min(len(unit_word), len(word)) < FUZZY_MIN_LEN or unit_word[0] != word[0]:
        return False
    from rapidfuzz.fuzz import ratio

    return ratio(unit_word, word) >= FUZZY_SCORE


def _is_number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


class _Text:
    """An answer's words, with the phrase matches found so far remembered."""

    def __init__(self, toks: Sequence[Tok]) -> None:
        self.toks = list(toks)
        self._ends: dict[tuple, frozenset[int]] = {}
        self._alt: dict[Alternative, list[tuple[int, int]]] = {}
        self._starts: dict[Unit, frozenset[int]] = {}
        self._at: dict[tuple[str, str], list[int]] = {}
        for i, t in enumerate(self.toks):
            self._at.setdefault((t.word, t.stem), []).append(i)
        self._by_initial: dict[str, dict[tuple[str, str], list[int]]] = {}
        for key, where in self._at.items():
            self._by_initial.setdefault(key[0][:1], {})[key] = where
        self._joined: dict[tuple[str, str], list[int]] = {}
        for i in range(len(self.toks) - 1):
            if self.same_sentence(i, i + 1):
                joined = self.toks[i].word + self.toks[i + 1].word
                self._joined.setdefault((joined, stem(joined)), []).append(i)

    def may_start(self, unit: Unit) -> frozenset[int]:
        """The words where a match of ``unit`` could begin (a quick filter before matching)."""
        if unit in self._starts:
            return self._starts[unit]
        self._starts[unit] = frozenset()
        found: set[int] = set()
        if unit.kind == "number":
            found = {i for i, t in enumerate(self.toks) if _is_number(t.word)}
        elif unit.kind == "word":
            fuzzy = len(unit.word) >= FUZZY_MIN_LEN
            for (word, word_stem), where in self._by_initial.get(unit.word[:1], {}).items():
                if (
                    word_stem == unit.stem
                    or word.startswith(unit.word)
                    or (fuzzy and _same_word(unit.word, unit.stem, word, word_stem))
                ):
                    found.update(where)
            for (joined, joined_stem), where in self._joined.items():
                if unit.word == joined or unit.stem == joined_stem:
                    found.update(where)
        else:
            for name in unit.concepts:
                for form in concept_forms(name):
                    found |= self.may_start(form[0])
                    if len(form) == 2 and name in SYNONYMS:
                        found |= self.may_start(form[1])
        self._starts[unit] = frozenset(found)
        return self._starts[unit]

    def same_sentence(self, i: int, j: int) -> bool:
        return j < len(self.toks) and self.toks[i].sentence == self.toks[j].sentence

    def _next_starts(self, i: int, end: int, gap: int) -> Iterator[int]:
        """Where the next word of a phrase may start: up to ``gap`` meaningful words later."""
        skipped = 0
        j = end
        while j < len(self.toks) and self.same_sentence(i, j) and j - end <= gap + 4:
            yield j
            if not self.toks[j].ignorable:
                skipped += 1
                if skipped > gap:
                    return
            j += 1

    def unit_ends(self, unit: Unit, i: int) -> frozenset[int]:
        """Where a match of ``unit`` starting at word ``i`` can end (exclusive)."""
        t = self.toks[i]
        if unit.kind == "number":
            return frozenset({i + 1}) if _is_number(t.word) else frozenset()
        if unit.kind == "word":
            ends = set()
            if _same_word(unit.word, unit.stem, t.word, t.stem):
                ends.add(i + 1)
            if self.same_sentence(i, i + 1):
                joined = t.word + self.toks[i + 1].word
                if unit.word == joined or unit.stem == stem(joined):
                    ends.add(i + 2)
            return frozenset(ends)
        ends = set()
        for name in unit.concepts:
            for form in concept_forms(name):
                ends |= self.phrase_ends(form, i, MAX_GAP)
                if len(form) == 2 and name in SYNONYMS and not any(u.kind == "word" and u.word in IGNORED for u in form):
                    ends |= self.phrase_ends(form[::-1], i, REVERSED_GAP)
        return frozenset(ends)

    def phrase_ends(self, units: tuple[Unit, ...], i: int, gap: int) -> frozenset[int]:
        key = (units, i, gap)
        if key in self._ends:
            return self._ends[key]
        if i not in self.may_start(units[0]):
            self._ends[key] = frozenset()
            return self._ends[key]
        self._ends[key] = frozenset()  # a concept that names itself must not recurse forever
        ends: set[int] = set()
        first, rest = units[0], units[1:]
        starts = [(e, rest) for e in self.unit_ends(first, i)]
        if rest and first.kind == rest[0].kind == "word":  # "roll back" said as "rollback"
            t = self.toks[i]
            joined = first.word + rest[0].word
            if joined == t.word or stem(joined) == t.stem:
                starts.append((i + 1, rest[1:]))
        for end, remaining in starts:
            if not remaining:
                ends.add(end)
                continue
            for j in self._next_starts(i, end, gap):
                ends |= self.phrase_ends(remaining, j, gap)
        result = frozenset(ends)
        self._ends[key] = result
        return result

    def negated(self, i: int) -> bool:
        """Whether a negation stands shortly before word ``i`` in its clause."""
        for k in range(i - 1, max(-1, i - 1 - NEGATION_REACH), -1):
            if self.toks[k + 1].clause_start:
                return False
            word = self.toks[k].word
            if word in NEGATORS or word in _JOINED_NEGATORS:
                return True
        return False

    def words(self, start: int, end: int) -> str:
        return " ".join(t.word for t in self.toks[start:end])

    def said(self, start: int, end: int, alt: Alternative) -> bool:
        """Whether the words between a phrase's own keep it a deed: no "not", no "wanted to"."""
        own = {u.word for u in alt.units if u.kind == "word"}
        between = self.toks[start + 1 : end - 1]
        inside = {t.word for t in between} - own
        if inside & MODALS:
            return False
        if any(t.word in WISHES and n.word == "to" for t, n in zip(between, between[1:]) if t.word not in own):
            return False
        return alt.negative or not inside & (NEGATORS | set(_JOINED_NEGATORS))

    def matches(self, alt: Alternative) -> list[tuple[int, int]]:
        """Every (start, end) where ``alt`` is said, and not negated."""
        if alt in self._alt:
            return self._alt[alt]
        found = []
        orders = [(alt.units, MAX_GAP)]  # only vocabulary terms may come reversed (see unit_ends)
        candidates = set(self.may_start(alt.units[0]))
        for i in sorted(candidates):
            ends = set()
            for units, gap in orders:
                ends |= self.phrase_ends(units, i, gap)
            if not ends or (not alt.negative and self.negated(i)):
                continue
            for end in sorted(ends):
                if self.said(i, end, alt):
                    found.append((i, end))
                    break
        self._alt[alt] = found
        return found


@dataclass(frozen=True)
class _Hit:
    first_sentence: int
    last_sentence: int
    said: str
    """The answer's own words that said it, parts in spoken order ("rolled it back … old model")."""


def _find(text: _Text, phrasing: str) -> Iterator[_Hit]:
    """Each place where every part of ``phrasing`` is said, earliest first."""
    per_part: list[list[tuple[int, int, str]]] = []
    for part in compile_phrasing(phrasing):
        spans = sorted({(s, e, text.words(s, e)) for alt in part for s, e in text.matches(alt)})
        if not spans:
            return
        per_part.append(spans)

    def sentence(i: int) -> int:
        return text.toks[i].sentence

    if len(per_part) == 1:
        for start, end, said in per_part[0]:
            yield _Hit(sentence(start), sentence(end - 1), said)
        return
    anchors = sorted({sentence(start) for spans in per_part for start, _, _ in spans})
    for first in anchors:
        for last in range(first, first + WINDOW_SENTENCES):
            allowed = {first, last}
            chosen = [[sp for sp in spans if sentence(sp[0]) in allowed] for spans in per_part]
            if not all(chosen):
                continue
            combo = next(
                (c for c in itertools.islice(itertools.product(*chosen), 5000)
                 if max(e for _, e, _ in c) - min(s for s, _, _ in c) <= SPAN_WORDS),
                None,
            )
            if combo is not None:
                lo = min(s for s, _, _ in combo)
                hi = max(e for _, e, _ in combo)
                yield _Hit(sentence(lo), sentence(hi - 1), " … ".join(said for _, _, said in sorted(combo)))
                break


# ---------------------------------------------------------------- results


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
    """The sentence (or two) that covered the point, with its time."""
    phrasing: str | None
    """The words of the answer that covered it ("rolled it back … old model")."""
    strong: str = ""
    """What a strong answer would have said, in the bank's words."""
    partial: bool = False
    """Not covered, but ``evidence`` is the answer's best try (a story phase said without
    what the point asks of it, such as actions told with "we")."""

    @property
    def status(self) -> str:
        """"covered", "partly" or "missed"."""
        return "covered" if self.covered else "partly" if self.partial and self.evidence is not None else "missed"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "point": self.point,
            "covered": self.covered,
            "status": self.status,
            "evidence": self.evidence.text if self.evidence else None,
            "evidence_start": self.evidence.start if self.evidence else None,
            "evidence_end": self.evidence.end if self.evidence else None,
            "matched": self.phrasing,
            "strong": self.strong,
        }


def answer_text(sentences: Sequence[Sentence]) -> _Text:
    return _Text([t for n, s in enumerate(sentences) for t in words_of(s.text, n)])


def _first_hit(point: RubricPoint, text: _Text) -> _Hit | None:
    """The earliest place the answer says any phrasing of ``point``."""
    hits = [next(_find(text, phrasing), None) for phrasing in point.phrasings]
    found = [h for h in hits if h is not None]
    return min(found, key=lambda h: (h.last_sentence, h.first_sentence), default=None)


def _result(point: RubricPoint, hit: _Hit | None, sentences: Sequence[Sentence]) -> PointResult:
    if hit is None:
        return PointResult(point.id, point.point, False, None, None, point.strong)
    said = sentences[hit.first_sentence : hit.last_sentence + 1]
    evidence = Evidence(" ".join(s.text for s in said), said[0].start, said[-1].end)
    return PointResult(point.id, point.point, True, evidence, hit.said, point.strong)


def judge_point(point: RubricPoint, sentences: Sequence[Sentence]) -> PointResult:
    """One point on its own (no gate for generic points)."""
    return _result(point, _first_hit(point, answer_text(sentences)), sentences)


def judge(question: Question | None, sentences: Sequence[Sentence]) -> list[PointResult]:
    """Each rubric point of ``question``: covered, with the sentence(s) that said it, or missed."""
    if question is None:
        return []
    text = answer_text(sentences)
    hits = {p.id: _first_hit(p, text) for p in question.rubric}
    said = on_topic(question, any(hits[p.id] for p in question.rubric if not p.generic), " ".join(s.text for s in sentences))
    return [_result(p, hits[p.id] if said or not p.generic else None, sentences) for p in question.rubric]


def on_topic(question: Question, says_own_point: bool, text: str, model: topic.TopicModel | None = None,
             veto: float = topic.VETO) -> bool:
    """Whether the answer ``text`` earns ``question``'s generic points: the question has no point
    of its own, or the topic model (``model``, else the packaged one: :meth:`topic.TopicModel.answers`)
    says the answer answers it. For a behavioral question the model does not know (a user's own
    bank) that means the answer says one of its own points (``says_own_point``) or tells a story at
    all; for any other question the model does not know, the own points alone decide."""
    if all(p.generic for p in question.rubric):
        return True
    model = model or topic.load()
    if model is None or (question.id not in model.questions and question.kind != "behavioral"):
        return says_own_point
    verdict = model.answers(question.id, text, says_own_point, veto)
    return says_own_point if verdict is None else verdict


def phrase_in(phrasing: str, text: str) -> bool:
    """Whether the one-sentence ``text`` says ``phrasing``."""
    return any(_find(_Text(words_of(text)), phrasing))


def parts_said(point: RubricPoint, text: str) -> int:
    """How many parts of ``point``'s phrasings (each side of a "+") the one-sentence ``text`` says:
    how close it comes to saying the point where no phrasing is said whole."""
    return sum(phrase_in(part, text) for phrasing in point.phrasings for part in phrasing.split("+"))


def content_stems(text: str, stop: frozenset[str] = frozenset()) -> set[str]:
    """The stems of ``text``'s meaningful words (no articles, fillers, ``stop`` words or
    words of two letters): what two texts share when they speak of the same thing."""
    return {stem(w) for w in normalise(text).split() if w not in IGNORED and w not in stop and len(w) > 2}
