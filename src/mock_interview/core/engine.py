"""The headless engine: an audio file in, a report out, through the app's own streaming path."""

from __future__ import annotations

from pathlib import Path

from mock_interview.core.analysis import AnalysisOptions
from mock_interview.core.audio import open_audio
from mock_interview.core.errors import AudioError
from mock_interview.core.live import transcribe_stream
from mock_interview.core.questions import Question
from mock_interview.core.report import Report, build_report
from mock_interview.core.transcribe import Transcriber
from mock_interview.core.words import Word


def transcribe_file(path: str | Path, transcriber: Transcriber) -> tuple[list[Word], float]:
    """Words and length of an audio file, decoded and transcribed chunk by chunk.

    Memory stays bounded however long the file: it is cut at the speaker's pauses
    exactly as a live take is.
    """
    stream = open_audio(path)
    words, duration = transcribe_stream(stream.blocks(), transcriber)
    if duration == 0:
        raise AudioError(f"{stream.path} holds no audio (0 samples): record the answer again")
    return words, duration


def analyze_file(
    path: str | Path,
    transcriber: Transcriber,
    question: Question | None = None,
    options: AnalysisOptions | None = None,
) -> Report:
    words, duration = transcribe_file(path, transcriber)
    return build_report(words, duration, question, options)
