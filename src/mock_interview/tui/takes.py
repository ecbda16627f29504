"""What the screens pass along: one finished take, a follow-up to ask, and a mock interview of several."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mock_interview.core.judge.followups import FollowUpChoice
from mock_interview.core.judge.questions import Question
from mock_interview.core.report import Report
from mock_interview.core.store.storage import Take
from mock_interview.core.judge.stories import PointsDiff


@dataclass(frozen=True)
class TakeResult:
    """A finished take: its report, the saved row, and the take before it (if any)."""

    question: Question
    report: Report
    take: Take | None
    """None if the save failed: the report is still shown, and can be saved again or exported."""
    previous: Take | None = None
    story_diff: PointsDiff | None = None
    """Rehearsing a story: the talking points that appeared or disappeared since its previous take."""
    unsaved: str | None = None
    """Why the take could not be saved."""
    audio_path: Path | None = None
    """The recording of an unsaved take (kept, with its recovery marker, until it is saved)."""
    story_id: int | None = None
    from_file: bool = False
    """The answer was the user's own file: saving again copies it into the store."""


@dataclass(frozen=True)
class PendingFollowUp:
    """A saved answer, and the follow-up question to ask about it before its results."""

    answer: TakeResult
    choice: FollowUpChoice


@dataclass
class MockSession:
    """A mock interview: questions asked one after another, the latest take of each kept."""

    questions: list[Question]
    index: int = 0
    results: dict[int, TakeResult] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    """Follow-up questions already asked, so that none is asked twice."""

    @property
    def current(self) -> Question:
        return self.questions[self.index]

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    @property
    def position(self) -> str:
        return f"Question {self.index + 1} of {len(self.questions)}"

    def record(self, result: TakeResult) -> None:
        self.results[self.index] = result

    def advance(self) -> Question | None:
        if self.is_last:
            return None
        self.index += 1
        return self.current
