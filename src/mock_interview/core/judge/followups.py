"""Follow-up questions: which one to ask after an answer, and judging the short reply with it.

An answer that misses a rubric point or a SOAR phase earns one follow-up, as an
interviewer would ask it. Story phases come first (the result, then the lesson, then
what the speaker did), then the question's own points in the bank's order. For each
gap, the bank's follow-up prompts are scored by how closely they probe it (the
point's phrasings said in the prompt, and the words they share); a behavioral answer
missing a phase that no prompt of the bank probes gets a built-in one.

The reply is judged together with the main answer: a point it covers counts as
covered for the take, marked as said in the follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Sequence

from mock_interview.core.delivery.analysis import Analysis, AnalysisOptions, Sentence, analyze_words
from mock_interview.core.judge import PointResult, content_stems, judge, says, story_phases
from mock_interview.core.judge.questions import Question, RubricPoint
from mock_interview.core.judge.stories import StoryCoverage, points_question
from mock_interview.core.judge.structure import MEASURED_POINT
from mock_interview.core.speech.words import Word

if TYPE_CHECKING:  # the report is read and extended here, never built from scratch
    from mock_interview.core.report import Report

FOLLOW_UP_GUIDELINE_S = 60

PHASE_PROMPTS = {
    "result": "What was the result, in numbers?",
    "measure": "What was the result, in numbers?",
    "lesson": "What did you learn from it?",
    "action": "What did you do yourself, step by step?",
    "agency": "What did you do yourself, step by step?",
    "obstacle": "What made it hard?",
    "situation": "Can you set the scene: where were you, and what was at stake?",
}
"""Built-in prompts, for a behavioral answer missing a phase that the bank's prompts do not probe."""

PHASE_LABELS = {
    "result": "no result stated",
    "measure": "the result has no number",
    "lesson": "no lesson",
    "action": "no action of your own",
    "agency": "the actions say \"we\", not what you did",
    "obstacle": "no obstacle",
    "situation": "no situation",
}

_PHASE_WORDS = {
    "result": "result results outcome outcomes end ended impact metric metrics number numbers confirm worked",
    "measure": "number numbers metric metrics measure measured percent much many confirm",
    "lesson": "learn learned lesson lessons differently looking back applying apply change today",
    "action": "yourself personally step steps role decide decided",
    "agency": "yourself personally step steps role decide decided",
    "obstacle": "hard hardest difficult problem challenge wrong",
    "situation": "scene context stake team project",
}


def _phase_of(point: RubricPoint) -> str | None:
    """The story phase ``point`` is named after (:attr:`RubricPoint.phase`), or "measure" for the
    point that asks for a number on the result."""
    return "measure" if point.id == MEASURED_POINT else point.phase


_STOP = frozenset(
    """i me my we us our you your they them their he she his her what when where which who whom why how
    would could should can do did does done was were has have had will any some that this those
    give tell example say said says one after before again later""".split()
)


@dataclass(frozen=True)
class Gap:
    """Something the answer missed that a follow-up can probe."""

    kind: str
    """"phase" (a SOAR phase, or "measure": a result without a number) or "point" (a rubric point)."""
    name: str
    """The phase name or the rubric point id."""
    label: str
    """What was missed, for the user."""

    @property
    def reason(self) -> str:
        """Why the follow-up was asked, in a few words."""
        return self.label if self.kind == "phase" else f"missed “{self.label}”"


@dataclass(frozen=True)
class FollowUpChoice:
    prompt: str
    gap: Gap
    from_bank: bool


