"""The headless engine: an audio file in, a report out."""

from __future__ import annotations

from pathlib import Path

from mock_interview.core.analysis import AnalysisOptions
from mock_interview.core.audio import load_audio
from mock_interview.core.questions import Question
from mock_interview.core.report import Report, build_report
from mock_interview.core.transcribe import Transcriber


def analyze_file(
    path: str | Path,
    transcriber: Transcriber,
    question: Question | None = None,
    options: AnalysisOptions | None = None,
) -> Report:
    audio = load_audio(path)
    words = transcriber.transcribe(audio.samples)
    return build_report(words, audio.duration_s, question, options)
