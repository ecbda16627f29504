"""Does the rubric take a story as an answer to its own question, and not to another?

    PYTHONPATH=src .venv/bin/python bench/topic.py [--split dev,test,test2]

The rubric counts a story's generic points (situation, result, lesson, ...) only when the
answer is on topic. For every story of the labelled corpus (bench/data) that tells at least
one phase, as text and as heard (the Piper and espeak-ng transcripts bench/story.py cached),
it prints:

- accepted: the share judged on topic for the question it was written for (want: all);
- crossed: the share judged on topic for each other story question (want: few; a story of a
  production incident is not an answer to "a time you failed" by these labels);
- off topic: of the answers that tell no story (an explanation, an opinion, small talk given
  instead), the share judged on topic for the question they were given to (want: none);

by the question's own phrasings alone ("phrasings") and with the topic model
(:mod:`mock_interview.core.judge.topic`, as the app decides: the model places the answer at
its question, or the phrasings are said and the model does not rule the question out). Test splits are judged here
only after a model was chosen and committed (scripts/train_topic.py chooses on train and dev).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from story import CACHE, heard, timed_words  # noqa: E402
from story_corpus import Story, load  # noqa: E402

from mock_interview.core.delivery.analysis import Sentence, analyze_words  # noqa: E402
from mock_interview.core.judge import topic  # noqa: E402
from mock_interview.core.judge.questions import Question, load_bank  # noqa: E402
from mock_interview.core.judge.rubric import judge_point, on_topic  # noqa: E402

KINDS = ("text", "espeak", "piper")


@dataclass
class Answer:
    story: Story
    kind: str
    """"text", "espeak" or "piper"."""
    text: str
    sentences: list[Sentence]
    said: dict[str, bool] = field(default_factory=dict)
    """Question id -> whether the answer says one of its own points (:func:`phrasings_say`)."""


def story_questions() -> dict[str, Question]:
    """The bank questions the corpus's stories answer, by id."""
    banks = [load_bank(p) for p in sorted((ROOT / "questions").glob("*.toml"))]
    return {q.id: q for b in banks for q in b.questions if any(p.generic for p in q.rubric)}


def answers_of(stories: list[Story], kinds: tuple[str, ...] = KINDS, make: bool = True) -> list[Answer]:
    """Each story as text and as each voice heard it (voiced and transcribed by the bundled model when not
    cached; with ``make`` False, only the transcripts already cached)."""
    out, box = [], []
    for s in stories:
        for kind in kinds:
            if kind == "text":
                words = timed_words(s.text)
                got = (words, words[-1].end + 0.5)
            else:
                got = heard(s, kind, CACHE, box, make)
            if got:
                analysis = analyze_words(*got)
                out.append(Answer(s, kind, " ".join(x.text for x in analysis.sentences), list(analysis.sentences)))
    return out


def phrasings_say(question: Question, answer: Answer) -> bool:
    """The old gate: the answer says one of the question's own (not generic) points (kept on the answer)."""
    if question.id not in answer.said:
        answer.said[question.id] = any(judge_point(p, answer.sentences).covered for p in question.rubric if not p.generic)
    return answer.said[question.id]


def tells_story(story: Story) -> bool:
    return bool(story.phases)


def rates(rows: list[Answer], questions: dict[str, Question], decide) -> tuple[float, float, float]:
    """(accepted, crossed, off topic) of ``decide(question, answer) -> bool`` over ``rows``: the
    stories judged on topic for their own question, for each other question, and the answers
    that tell no story judged on topic for the question they were given to."""
    own = other = off = own_n = other_n = off_n = 0
    for a in rows:
        if a.story.question not in questions:
            continue
        if not tells_story(a.story):
            off, off_n = off + bool(decide(questions[a.story.question], a)), off_n + 1
            continue
        for qid, q in questions.items():
            said = bool(decide(q, a))
            if qid == a.story.question:
                own, own_n = own + said, own_n + 1
            else:
                other, other_n = other + said, other_n + 1
    return own / max(own_n, 1), other / max(other_n, 1), off / max(off_n, 1)


def decide(model, question: Question, answer: Answer, veto: float = topic.VETO) -> bool:
    """The app's gate (:func:`rubric.on_topic`) with ``model``."""
    return on_topic(question, phrasings_say(question, answer), answer.text, model, veto)


def gates(model, veto: float = topic.VETO):
    """The two gates compared: the phrasings alone, and the app's (``model``: its question, or
    the phrasings unless the model gives the question less than ``veto``)."""
    return {"phrasings": phrasings_say, "with the topic model": lambda q, a: decide(model, q, a, veto)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", help="comma-separated splits (train, dev, test, test2)")
    args = parser.parse_args()
    model = topic.load()
    if model is None:
        print(f"no topic model at {topic.MODEL}: run scripts/train_topic.py --write", file=sys.stderr)
        return 1
    questions = {k: v for k, v in story_questions().items() if k in model.questions}
    print(f"{'split':6} {'heard as':8} {'stories':>7}  " + "  ".join(f"{g:>30}" for g in gates(model)))
    print(f"{'':6} {'':8} {'':>7}  " + "  ".join(f"{'accepted':>10} {'crossed':>9} {'off topic':>9}" for _ in gates(model)))
    for split in args.split.split(","):
        rows = answers_of(load(split))
        for kind in KINDS:
            mine = [a for a in rows if a.kind == kind]
            if not mine:
                continue
            cells = [rates(mine, questions, g) for g in gates(model).values()]
            n = sum(tells_story(a.story) for a in mine)
            print(f"{split:6} {kind:8} {n:7}  " + "  ".join(f"{acc:10.3f} {cross:9.3f} {off:9.3f}" for acc, cross, off in cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
