"""Evidence that is the right sentence: a rubric point named after a story phase
("Situation: ...", "Actions taken personally", "Result", "Lesson ...") takes its evidence
from a clause of that phase, as the story judge placed them.

- missed: the story has no such phase, whatever other sentences happen to say;
- covered: one of the point's phrasings is said in a clause of its phase (that clause
  is the evidence), or the phase is plainly there: the rubric heard the point somewhere
  in the answer, or, for a generic point, the judge is sure of the phase's clearest
  clause (at least :data:`STRONG`); that clause is the evidence;
- partly: the phase is there but its best clause is weak (for a point that asks for a part of its
  phase, such as the root cause of the obstacle, the evidence is then the clause that comes closest
  to saying it: :func:`_closest`), or the actions are told with
  "we" and never "I" (the point asks what the speaker did), or the answer is off topic
  (:func:`rubric.on_topic`: a generic point such as the result is then only partly
  earned, as :func:`rubric.judge` would not count it at all).

The point that asks for a number on the result (:data:`structure.MEASURED_POINT`) is judged on
the told story, not the set-up (:func:`_measured`; off topic, a number said is only partly earned,
never "missing"): the banks count a measured damage or recovery
wherever it is told ("it broke production for an hour"), a result clause that gives a figure
counts, and a number said only in the situation ("asked to ship two weeks early") does not;
:func:`agree_measure` then makes the "result has no measure" flag agree with the point.

Other points keep the rubric's own judgement, unless the answer tells no story at all
(every clause "none": an explanation or small talk given to a behavioral question): then
no point of the question is covered, whatever words it shares with them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from mock_interview.core.judge.questions import PHASE_IDS, Question, RubricPoint
from mock_interview.core.judge.phases import nearest_in_meaning
from mock_interview.core.judge.rubric import Evidence, PointResult, judge_point, on_topic, parts_said, phrase_in
from mock_interview.core.judge.structure import MEASURED_POINT, OFF_TOPIC, UNMEASURED, Structure


STRONG = 0.6
"""The judge's confidence in a clause's phase from which that clause covers its phase's point."""


def place_evidence(question: Question, results: Sequence[PointResult], structure: Structure) -> list[PointResult]:
    """``results`` (from :func:`rubric.judge`) with phase-named points judged on their phase; a story
    told off topic gets the :data:`structure.OFF_TOPIC` flag in ``structure``."""
    points = {p.id: p for p in question.rubric}
    said = any(r.covered for r in results if r.id in points and not points[r.id].generic)
    topical = on_topic(question, said, " ".join(u.text for u in structure.units))
    no_story = bool(structure.labels) and all(name == "none" for name in structure.labels)
    out: list[PointResult] = []
    for r in results:
        point = points.get(r.id)
        phase = point.phase if point is not None else None
        if no_story and point is not None:
            out.append(replace(r, covered=False, evidence=None, phrasing=None, partial=False))
            continue
        if r.id == MEASURED_POINT and point is not None:
            measured = _measured(point, r, structure)  # off topic: a number said is still said, but only partly earned
            out.append(measured if topical or not measured.covered else replace(measured, covered=False, partial=True))
            continue
        if phase is None or point is None:
            out.append(r)
            continue
        clauses = structure.clauses_of(phase)
        if not clauses:
            out.append(replace(r, covered=False, evidence=None, phrasing=None, partial=False))
            continue
        hit = judge_point(point, [structure.units[i] for i in clauses])
        best = max(clauses, key=lambda i: structure.confidence[i] if i < len(structure.confidence) else 0.0)
        sure = structure.confidence[best] >= STRONG if best < len(structure.confidence) else False
        if point.id not in PHASE_IDS and not hit.covered:  # a part of its phase, not the phase itself
            best = _closest(point, clauses, structure)
        personal = phase != "action" or structure.agency.i > 0
        if point.generic:
            strong = topical and personal and (hit.covered or r.covered or sure)
        else:  # the question's own point: only its phrasings say it
            strong = personal and (hit.covered or r.covered)
        if hit.covered:
            out.append(replace(hit, covered=strong, partial=not strong))
            continue
        unit = structure.units[best]
        out.append(replace(r, covered=strong, evidence=Evidence(unit.text, unit.start, unit.end), phrasing=None,
                           partial=not strong))
    if not topical and not no_story and structure.phases and OFF_TOPIC not in structure.flags:
        structure.flags.insert(0, OFF_TOPIC)  # say why every generic point is only partly earned
    return out


