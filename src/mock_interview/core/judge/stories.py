"""The user's own stories: what each is for, and which of its talking points a take said.

A story has a title, the questions it answers (``bank:id``), the user's own talking
points (short texts, one per line in the form) and a target length. Rehearsing it, the
interviewer asks one of its questions; the talking points are judged with the rubric
matcher, as if they were the rubric of a question of their own, and compared with the
previous take of the same story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from mock_interview.core.delivery.analysis import Sentence
from mock_interview.core.errors import UserError
from mock_interview.core.text import normalise
from mock_interview.core.judge.questions import Question, RubricPoint
from mock_interview.core.judge.rubric import IGNORED, PointResult, check_phrasing, judge
from mock_interview.core.judge.vocabulary import NEGATORS

DEFAULT_TARGET_S = 180
MIN_TARGET_S = 30
MAX_TARGET_S = 900
KEY_WORDS = 4
"""A talking point is also heard when its longest few words are said close together, in any order."""

_STOP = IGNORED | frozenset(
    """i me my mine we us our ours you your they them their he him his she her
    had has have did do does was were will can got get""".split()
)
_SIGNS = re.compile(r"[+|@#]")
"""Signs that mean something in a rubric phrasing; in a talking point they are just text."""


class StoryError(UserError):
    """A story that cannot be saved as written."""


@dataclass(frozen=True)
class Story:
    title: str
    questions: tuple[str, ...] = ()
    """Qualified ids (``bank:id``) of the questions the story answers."""
    points: tuple[str, ...] = ()
    """The user's talking points, in their words."""
    target_s: int = DEFAULT_TARGET_S
    id: int | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "questions": list(self.questions),
                "points": list(self.points), "target_s": self.target_s}


def parse_points(text: str) -> tuple[str, ...]:
    """Talking points from the form: one per line, bullets and blank lines dropped."""
    points = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*•·").strip()
        if line:
            points.append(line)
    return tuple(points)


def make_story(
    title: str,
    questions: Iterable[str],
    points: Iterable[str],
    target_s: int | float | str | None = None,
    id: int | None = None,
) -> Story:
    """A checked story, or :class:`StoryError` saying what to fix (one line)."""
    title = " ".join(title.split())
    if not title:
        raise StoryError("give the story a title")
    questions = tuple(dict.fromkeys(q.strip() for q in questions if q.strip()))
    if not questions:
        raise StoryError("pick at least one question the story answers")
    points = tuple(" ".join(p.split()) for p in points if p.strip())
    if not points:
        raise StoryError("write at least one talking point (one per line)")
    for n, point in enumerate(points, start=1):
        if not point_phrasings(point):
            raise StoryError(f"talking point {n} ('{point}') has no words to listen for")
    return Story(title, questions, points, parse_target(target_s), id)


def parse_target(value: int | float | str | None) -> int:
    """A target length: seconds, or ``m:ss``; empty means three minutes."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_TARGET_S
    seconds: float
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d+):([0-5]\d)", text)
        try:
            seconds = int(match.group(1)) * 60 + int(match.group(2)) if match else float(text)
        except ValueError:
            raise StoryError(f"target length '{text}' is not a time: write seconds (180) or minutes (3:00)") from None
    else:
        seconds = float(value)
    if not MIN_TARGET_S <= seconds <= MAX_TARGET_S:
        raise StoryError(f"target length must be between 0:30 and 15:00, not {int(seconds)} s")
    return int(seconds)


# ---------------------------------------------------------------- talking points as rubric points


def point_phrasings(point: str) -> tuple[str, ...]:
    """The rubric phrasings that hear one talking point.

    The whole point, as written (its words in order, a few others allowed between);
    and, unless it says "not" or "no" (which only the whole phrase keeps right), its
    longest words said close together in any order.
    """
    text = " ".join(_SIGNS.sub(" ", point).split())
    words = normalise(text).split()
    if not words:
        return ()
    phrasings = [text]
    content = [w for w in words if w not in _STOP]
    if len(content) >= 2 and not any(w in NEGATORS for w in words):
        longest = sorted(range(len(content)), key=lambda i: (-len(content[i]), i))[:KEY_WORDS]
        keys = [content[i] for i in sorted(longest)]
        phrasings.append(" + ".join(dict.fromkeys(keys)))
    return tuple(p for p in phrasings if check_phrasing(p) is None)


def points_question(story: Story) -> Question:
    """A question whose rubric is the story's talking points (ids ``p1``, ``p2``…)."""
    rubric = tuple(
        RubricPoint(id=f"p{n}", point=point, phrasings=point_phrasings(point))
        for n, point in enumerate(story.points, start=1)
        if point_phrasings(point)
    )
    return Question(id=f"story-{story.id}", text=story.title, kind="story", guideline_s=story.target_s,
                    bank="stories", rubric=rubric)


@dataclass
class StoryCoverage:
    """Which talking points one take said, and the story they belong to."""

    story: Story
    points: list[PointResult]
    in_follow_up: set[str] = field(default_factory=set)
    """Ids of the points said only in the follow-up answer."""

    @property
    def covered(self) -> int:
        return sum(1 for p in self.points if p.covered)

    def to_dict(self) -> dict:
        return {
            "id": self.story.id,
            "title": self.story.title,
            "target_s": self.story.target_s,
            "points": [{**p.to_dict(), "in_follow_up": p.id in self.in_follow_up} for p in self.points],
            "covered": self.covered,
            "total": len(self.points),
        }


def cover_points(story: Story, sentences: Sequence[Sentence]) -> StoryCoverage:
    """Judge the story's talking points over the answer's sentences."""
    return StoryCoverage(story, judge(points_question(story), sentences))


# ---------------------------------------------------------------- against the previous take


@dataclass(frozen=True)
class PointsDiff:
    """How a take's talking points compare with the previous take of the same story."""

    appeared: tuple[str, ...]
    """Said now, not last time."""
    disappeared: tuple[str, ...]
    """Said last time, not now."""
    kept: tuple[str, ...]
    still_missing: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.disappeared)


def compare_points(current: StoryCoverage, previous: dict | None) -> PointsDiff | None:
    """Compare with the ``story`` section of the previous take's report (None: no previous take).

    Points are matched by their text, so a point edited or added since the previous
    take counts neither as appeared nor as disappeared.
    """
    if not previous:
        return None
    before = {p.get("point"): bool(p.get("covered")) for p in previous.get("points", [])}
    appeared, disappeared, kept, missing = [], [], [], []
    for p in current.points:
        if p.point not in before:
            continue
        was = before[p.point]
        if p.covered and not was:
            appeared.append(p.point)
        elif was and not p.covered:
            disappeared.append(p.point)
        elif p.covered:
            kept.append(p.point)
        else:
            missing.append(p.point)
    return PointsDiff(tuple(appeared), tuple(disappeared), tuple(kept), tuple(missing))
