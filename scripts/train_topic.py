"""Fit the topic model (which story question an answer answers) on the train and dev splits of
bench/data; choose its settings by leaving one writer out.

    PYTHONPATH=src .venv/bin/python scripts/train_topic.py [--search [--grid JSON] [--vetoes V] [--unknown]] [--write]

Each story that tells at least one phase is an example of the question it was written for,
and each that tells none (an explanation, an opinion, small talk) of the class "none"; as
text and as heard (the Piper and espeak-ng transcripts bench/story.py cached; none is made here, where
voicing the train split would take hours: ``bench/story.py --split train`` makes them). ``--search``
judges each writer's stories by a model fitted without that writer and prints, for the
chosen settings and every combination of ``--grid`` and ``--vetoes``, the shares bench/topic.py prints
(accepted by its own question, crossed into another, off topic), by the question's phrasings or the
model. The frozen test splits are never read here. Without ``--search`` the chosen settings
are fitted on train and dev; ``--write`` saves them to src/mock_interview/core/judge/topic_model.npz.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from story import CACHE  # noqa: E402
from story_corpus import load  # noqa: E402
from topic import KINDS, Answer, answers_of, decide, phrasings_say, rates, story_questions, tells_story  # noqa: E402

from mock_interview.core.judge.topic import OFF_TOPIC, VETO, TopicModel, terms  # noqa: E402

CHOSEN = {"min_df": 3, "pairs": True, "l2": 1e-4}
"""Chosen by ``--search`` (leave one writer out over train and dev)."""


def fit(rows: list[Answer], questions: list[str], min_df: int, pairs: bool, l2: float,
        steps: int = 1500, lr: float = 0.2) -> TopicModel:
    """Multinomial logistic regression (Adam, full batch) on TF-IDF terms: each answer's class is the
    question it was written for, or :data:`OFF_TOPIC` when it tells no story."""
    rows = [a for a in rows if a.story.question in questions]
    classes = [*questions, OFF_TOPIC]
    docs = [terms(a.text, pairs) for a in rows]
    df = Counter(t for d in docs for t in set(d))
    vocab = {t: i for i, t in enumerate(sorted(t for t, c in df.items() if c >= min_df))}
    idf = np.array([np.log(len(docs) / df[t]) for t in vocab], dtype=np.float32)
    empty = TopicModel(tuple(classes), vocab, idf, np.zeros((len(vocab) + 1, len(classes)), np.float32), pairs)
    x = np.stack([empty.features(a.text) for a in rows])
    x = np.hstack([x, np.ones((len(x), 1), np.float32)])
    rows_, cols = np.nonzero(x)  # a story says a few hundred of the thousands of terms: products over those only
    vals = x[rows_, cols].astype(np.float64)
    n, d, k = len(x), x.shape[1], len(classes)
    del x
    y = np.eye(k)[[classes.index(a.story.question if tells_story(a.story) else OFF_TOPIC) for a in rows]]
    w = np.zeros((d, k))
    m, v = np.zeros_like(w), np.zeros_like(w)
    decay = np.ones((d, 1))
    decay[-1] = 0.0  # no penalty on the bias
    for t in range(1, steps + 1):
        z = np.stack([np.bincount(rows_, vals * w[cols, j], minlength=n) for j in range(k)], axis=1)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        r = (p - y) / n
        g = np.stack([np.bincount(cols, vals * r[rows_, j], minlength=d) for j in range(k)], axis=1) + l2 * decay * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return TopicModel(tuple(classes), vocab, idf, w.astype(np.float32), pairs)


def leave_one_writer_out(rows: list[Answer], questions: dict, cfg: dict,
                         vetoes: tuple[float, ...] = (VETO,)) -> dict[float, dict[str, tuple[float, float, float]]]:
    """For each veto, (accepted, crossed, off topic) per kind as the app decides, each writer judged
    by a model fitted without it."""
    models = {w: fit([a for a in rows if a.story.writer != w], list(questions), **cfg) for w in {a.story.writer for a in rows}}
    return {veto: {k: rates([a for a in rows if a.kind == k], questions,
                            lambda q, a, veto=veto: decide(models[a.story.writer], q, a, veto)) for k in KINDS}
            for veto in vetoes}


def leave_one_question_out(rows: list[Answer], questions: dict, cfg: dict) -> dict[str, tuple[float, float, float]]:
    """(accepted, crossed, off topic) per kind for questions the model was not fitted on (a user's own
    bank): each question judged by a model fitted without its answers, so it knows only the others.
    The other questions' stories were in that fit, so "crossed" is an upper bound (a story is easily
    heard as a story when it was fitted on); the accepted and off-topic shares are fair."""
    models = {q: fit(rows, [k for k in questions if k != q], **cfg) for q in questions}
    return {k: rates([a for a in rows if a.kind == k], questions, lambda q, a: decide(models[q.id], q, a)) for k in KINDS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="score settings by leaving one writer out")
    parser.add_argument("--grid", default="{}", help='with --search: settings to vary, as JSON: \'{"l2": [1e-4, 1e-3]}\'')
    parser.add_argument("--vetoes", default=str(VETO), help="with --search: comma-separated vetoes to score (core/judge/topic.py VETO)")
    parser.add_argument("--write", action="store_true", help="save the fitted model into the package")
    parser.add_argument("--unknown", action="store_true",
                        help="with --search: also judge each question as one the model does not know (left out of its fit)")
    args = parser.parse_args()
    stories = load("train") + load("dev")
    questions = {k: q for k, q in story_questions().items() if any(s.question == k for s in stories)}
    rows = answers_of(stories, make=False)
    heard = Counter(a.kind for a in rows if a.kind != "text")
    print(f"{len(stories)} stories, {len(rows)} answers (text and heard: "
          + (", ".join(f"{n} {k}" for k, n in sorted(heard.items())) or f"none cached in {CACHE}")
          + f"), questions: {', '.join(questions)}", flush=True)
    if args.search:
        phrasings = {k: rates([a for a in rows if a.kind == k], questions, phrasings_say) for k in KINDS}
        print("phrasings alone: " + "  ".join(f"{k} {a:.3f}/{c:.3f}/{o:.3f}" for k, (a, c, o) in phrasings.items()), flush=True)
        if args.unknown:
            got = leave_one_question_out(rows, questions, CHOSEN)
            print("unknown questions, the model: accepted/crossed/off topic "
                  + "  ".join(f"{k} {a:.3f}/{c:.3f}/{o:.3f}" for k, (a, c, o) in got.items()), flush=True)
        grid = {k: [v] for k, v in CHOSEN.items()}
        grid.update(json.loads(args.grid))
        for values in itertools.product(*grid.values()):
            cfg = dict(zip(grid, values))
            changed = {k: v for k, v in cfg.items() if v != CHOSEN[k]}
            got = leave_one_writer_out(rows, questions, cfg, tuple(float(v) for v in args.vetoes.split(",")))
            for veto, by_kind in got.items():
                print(f"{changed or 'chosen'}, veto {veto}: accepted/crossed/off topic "
                      + "  ".join(f"{k} {a:.3f}/{c:.3f}/{o:.3f}" for k, (a, c, o) in by_kind.items()), flush=True)
        return 0
    model = fit(rows, list(questions), **CHOSEN)
    print("chosen", CHOSEN, "fitted on train and dev:", len(model.vocab), "terms")
    if args.write:
        model.save()
        print("saved", Path(TopicModel.save.__defaults__[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
