"""The report of one take: the analysis and the rubric, as the UI and JSON show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from mock_interview.core.analysis import Analysis, AnalysisOptions, analyze_words
from mock_interview.core.questions import Question
from mock_interview.core.rubric import PointResult, judge
from mock_interview.core.structure import Structure, analyze_structure
from mock_interview.core.words import Word

REPORT_VERSION = 1


@dataclass
class Report:
    analysis: Analysis
    rubric: list[PointResult] = field(default_factory=list)
    question: Question | None = None
    structure: Structure | None = None
    """The story's SOAR phases and flags, for behavioral questions."""

    @property
    def covered(self) -> int:
        return sum(1 for r in self.rubric if r.covered)

    def to_dict(self) -> dict:
        a = self.analysis
        q = self.question
        return {
            "version": REPORT_VERSION,
            "question": None
            if q is None
            else {"id": q.id, "bank": q.bank, "text": q.text, "kind": q.kind},
            "transcript": a.transcript,
            "words": [
                {**w.to_dict(), "filler": flag} for w, flag in zip(a.words, a.filler_flags)
            ],
            "duration_s": a.duration_s,
            "speaking_s": a.speaking_s,
            "guideline_s": a.guideline_s,
            "over_guideline": a.over_guideline,
            "first_word_s": a.first_word_s,
            "word_count": a.content_word_count,
            "wpm": a.wpm,
            "pace": [{"start": p.start, "end": p.end, "wpm": p.wpm} for p in a.pace],
            "fillers": [{"text": f.text, "start": f.start, "end": f.end} for f in a.fillers],
            "filler_count": len(a.fillers),
            "fillers_per_min": a.fillers_per_min,
            "filler_bursts": [{"start": b.start, "end": b.end, "count": b.count} for b in a.bursts],
            "pauses": [
                {
                    "start": p.start,
                    "end": p.end,
                    "duration_s": p.duration,
                    "after_word": p.after,
                    "context": _pause_context(a.words, p.after),
                }
                for p in a.pauses
            ],
            "pause_threshold_s": a.options.pause_s,
            "rubric": [r.to_dict() for r in self.rubric],
            "rubric_covered": self.covered,
            "rubric_total": len(self.rubric),
            "structure": self.structure.to_dict() if self.structure else None,
        }


def _pause_context(words: Sequence[Word], after: int, span: int = 4) -> str:
    before = " ".join(w.text for w in words[max(0, after - span + 1) : after + 1])
    following = " ".join(w.text for w in words[after + 1 : after + 1 + span])
    return f"{before} … {following}"


def build_report(
    words: Sequence[Word],
    duration_s: float,
    question: Question | None = None,
    options: AnalysisOptions | None = None,
) -> Report:
    analysis = analyze_words(words, duration_s, question.guideline_s if question else None, options)
    structure = (
        analyze_structure(analysis.sentences, analysis.speaking_s)
        if question is not None and question.kind == "behavioral"
        else None
    )
    return Report(analysis=analysis, rubric=judge(question, analysis.sentences), question=question, structure=structure)