def gaps(report: Report) -> list[Gap]:
    """What the answer truly missed, most worth a follow-up first.

    For a story: a phase the story judge did not hear at all, a result without a number,
    actions told with "we"; then the question's own points that were missed. A point
    named after a phase the story has (covered or partly) is no gap: the phase is there.
    """
    question = report.question
    if question is None:
        return []
    found: list[Gap] = []
    structure = report.structure
    present: set[str] = set()
    if structure is not None:
        flags = {f.id for f in structure.flags}
        present = {p.name for p in structure.phases}
        if "result" in present and "result-unmeasured" not in flags:
            present.add("measure")
        for phase in ("result", "lesson", "action"):
            if phase in structure.missing:
                found.append(Gap("phase", phase, PHASE_LABELS[phase]))
            elif phase == "result" and "result-unmeasured" in flags:
                found.append(Gap("phase", "measure", PHASE_LABELS["measure"]))
            elif phase == "action" and "we-not-i" in flags:
                found.append(Gap("phase", "agency", PHASE_LABELS["agency"]))
    missed = [r for r in report.rubric if r.status == "missed"]
    points = {p.id: p for p in question.rubric}
    phased = {g.name for g in found}
    specific = [r for r in missed if not points[r.id].generic]
    generic = [r for r in missed if points[r.id].generic]
    for r in specific + generic:
        phase = _phase_of(points[r.id])
        if phase in phased or (phase == "measure" and ("result" in phased or "measure" in phased)):
            continue
        if phase in present or (phase == "action" and "agency" in phased):
            continue  # the story has that phase: no reason for a follow-up
        found.append(Gap("point", r.id, r.point))
    if structure is not None:
        found += [Gap("phase", p, PHASE_LABELS[p]) for p in ("obstacle", "situation") if p in structure.missing]
    return found


def _keys(text: str) -> set[str]:
    return content_stems(text, _STOP)


def relevance(prompt: str, gap: Gap, question: Question) -> float:
    """How closely ``prompt`` probes ``gap``: 0 means not at all.

    A missing phase is probed only by a prompt that says one of the phrasings of the question's
    point named after that phase: words in common are not enough. "How did you decide between
    rolling back and fixing forward?" shares "back" and "fix" with the result's "back to normal"
    and "we fixed it", and was asked of a story with no result heard. ``bench/followups.py``,
    the follow-ups asked for a missing phase that probe it: the banks' own prompts 33 -> 53 of 56,
    follow-ups written for the same questions afterwards and held out 44 -> 54 of 56; a
    question's own prompt is asked less (where one probes the gap, 11 of 23 -> 3 of 23, held out
    31 of 44 -> 9 of 44), the built-in prompt of the phase otherwise."""
    topic = _keys(question.text)
    words = _keys(prompt) - topic
    points: list[RubricPoint] = []
    if gap.kind == "point":
        points = [p for p in question.rubric if p.id == gap.name]
    else:
        name = "action" if gap.name == "agency" else gap.name
        points = [p for p in question.rubric if _phase_of(p) == name]
    score = 0.0
    phrased = False
    for point in points:
        if any(says(phrasing, prompt) for phrasing in point.phrasings):
            score += 3.0
            phrased = True
        score += len(words & (_keys(f"{point.point} {point.strong}") - topic))
    if gap.kind == "phase":
        if not phrased:
            return 0.0
        score += 2.0 * len(words & _keys(_PHASE_WORDS[gap.name]))
    return score


def choose_follow_up(report: Report, asked: Sequence[str] = ()) -> FollowUpChoice | None:
    """The follow-up for this answer, or None when it missed nothing a follow-up probes.

    ``asked`` are prompts already put to the user (in this mock interview), not asked twice.
    """
    question = report.question
    if question is None or not report.analysis.words:
        return None  # nothing was heard: a follow-up would probe a microphone problem, not an answer
    for gap in gaps(report):
        choice = follow_up_for(gap, question, asked)
        if choice is not None:
            return choice
    return None


