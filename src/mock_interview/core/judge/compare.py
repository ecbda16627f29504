"""Two takes of one question side by side: what changed, and which rubric points came and went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from mock_interview.core.delivery.targets import FILLERS_TARGET_PER_MIN, PACE_TARGET_WPM

if TYPE_CHECKING:  # a saved take's fields are read, never the store itself
    from mock_interview.core.store.storage import Take

BETTER, WORSE, SAME = "better", "worse", "same"


@dataclass(frozen=True)
class Change:
    """One measure in both takes; ``verdict`` says whether the later one is better."""

    name: str
    before: float
    after: float
    verdict: str

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 3)


@dataclass(frozen=True)
class PointChange:
    id: str
    point: str
    before: bool
    after: bool

    @property
    def status(self) -> str:
        """"gained", "lost", "kept" or "missed" (in both)."""
        if self.after and not self.before:
            return "gained"
        if self.before and not self.after:
            return "lost"
        return "kept" if self.after else "missed"


@dataclass(frozen=True)
class Comparison:
    before: Take
    after: Take
    changes: list[Change]
    points: list[PointChange]

    def change(self, name: str) -> Change:
        return next(c for c in self.changes if c.name == name)

    def _with(self, status: str) -> list[str]:
        return [p.point for p in self.points if p.status == status]

    @property
    def gained(self) -> list[str]:
        return self._with("gained")

    @property
    def lost(self) -> list[str]:
        return self._with("lost")

    @property
    def kept(self) -> list[str]:
        return self._with("kept")

    @property
    def missed(self) -> list[str]:
        return self._with("missed")


def _verdict(before_cost: float, after_cost: float, tolerance: float = 1e-9) -> str:
    """Lower cost is better."""
    if after_cost < before_cost - tolerance:
        return BETTER
    if after_cost > before_cost + tolerance:
        return WORSE
    return SAME


def _over(speaking_s: float, guideline_s: float) -> float:
    return max(0.0, speaking_s - guideline_s)


def _off_pace(wpm: float) -> float:
    low, high = PACE_TARGET_WPM
    return max(0.0, low - wpm, wpm - high)


def _too_many_fillers(per_min: float) -> float:
    """Under the target every filler still counts, but less."""
    return per_min if per_min > FILLERS_TARGET_PER_MIN else per_min / 10


def compare_takes(before: Take, after: Take, before_report: dict, after_report: dict) -> Comparison:
    """``after`` against ``before``: a shorter answer is better only if it was over the
    guideline; a pace is better closer to the target band; fewer fillers, fewer long
    pauses and more rubric points are better."""
    b_pauses, a_pauses = len(before_report.get("pauses", [])), len(after_report.get("pauses", []))
    changes = [
        Change(
            "Speaking time",
            before.speaking_s,
            after.speaking_s,
            _verdict(_over(before.speaking_s, before.guideline_s), _over(after.speaking_s, after.guideline_s), 0.05),
        ),
        Change("Pace", before.wpm, after.wpm, _verdict(_off_pace(before.wpm), _off_pace(after.wpm), 0.5)),
        Change(
            "Fillers per minute",
            before.fillers_per_min,
            after.fillers_per_min,
            _verdict(_too_many_fillers(before.fillers_per_min), _too_many_fillers(after.fillers_per_min), 0.005),
        ),
        Change("Fillers", before.filler_count, after.filler_count, _verdict(before.filler_count, after.filler_count)),
        Change("Long pauses", b_pauses, a_pauses, _verdict(b_pauses, a_pauses)),
        Change(
            "Rubric points",
            before.rubric_covered,
            after.rubric_covered,
            _verdict(-before.rubric_covered, -after.rubric_covered),
        ),
    ]
    return Comparison(before, after, changes, rubric_changes(before_report, after_report))


def rubric_changes(before_report: dict, after_report: dict) -> list[PointChange]:
    """Every point of either take, in the later take's order, matched by id."""
    before = {r["id"]: r for r in before_report.get("rubric", [])}
    after = {r["id"]: r for r in after_report.get("rubric", [])}
    ids = list(after) + [i for i in before if i not in after]
    return [
        PointChange(
            i,
            (after.get(i) or before[i])["point"],
            bool(before.get(i, {}).get("covered")),
            bool(after.get(i, {}).get("covered")),
        )
        for i in ids
    ]


def previous_take(take: Take, takes: Sequence[Take]) -> Take | None:
    """The take of the same question made just before ``take``, if any."""
    key = (take.created_at, take.id)
    earlier = [
        t
        for t in takes
        if t.question_id == take.question_id and t.bank == take.bank and (t.created_at, t.id) < key
    ]
    return max(earlier, key=lambda t: (t.created_at, t.id), default=None)