def _closest(point: RubricPoint, clauses: Sequence[int], structure: Structure) -> int:
    """The clause (of ``clauses``, the point's phase) that comes closest to saying a point that asks
    for a part of its phase (its bank names the phase; its id is no phase's) where no clause says it
    whole: the most parts of its phrasings said, then the nearest in meaning to
    what it asks (its name and what a strong answer does); of the clauses the judge is sure are of the
    phase (:data:`STRONG`), if any. The phase's clearest clause is most often where the story opens its
    obstacle ("a month after launch the precision dropped"), not the root cause the point asks for
    ("the billing system had moved customers to new plan codes")."""
    sure = [i for i in clauses if i < len(structure.confidence) and structure.confidence[i] >= STRONG]
    clauses = sure or clauses
    if len(clauses) == 1:
        return clauses[0]
    texts = [structure.units[i].text for i in clauses]
    said = [parts_said(point, t) for t in texts]
    near = nearest_in_meaning(texts, f"{point.point}: {point.strong}" if point.strong else point.point)
    return clauses[max(range(len(clauses)), key=lambda j: (said[j], near[j]))]


def _measured(point: RubricPoint, r: PointResult, structure: Structure) -> PointResult:
    """The point that asks for a number on the result, judged on the told story of an answer on
    topic (off topic, the rubric's own verdict stands: such a point is not counted). The banks
    count a measured damage or recovery wherever it is told ("bookings dropped by a fifth"), but a
    number said only in the set-up ("asked me to ship two weeks early", "a team of 12") is no
    result. A result clause that says one of the point's phrasings, else one that gives a figure
    ("shipped five weeks later with ninety percent precision": a number with its unit, a share),
    covers it and is the evidence; else the rubric's verdict stands, but where the rubric heard
    the point only in clauses the judge placed in the situation (or outside the story), the rest
    of the story is judged again."""
    if not structure.labels:
        return r
    results = structure.clauses_of("result")
    in_result = judge_point(point, [structure.units[i] for i in results])
    if in_result.covered:
        return replace(r, covered=True, evidence=in_result.evidence, phrasing=in_result.phrasing, partial=False)
    figure = next((i for i in results if phrase_in("@measure", structure.units[i].text)), None)
    if figure is not None:
        unit = structure.units[figure]
        return replace(r, covered=True, evidence=Evidence(unit.text, unit.start, unit.end), phrasing=None, partial=False)
    if not r.covered or r.evidence is None:
        return r
    span = r.evidence
    told = [i for i, name in enumerate(structure.labels) if name not in ("situation", "none")]
    if any(structure.units[i].start < span.end and span.start < structure.units[i].end for i in told):
        return r
    again = judge_point(point, [structure.units[i] for i in told])
    return again if again.covered else replace(r, covered=False, evidence=None, phrasing=None, partial=False)


def agree_measure(results: Sequence[PointResult], structure: Structure) -> None:
    """Make ``structure``'s "result has no measure" flag say what the question's point that asks for
    a number on the result says (in ``results``, from :func:`place_evidence`): dropped when the point
    is covered or partly earned, raised when a stated result leaves it missed (a span such as "it took
    weeks" is no number), so the report never ticks one and flags the other."""
    point = next((r for r in results if r.id == MEASURED_POINT), None)
    if point is None:
        return
    flagged = any(f.id == UNMEASURED.id for f in structure.flags)
    if point.covered or point.partial:
        structure.flags = [f for f in structure.flags if f.id != UNMEASURED.id]
    elif not flagged and structure.phases and "result" not in structure.missing:
        structure.flags.insert(0, UNMEASURED)  # where structure._flags puts it
