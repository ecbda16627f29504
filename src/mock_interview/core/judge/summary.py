"""A mock interview: which questions it asks, and the summary at its end.

The questions mix the kinds (technical, design, behavioral) across every loaded bank,
as a real interview moves between them. The summary lists each answer's numbers and
ranks what went wrong across all of them, so that the user sees the three things to
work on first rather than a list of everything.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from mock_interview.core.judge.questions import KINDS, Question

if TYPE_CHECKING:  # finished reports are read, never built here
    from mock_interview.core.report import Report

FILLERS_PER_MIN_LIMIT = 3.0
COVERAGE_LIMIT = 0.5
FAST_WPM = 175.0
SLOW_WPM = 100.0
SHORT_SHARE = 1 / 3
"""A story over in less than this share of its guideline has left most of it out."""


def pick_mixed(questions: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` different questions, the kinds taking turns (in a random order), each kind shuffled."""
    by_kind: dict[str, list[Question]] = {}
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    for pool in by_kind.values():
        rng.shuffle(pool)
    kinds = [k for k in KINDS if k in by_kind] + sorted(k for k in by_kind if k not in KINDS)
    rng.shuffle(kinds)
    picked: list[Question] = []
    while len(picked) < count and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop())
    return picked


# ---------------------------------------------------------------- one line per answer


@dataclass(frozen=True)
class AnswerLine:
    """One answer of the interview, as the summary table shows it."""

    question: Question
    speaking_s: float
    guideline_s: float
    fillers_per_min: float
    covered: int
    total: int
    in_follow_up: int
    """Rubric points covered only in the follow-up reply."""
    missing: tuple[str, ...]
    """SOAR phases the story left out (behavioral questions)."""
    flags: tuple[str, ...]
    """Ids of the structure's flags."""
    follow_up: str | None
    """The follow-up question asked, if any."""

    @property
    def over_s(self) -> float:
        return max(0.0, self.speaking_s - self.guideline_s)


def answer_line(report: Report) -> AnswerLine:
    assert report.question is not None
    a = report.analysis
    s = report.structure
    f = report.follow_up
    return AnswerLine(
        question=report.question,
        speaking_s=a.speaking_s,
        guideline_s=a.guideline_s,
        fillers_per_min=a.fillers_per_min,
        covered=report.covered,
        total=len(report.rubric),
        in_follow_up=len(f.covered) if f else 0,
        missing=tuple(s.missing) if s else (),
        flags=tuple(fl.id for fl in s.flags) if s else (),
        follow_up=f.choice.prompt if f else None,
    )


# ---------------------------------------------------------------- what to work on first


@dataclass
class Issue:
    id: str
    title: str
    """What to do, in a few words."""
    details: list[str] = field(default_factory=list)
    """Where it happened: one short note per answer."""
    score: float = 0.0

    @property
    def text(self) -> str:
        return f"{self.title}: {'; '.join(self.details)}" if self.details else self.title


def short(text: str, width: int = 34) -> str:
    """A question's opening words, to name it in a line."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _clock(seconds: float) -> str:
    whole = int(round(max(0.0, seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


_TITLES = {
    "silent": "Answer every question out loud",
    "over-guideline": "Keep to the time",
    "coverage": "Cover more of what the interviewer listens for",
    "no-result": "End every story on its result",
    "result-unmeasured": "Put a number on the result",
    "no-lesson": "Close with what you learned",
    "no-action": "Say what you did yourself",
    "long-setup": "Get through the set-up faster",
    "short-action": "Spend most of the time on what you did",
    "we-not-i": "Say \"I\" for what you did",
    "fillers": "Cut the fillers",
    "hedging": "Drop the hedges",
    "too-short": "Tell the whole story",
    "fast": "Slow down",
    "slow": "Pick up the pace",
}
# Ties go to the issue interviewers weigh more.
_ORDER = list(_TITLES)
_PHASE_ISSUES = {"result": ("no-result", 3.0), "lesson": ("no-lesson", 2.5), "action": ("no-action", 2.5)}
_FLAG_ISSUES = {"long-setup": 2.0, "short-action": 1.5, "we-not-i": 2.0, "result-unmeasured": 1.5, "hedging": 1.2}


def _answer_issues(report: Report) -> list[tuple[str, float, str]]:
    """(issue id, weight, note) for one answer."""
    q = report.question
    assert q is not None
    name = f"“{short(q.text)}”"
    a = report.analysis
    out: list[tuple[str, float, str]] = []
    if report.heard_nothing:
        return [("silent", 5.0, f"nothing heard on {name} (if you spoke: a muted microphone?)")]
    if not a.words:  # speech was heard, but no word of it could be made out
        return [("silent", 5.0, f"no words made out on {name}")]
    if a.over_guideline:
        over = a.speaking_s - a.guideline_s
        out.append(("over-guideline", 2.0 + 4.0 * min(1.0, over / a.guideline_s), f"{name} ran {_clock(over)} over {_clock(a.guideline_s)}"))
    elif q.kind == "behavioral" and a.speaking_s < SHORT_SHARE * a.guideline_s:
        out.append(("too-short", 1.5, f"{name} was over in {_clock(a.speaking_s)} of {_clock(a.guideline_s)}"))
    if report.rubric:
        share = report.covered / len(report.rubric)
        if share < COVERAGE_LIMIT:
            missed = [r.point for r in report.rubric if not r.covered]
            note = f"{report.covered} of {len(report.rubric)} on {name} (missed: {missed[0]}"
            note += f" and {len(missed) - 1} more)" if len(missed) > 1 else ")"
            out.append(("coverage", 1.5 + 4.0 * (COVERAGE_LIMIT - share), note))
    s = report.structure
    if s is not None:
        given_later = set(report.follow_up.phases) if report.follow_up else set()
        for phase in s.missing:
            if phase in _PHASE_ISSUES:
                issue, weight = _PHASE_ISSUES[phase]
                note = f"{name}" + (" (you gave it only when asked)" if phase in given_later else "")
                out.append((issue, weight, note))
        for flag in s.flags:
            if flag.id in _FLAG_ISSUES:
                out.append((flag.id, _FLAG_ISSUES[flag.id], f"{name}: {flag.message}"))
    if a.fillers_per_min > FILLERS_PER_MIN_LIMIT:
        weight = 1.5 + min(3.0, (a.fillers_per_min - FILLERS_PER_MIN_LIMIT) / 2.0)
        out.append(("fillers", weight, f"{a.fillers_per_min:.1f} a minute on {name}"))
    if a.speaking_s >= 20:
        if a.wpm > FAST_WPM:
            out.append(("fast", 1.0, f"{a.wpm:.0f} words a minute on {name}"))
        elif a.wpm < SLOW_WPM:
            out.append(("slow", 1.0, f"{a.wpm:.0f} words a minute on {name}"))
    return out


def rank_issues(reports: Sequence[Report]) -> list[Issue]:
    """Every issue across the answers, the one to work on first at the top.

    An issue's score adds up over the answers it shows in, so a habit beats a slip.
    """
    issues: dict[str, Issue] = {}
    for report in reports:
        if report.question is None:
            continue
        for issue_id, weight, note in _answer_issues(report):
            issue = issues.setdefault(issue_id, Issue(issue_id, _TITLES[issue_id]))
            issue.details.append(note)
            issue.score += weight
    return sorted(issues.values(), key=lambda i: (-round(i.score, 6), _ORDER.index(i.id)))


def work_on_first(reports: Sequence[Report], limit: int = 3) -> list[Issue]:
    """The three things to work on first."""
    return rank_issues(reports)[:limit]
