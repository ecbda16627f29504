"""The blocking work behind the screens, as plain functions run in thread workers.

Nothing here touches a widget: each function takes the devices it needs and returns
a value that the worker sends back in a message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from mock_interview.core.delivery.analysis import AnalysisOptions
from mock_interview.core.speech.chunker import VadFn
from mock_interview.core.devices import Recorder
from mock_interview.core.judge.followups import attach_follow_up
from mock_interview.core.judge.questions import Bank, Question
from mock_interview.core.store.recovery import Unfinished, clear_marker, recover
from mock_interview.core.report import Report, analyze_file
from mock_interview.core.session import TakeSession
from mock_interview.core.store.storage import StorageError, Store, Take
from mock_interview.core.judge.stories import (
    PointsDiff,
    Story,
    StoryCoverage,
    compare_points,
    cover_points,
)
from mock_interview.core.speech.transcribe import Transcriber
from mock_interview.core.speech.words import Word
from mock_interview.tui.takes import PendingFollowUp, TakeResult


def previous_take(store: Store, question: Question) -> Take | None:
    """The latest saved take of ``question``, for comparison with the new one."""
    takes = store.takes(question_id=question.id, bank=question.bank)
    return takes[0] if takes else None


def new_take(
    recorder: Recorder,
    transcriber: Transcriber,
    question: Question | None,
    audio_path: Path,
    on_words: Callable[[list[Word]], None],
    options: AnalysisOptions | None = None,
    vad: VadFn | None = None,
    said_before: str | None = None,
) -> TakeSession:
    """The core's take session, its live transcription reporting words to the screen and told
    ``said_before``, what was read aloud before it (the question's text if None)."""
    return TakeSession(recorder, transcriber, question, audio_path, options, on_words=on_words, vad=vad,
                       said_before=said_before.split() if said_before is not None else None)


def previous_story_take(store: Store, story: Story, but: int | None = None) -> Take | None:
    """The latest saved take of ``story`` (other than take ``but``)."""
    return next((t for t in store.story_takes(story.id) if t.id != but), None) if story.id is not None else None


def story_diff(store: Store, coverage: StoryCoverage, previous: Take | None) -> PointsDiff | None:
    """The talking points that appeared or disappeared since the story's previous take."""
    return compare_points(coverage, store.report_json(previous.id).get("story") if previous else None)


def _with_story(report: Report, story: Story | None) -> None:
    if story is not None:
        report.story = cover_points(story, report.analysis.sentences)


def finish_take(session: TakeSession, store: Store, story: Story | None = None) -> TakeResult:
    """Stop, transcribe only the unfinished tail, analyse, and save (clearing the recovery marker).

    Rehearsing a story, the talking points are judged too and compared with the story's previous take.
    """
    assert session.question is not None
    try:
        previous = previous_story_take(store, story) if story else previous_take(store, session.question)
    except StorageError:
        previous = None  # the save below says what is wrong with the store
    finished = session.stop()
    _with_story(finished.report, story)
    story_id = story.id if story else None
    try:
        take = session.save(store, finished, story_id)
    except StorageError as exc:  # the report is kept on screen; the audio and its marker stay
        return TakeResult(question=session.question, report=finished.report, take=None, previous=previous,
                          unsaved=str(exc), audio_path=finished.recording.path, story_id=story_id)
    diff = story_diff(store, finished.report.story, previous) if finished.report.story else None
    return TakeResult(question=session.question, report=finished.report, take=take, previous=previous, story_diff=diff)


def save_again(result: TakeResult, store: Store) -> TakeResult:
    """Save a take whose first save failed (StorageError again if the store still cannot)."""
    if result.from_file and result.audio_path is not None:
        take = store.save_take_from_file(result.audio_path, result.report, result.question, result.story_id)
    else:
        take = store.save_take(result.report, result.question, result.audio_path, story_id=result.story_id)
    if result.audio_path is not None and not result.from_file:
        clear_marker(result.audio_path)
    return TakeResult(question=result.question, report=result.report, take=take, previous=result.previous,
                      story_diff=result.story_diff)


def export_unsaved(result: TakeResult, folder: Path) -> Path:
    """The report of an unsaved take as Markdown in ``folder`` (the user's home: the data folder may be the trouble)."""
    from datetime import datetime

    from mock_interview.core.errors import UserError
    from mock_interview.core.store.export import take_markdown

    d = result.report.to_dict()
    now = datetime.now()
    stand_in = Take(0, result.question.id, result.question.bank, result.question.text, 0, now.isoformat(),
                    str(result.audio_path) if result.audio_path else None, d["duration_s"], d["speaking_s"],
                    d["guideline_s"], d["wpm"], d["filler_count"], d["fillers_per_min"], d["rubric_covered"],
                    d["rubric_total"], d["transcript"])
    path = folder / f"mock-interview-{result.question.id}-{now.strftime('%Y%m%d-%H%M%S')}.md"
    try:
        path.write_text(take_markdown(stand_in, d).replace("# Take 0:", "# Unsaved take:"), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write the report to {path}: {exc.strerror}") from None
    return path


def finish_follow_up(session: TakeSession, store: Store, pending: PendingFollowUp) -> TakeResult:
    """Stop the reply, judge it together with the saved answer, and update the answer's take."""
    answer = pending.answer
    finished = session.stop()
    report = attach_follow_up(
        answer.report,
        pending.choice,
        finished.report.analysis.words,
        finished.recording.duration_s,
        audio_path=str(finished.recording.path),
        options=session.options,
    )
    take = store.update_report(answer.take.id, report)
    clear_marker(session.audio_path)
    diff = answer.story_diff
    if report.story is not None:
        diff = story_diff(store, report.story, previous_story_take(store, report.story.story, but=take.id))
    return TakeResult(question=answer.question, report=report, take=take, previous=answer.previous, story_diff=diff)


def answer_from_file(
    path: Path,
    transcriber: Transcriber,
    question: Question,
    store: Store,
    options: AnalysisOptions | None = None,
    story: Story | None = None,
    vad: VadFn | None = None,
) -> TakeResult:
    """Transcribe and analyse an answer recorded elsewhere; the file is copied into the store."""
    report = analyze_file(path, transcriber, question, options, vad=vad)
    _with_story(report, story)
    try:
        previous = previous_story_take(store, story) if story else previous_take(store, question)
        take = store.save_take_from_file(path, report, question, story.id if story else None)
    except StorageError as exc:
        return TakeResult(question=question, report=report, take=None, unsaved=str(exc), audio_path=path,
                          story_id=story.id if story else None, from_file=True)
    diff = story_diff(store, report.story, previous) if report.story else None
    return TakeResult(question=question, report=report, take=take, previous=previous, story_diff=diff, from_file=True)


def recover_takes(
    items: list[Unfinished], store: Store, transcriber: Transcriber, banks: list[Bank], vad: VadFn | None = None
) -> list[Take]:
    """Transcribe and save takes that a crash or a kill interrupted."""
    return [recover(item, store, transcriber, banks, vad) for item in items]


def delete_unfinished(items: list[Unfinished]) -> None:
    for item in items:
        item.audio.unlink(missing_ok=True)
        item.marker.unlink(missing_ok=True)
