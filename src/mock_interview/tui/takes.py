"""What the screens pass along: one finished take, and a mock interview of several."""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_interview.core.questions import Question
from mock_interview.core.report import Report
from mock_interview.core.storage import Take


@dataclass(frozen=True)
class TakeResult:
    """A finished take: its report, the saved row, and the take before it (if any)."""

    question: Question
    report: Report
    take: Take
    previous: Take | None = None


@dataclass
class MockSession:
    """A mock interview: questions asked one after another, the latest take of each kept."""

    questions: list[Question]
    index: int = 0
    results: dict[int, TakeResult] = field(default_factory=dict)

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
