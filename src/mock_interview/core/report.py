"""The report of one take: the analysis and the rubric, as the UI and JSON show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from mock_interview.core.delivery.analysis import Analysis, AnalysisOptions, analyze_words
from mock_interview.core.delivery.habits import Habits, find_habits
from mock_interview.core.delivery.prosody import Contour, Prosody, contour_of, measure_prosody
from mock_interview.core.judge.questions import Question
from mock_interview.core.judge.rubric import PointResult, judge
from mock_interview.core.judge.evidence import agree_measure, place_evidence
from mock_interview.core.judge.phases import continuations
from mock_interview.core.judge.structure import Structure, analyze_structure, split_clauses
from mock_interview.core.speech.audio import open_audio
from mock_interview.core.speech.chunker import VadFn
from mock_interview.core.speech.engine import transcribe_file
from mock_interview.core.speech.transcribe import Transcriber, model_name
from mock_interview.core.speech.vad import Region, Sound
from mock_interview.core.speech.words import Word

if TYPE_CHECKING:
    from mock_interview.core.judge.followups import FollowUpAnswer
    from mock_interview.core.judge.stories import StoryCoverage

REPORT_VERSION = 1


@dataclass
class Report:
    analysis: Analysis
    rubric: list[PointResult] = field(default_factory=list)
    question: Question | None = None
    structure: Structure | None = None
    """The story's SOAR phases and flags, for behavioral questions."""
    story: StoryCoverage | None = None
    """Rehearsing one of the user's stories: which of its talking points were said."""
    follow_up: FollowUpAnswer | None = None
    """The follow-up question and its reply, judged with the answer (core.followups)."""
    prosody: Prosody | None = None
    """Pitch and loudness (None when the report was built from words alone, without audio)."""
    habits: Habits | None = None
    model: str | None = None
    """The speech model that transcribed the take ("tiny.en", "base")."""

    @property
    def covered(self) -> int:
        return sum(1 for r in self.rubric if r.covered)

    @property
    def heard_nothing(self) -> bool:
        """No speech in the recording at all: no word, no stretch of speech left untranscribed, no
        sound named. What the rubric and the story say of it is about the microphone, not the answer."""
        a = self.analysis
        return not a.words and not a.uncovered and not a.sounds

    def to_dict(self) -> dict:
        a = self.analysis
        q = self.question
        follow_up_ids = set(self.follow_up.covered) if self.follow_up else set()
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
            "uncovered": [{"start": r.start, "end": r.end} for r in a.uncovered],
            "sounds": [{"start": r.start, "end": r.end, "name": r.name} for r in a.sounds],
            "model": self.model,
            "heard_nothing": self.heard_nothing,
            "rubric": [{**r.to_dict(), "in_follow_up": r.id in follow_up_ids} for r in self.rubric],
            "rubric_covered": self.covered,
            "rubric_total": len(self.rubric),
            "structure": self.structure.to_dict() if self.structure else None,
            "story": self.story.to_dict() if self.story else None,
            "follow_up": self.follow_up.to_dict() if self.follow_up else None,
            "prosody": self.prosody.to_dict() if self.prosody else None,
            "habits": self.habits.to_dict() if self.habits else None,
        }


def _pause_context(words: Sequence[Word], after: int, span: int = 4) -> str:
    before = " ".join(w.text for w in words[max(0, after - span + 1) : after + 1])
    following = " ".join(w.text for w in words[after + 1 : after + 1 + span])
    return f"{before} … {following}"


def judges_story(question: Question | None) -> bool:
    """Whether the answer to ``question`` is judged as a story (phases, time budget, "I"/"we",
    and the clause embeddings made ahead for it): a behavioral question's."""
    return question is not None and question.kind == "behavioral"


def build_report(
    words: Sequence[Word],
    duration_s: float,
    question: Question | None = None,
    options: AnalysisOptions | None = None,
    uncovered: Sequence[Region] = (),
    model: str | None = None,
    contour: Contour | None = None,
    sounds: Sequence[Sound] = (),
) -> Report:
    """``uncovered``: speech the VAD heard that no word covers (never a pause); ``sounds``:
    laughter and the like the model named (not words, never a pause);
    ``contour``: the recording's pitch and loudness (:mod:`prosody`); without it the
    report has no prosody (``None``), only what the words tell."""
    analysis = analyze_words(words, duration_s, question.guideline_s if question else None, options, uncovered, sounds)
    rubric = judge(question, analysis.sentences)
    structure = None
    if judges_story(question):
        units = split_clauses(analysis.words, analysis.sentences)
        structure = analyze_structure(units, analysis.speaking_s, continues=continuations(units, analysis.sentences))
        rubric = place_evidence(question, rubric, structure)
        agree_measure(rubric, structure)
    spans = [(s.first, s.last) for s in analysis.sentences]
    prosody = measure_prosody(contour, analysis.words, spans) if contour is not None else None
    habits = find_habits(analysis.words, analysis.filler_flags, [f for f, _ in spans], analysis.speaking_s)
    return Report(analysis=analysis, rubric=rubric, question=question, structure=structure,
                  prosody=prosody, habits=habits, model=model)


def asked(question: Question | None) -> list[str]:
    """What the interviewer said before the answer (the question, read aloud), which the decoder
    of an answer's first chunk is told as later chunks are told the words before them: its words
    ("drift", "CI/CD pipeline", "production incident") are the answer's likely words."""
    return question.text.split() if question else []


def analyze_file(
    path: str | Path,
    transcriber: Transcriber,
    question: Question | None = None,
    options: AnalysisOptions | None = None,
    vad: VadFn | None = None,
) -> Report:
    """The report of an audio file (`analyze`, an answer from a file in the app, a recovered
    take): the live take's streaming path, coverage check included. For a behavioral question the
    story judge's clauses are embedded while the next chunk is transcribed."""
    ahead = None
    if judges_story(question):
        from mock_interview.core.judge.embeddings import shared

        ahead = shared().prefetch
    try:
        heard = transcribe_file(path, transcriber, vad=vad, on_words=ahead, said_before=asked(question))
    finally:
        if ahead is not None:  # also when the file turns out bad halfway: the thread drops its words
            shared().stop_prefetch()
    return build_report(heard.words, heard.duration_s, question, options, heard.uncovered, model_name(transcriber),
                        contour=contour_of(open_audio(path).blocks()), sounds=heard.sounds)