def follow_up_for(gap: Gap, question: Question, asked: Sequence[str] = ()) -> FollowUpChoice | None:
    """The follow-up that probes ``gap``: the question's own prompt (not in ``asked``) that
    probes it most (:func:`relevance`), else, for a missing phase, the built-in prompt; None if
    neither."""
    prompts = [p for p in question.follow_ups if p not in asked]
    scored = [(relevance(p, gap, question), -n, p) for n, p in enumerate(prompts)]
    best = max(scored, default=None)
    if best is not None and best[0] > 0:
        return FollowUpChoice(best[2], gap, from_bank=True)
    if gap.kind == "phase":
        return FollowUpChoice(PHASE_PROMPTS[gap.name], gap, from_bank=False)
    return None


# ---------------------------------------------------------------- judging the reply with the answer


@dataclass
class FollowUpAnswer:
    """The follow-up question and its short reply, as part of a take."""

    choice: FollowUpChoice
    analysis: Analysis
    offset_s: float
    """Where the reply sits on the take's timeline: after the whole main recording."""
    covered: list[str] = field(default_factory=list)
    """Rubric point ids the reply covered that the main answer had not."""
    phases: list[str] = field(default_factory=list)
    """SOAR phases heard in the reply."""
    audio_path: str | None = None

    @property
    def guideline_s(self) -> float:
        return self.analysis.guideline_s

    def to_dict(self) -> dict:
        a = self.analysis
        return {
            "prompt": self.choice.prompt,
            "reason": self.choice.gap.reason,
            "gap": {"kind": self.choice.gap.kind, "name": self.choice.gap.name},
            "from_bank": self.choice.from_bank,
            "transcript": a.transcript,
            "words": [{**w.to_dict(), "filler": flag} for w, flag in zip(a.words, a.filler_flags)],
            "offset_s": self.offset_s,
            "duration_s": a.duration_s,
            "speaking_s": a.speaking_s,
            "guideline_s": a.guideline_s,
            "over_guideline": a.over_guideline,
            "wpm": a.wpm,
            "filler_count": len(a.fillers),
            "fillers_per_min": a.fillers_per_min,
            "covered": list(self.covered),
            "phases": list(self.phases),
            "audio_path": self.audio_path,
        }


def _shifted(sentences: Sequence[Sentence], offset: float) -> list[Sentence]:
    return [Sentence(s.first, s.last, s.start + offset, s.end + offset, s.text) for s in sentences]


def _rejudge(
    question: Question, before: list[PointResult], sentences: Sequence[Sentence]
) -> tuple[list[PointResult], list[str]]:
    """Judge over answer and reply; a point the answer covered keeps its evidence from the answer, and one
    it partly earned stays so (with its evidence) unless the reply covers it."""
    after = judge(question, sentences)
    merged = [new if new.covered and not old.covered else old for old, new in zip(before, after)]
    gained = [new.id for old, new in zip(before, after) if new.covered and not old.covered]
    return merged, gained


def attach_follow_up(
    report: Report,
    choice: FollowUpChoice,
    words: Sequence[Word],
    duration_s: float,
    audio_path: str | None = None,
    options: AnalysisOptions | None = None,
) -> Report:
    """The take's report with the follow-up reply judged together with the main answer."""
    reply = analyze_words(words, duration_s, FOLLOW_UP_GUIDELINE_S, options or report.analysis.options)
    offset = report.analysis.duration_s
    combined = list(report.analysis.sentences) + _shifted(reply.sentences, offset)
    rubric, gained = list(report.rubric), []
    if report.question is not None:
        rubric, gained = _rejudge(report.question, list(report.rubric), combined)
    story = report.story
    if story is not None:
        points, story_gained = _rejudge(points_question(story.story), list(story.points), combined)
        story = StoryCoverage(story.story, points, set(story_gained))
    asked = {"measure": "result", "agency": "action"}.get(choice.gap.name, choice.gap.name)
    phases = story_phases(reply.sentences, asked if choice.gap.kind == "phase" else None) if report.structure else []
    follow_up = FollowUpAnswer(choice, reply, offset, gained, phases, audio_path)
    return replace(report, rubric=rubric, story=story, follow_up=follow_up)
