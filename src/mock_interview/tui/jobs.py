"""The blocking work behind the screens, as plain functions run in thread workers.

Nothing here touches a widget: each function takes the devices it needs and returns
a value that the worker sends back in a message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from mock_interview.core.analysis import AnalysisOptions
from mock_interview.core.audio import load_audio
from mock_interview.core.chunker import VadFn
from mock_interview.core.devices import Recorder
from mock_interview.core.questions import Bank, Question
from mock_interview.core.recovery import Unfinished, recover
from mock_interview.core.report import build_report
from mock_interview.core.session import TakeSession
from mock_interview.core.storage import Store, Take
from mock_interview.core.transcribe import Transcriber
from mock_interview.core.words import Word
from mock_interview.tui.takes import TakeResult


def previous_take(store: Store, question: Question) -> Take | None:
    """The latest saved take of ``question``, for comparison with the new one."""
    takes = store.takes(question_id=question.id, bank=question.bank)
    return takes[0] if takes else None


def new_take(
    recorder: Recorder,
    transcriber: Transcriber,
    question: Question,
    audio_path: Path,
    on_words: Callable[[list[Word]], None],
    options: AnalysisOptions | None = None,
    vad: VadFn | None = None,
) -> TakeSession:
    """The core's take session, its live transcription reporting words to the screen."""
    return TakeSession(recorder, transcriber, question, audio_path, options, on_words=on_words, vad=vad)


def finish_take(session: TakeSession, store: Store) -> TakeResult:
    """Stop, transcribe only the unfinished tail, analyse, and save (clearing the recovery marker)."""
    assert session.question is not None
    previous = previous_take(store, session.question)
    finished = session.stop()
    take = session.save(store, finished)
    return TakeResult(question=session.question, report=finished.report, take=take, previous=previous)


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
    previous = previous_take(store, question)
    take = store.save_take_from_file(path, report, question)
    return TakeResult(question=question, report=report, take=take, previous=previous)


def recover_takes(items: list[Unfinished], store: Store, transcriber: Transcriber, banks: list[Bank]) -> list[Take]:
    """Transcribe and save takes that a crash or a kill interrupted."""
    return [recover(item, store, transcriber, banks) for item in items]


def delete_unfinished(items: list[Unfinished]) -> None:
    for item in items:
        item.audio.unlink(missing_ok=True)
        item.marker.unlink(missing_ok=True)
