"""Which question an answer answers: a small learned model over the answer's words, fitted on
the labelled story corpus (``scripts/train_topic.py``; each story written for one question).

The rubric counts a generic point (a situation, a result, a lesson: what any story has) only
when the answer is on topic. The question's own points' phrasings alone decide that badly: a
complete failure story that says "I got the retention rule wrong" says none of "owns the
mistake"'s phrasings, and every generic point was then withheld. So an answer is on topic
when this model places it closer to its question than to any other question it knows and than
to :data:`OFF_TOPIC` (explanations, opinions and small talk given instead of a story), or when
it says one of the question's own points and the model does not rule its question out
(:data:`VETO`).
For a story question it was not fitted on (a user's own bank) it can only tell a story from no
story, so any story is on topic there: leaving each question out of the fit in turn
(``scripts/train_topic.py --search --unknown``), stories accepted for their own question 0.638 ->
0.998 as text, taken for another 0.178 -> 1.000, answers telling no story let through 0.405 ->
0.476, against the question's own phrasings alone. Telling which story a new question asks for
was tried with the embedding model (the question's text against the answer's clauses, or the
answer as a passage): its own question came first among the eight for 0.35 of stories at best.

A multinomial logistic regression over TF-IDF weighted words and word pairs (lower case, as
:func:`text.normalise` gives them), loaded on first use (a few milliseconds), judged in well
under a millisecond.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from mock_interview.core.text import normalise

MODEL = Path(__file__).with_name("topic_model.npz")
OFF_TOPIC = "none"
"""The class of answers that tell no story at all (an explanation, an opinion, small talk)."""
VETO = 0.1
"""An answer the model gives less than this probability of answering its question is off topic
even when it says one of the question's own phrasings (an incident story told for "a time you
failed", a monitoring explanation that says "the alert"). Chosen leaving one writer out
(``scripts/train_topic.py --search --vetoes``): at 0.1 stories accepted for their own question
0.931 -> 0.929 as text, taken for another 0.188 -> 0.077, answers telling no story let through
0.405 -> 0.143."""


def terms(text: str, pairs: bool = True) -> list[str]:
    """The words of ``text`` and, with ``pairs``, each two words side by side ("got_wrong")."""
    words = normalise(text).split()
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])] if pairs else words


@dataclass(frozen=True)
class TopicModel:
    questions: tuple[str, ...]
    """The question ids it tells apart ("failure", "incident", ...) and :data:`OFF_TOPIC`."""
    vocab: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    """(len(vocab) + 1, len(questions)): the last row is the bias."""
    pairs: bool = True

    def features(self, text: str) -> np.ndarray:
        """log(1 + count) x idf of each known term, unit length."""
        x = np.zeros(len(self.vocab), dtype=np.float32)
        for t in terms(text, self.pairs):
            i = self.vocab.get(t)
            if i is not None:
                x[i] += 1.0
        x = np.log1p(x) * self.idf
        n = float(np.linalg.norm(x))
        return x / n if n else x

    def probabilities(self, text: str) -> dict[str, float]:
        return self._probabilities(self.features(text))

    def _probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = x @ self.weights[:-1] + self.weights[-1]
        p = np.exp(z - z.max())
        p /= p.sum()
        return dict(zip(self.questions, (float(v) for v in p)))

    def answers(self, question_id: str, text: str, says_own_point: bool = False, veto: float = VETO) -> bool | None:
        """Whether ``text`` answers ``question_id``: the model places it there rather than at another
        question it knows or at :data:`OFF_TOPIC`, or the answer says one of the question's own points
        (``says_own_point``) and the model gives it at least ``veto``. For a question the model does
        not know (a user's own bank) it can only tell a story from no story: the answer is on topic
        when it says an own point or the model hears a story in it (its likeliest class is a question,
        not :data:`OFF_TOPIC`). None when the text has no word the model knows."""
        x = self.features(text)
        if question_id == OFF_TOPIC or not x.any():
            return None
        p = self._probabilities(x)
        if question_id not in self.questions:
            return says_own_point or max(p, key=p.__getitem__) != OFF_TOPIC
        return max(p, key=p.__getitem__) == question_id or (says_own_point and p[question_id] >= veto)

    def save(self, path: Path = MODEL) -> None:
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(
            path,
            questions=np.frombuffer(json.dumps(list(self.questions)).encode(), dtype=np.uint8),
            vocab=np.frombuffer(json.dumps(vocab).encode(), dtype=np.uint8),
            idf=self.idf.astype(np.float32),
            weights=self.weights.astype(np.float32),
            pairs=np.array(self.pairs),
        )


def read(path: Path) -> TopicModel:
    with np.load(path) as d:
        vocab = json.loads(bytes(d["vocab"]).decode())
        return TopicModel(tuple(json.loads(bytes(d["questions"]).decode())), {t: i for i, t in enumerate(vocab)},
                          d["idf"].astype(np.float32), d["weights"].astype(np.float32), bool(d["pairs"]))


@lru_cache(maxsize=1)
def load() -> TopicModel | None:
    """The packaged model; None if it is missing (the rubric then decides by phrasings alone)."""
    return read(MODEL) if MODEL.exists() else None

