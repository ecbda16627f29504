"""The blocking work behind the screens, as plain functions run in thread workers.

Nothing here touches a widget: each function takes the devices it needs and returns
a value that the worker sends back in a message.
"""

from __future__ import annotations

from pathlib import Path

from mock_interview.core.analysis import AnalysisOptions
from mock_interview.core.audio import load_audio
from mock_interview.core.devices import Recording
from mock_interview.core.live import LiveTranscription
from mock_interview.core.questions import Question
from mock_interview.core.report import Report, build_report
from mock_interview.core.storage import Store, Take
from mock_interview.core.transcribe import Transcriber
from mock_interview.tui.session import TakeResult


def previous_take(store: Store, question: Question) -> Take | None:
    """The latest saved take of ``question``, for comparison with the new one."""
    takes = store.takes(question_id=question.id, bank=question.bank)
    return takes[0] if takes else None


def save(store: Store, report: Report, question: Question, audio: Path, copy: bool) -> TakeResult:
    previous = previous_take(store, question)
    if copy:
        take = store.save_take_from_file(audio, report, question)
    else:
        take = store.save_take(report, question, audio)
    return TakeResult(question=question, report=report, take=take, previous=previous)


def finish_recording(
    live: LiveTranscription,
    recording: Recording,
    question: Question,
    store: Store,
    options: AnalysisOptions | None = None,
) -> TakeResult:
    """Transcribe what is left of a recorded take, analyse it and save it."""
    words = live.finish()
    report = build_report(words, recording.duration_s, question, options)
    return save(store, report, question, recording.path, copy=False)


def answer_from_file(
    path: Path,
    transcriber: Transcriber,
    question: Question,
    store: Store,
    options: AnalysisOptions | None = None,
) -> TakeResult:
    """Transcribe and analyse an answer recorded elsewhere; the file is copied into the store."""
    audio = load_audio(path)
    words = transcriber.transcribe(audio.samples)
    report = build_report(words, audio.duration_s, question, options)
    return save(store, report, question, path, copy=True)


def delete_audio(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
