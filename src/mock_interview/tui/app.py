"""The app: holds the devices, banks and store, and moves between the screens."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from mock_interview.core.delivery.analysis import AnalysisOptions
from mock_interview.core.speech.chunker import VadFn
from mock_interview.core.devices import Recorder, Speaker
from mock_interview.core.judge.followups import choose_follow_up
from mock_interview.core.player import Player
from mock_interview.core.judge.questions import Bank, Question
from mock_interview.core.store.recovery import Unfinished, find_unfinished
from mock_interview.core.store.storage import Store
from mock_interview.core.judge.stories import Story
from mock_interview.core.judge.summary import pick_mixed
from mock_interview.core.speech.transcribe import Transcriber
from mock_interview.tui import jobs
from mock_interview.tui.commands import MockInterviewCommands
from mock_interview.tui.messages import (
    ModelReady,
    SpeakerFailed,
    TakesRecovered,
    UnfinishedFound,
    WorkFailed,
)
from mock_interview.tui.screens.dialogs import AskAudioFile, AskCount, OfferRecovery
from mock_interview.tui.screens.home import HomeScreen
from mock_interview.tui.screens.interview import InterviewScreen
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.summary import SummaryScreen
from mock_interview.tui.takes import MockSession, PendingFollowUp, TakeResult
from mock_interview.tui.workers import ReportsWorkerFailures

LOADING = "Loading speech model…"
READY = "Speech model ready"

DEFAULT_PROBLEMS = {
    "microphone": "no microphone: answer from an audio file with f",
    "voice": "no interviewer voice: the questions are shown as text",
    "playback": "no audio output: saved takes can be read but not replayed",
}


class MockInterviewApp(ReportsWorkerFailures, App[None]):
    """The mock interviewer. Devices come in through the constructor, so tests hand in fakes.

    A device that is ``None`` is missing: the app still runs, says so in one line, and
    offers what works without it. With ``first_question`` the app opens straight into
    a take of it.
    """

    CSS_PATH = "app.tcss"
    TITLE = "mock-interview"
    SUB_TITLE = "hear the question, answer aloud, see what to fix"
    COMMANDS = App.COMMANDS | {MockInterviewCommands}

    model_status: reactive[str] = reactive(LOADING)

    wrap_up_s: float = 30.0
    """The clock turns to the wrap-up colour this many seconds before the guideline."""
    wrap_up_cue_s: float | None = 30.0
    """The soft wrap-up cue plays this many seconds before the guideline; None: no cue."""
    tick_s: float = 0.1
    """How often the recording clock, the level and the live transcript refresh."""
    mock_default_count: int = 3
    speak_questions: bool = True
    """Read each question aloud (when there is a voice); otherwise wait for space."""
    follow_ups: bool = True
    """After a recorded answer that missed something, ask one follow-up question before the results."""

    def __init__(
        self,
        banks: Sequence[Bank],
        recorder: Recorder | None,
        speaker: Speaker | None,
        transcriber: Transcriber,
        store: Store,
        problems: Mapping[str, str] | None = None,
        rng: random.Random | None = None,
        analysis_options: AnalysisOptions | None = None,
        vad: VadFn | None = None,
        first_question: Question | None = None,
        player: Player | None = None,
    ) -> None:
        super().__init__()
        self.player = player
        """Replays saved takes; None when there is no output device."""
        self.first_question = first_question
        self.analysis_options = analysis_options or AnalysisOptions()
        self.vad = vad
        """Voice activity detection for the live chunker; None for Silero."""
        self.banks = list(banks)
        self.recorder = recorder
        self.speaker = speaker
        self.transcriber = transcriber
        self.store = store
        self.rng = rng or random.Random()
        self.problems: dict[str, str] = dict(problems or {})
        if recorder is None:
            self.problems.setdefault("microphone", DEFAULT_PROBLEMS["microphone"])
        if speaker is None:
            self.problems.setdefault("voice", DEFAULT_PROBLEMS["voice"])
        if player is None:
            self.problems.setdefault("playback", DEFAULT_PROBLEMS["playback"])

    # -- what the screens ask the app
    @property
    def questions(self) -> list[Question]:
        return [q for bank in self.banks for q in bank.questions]

    def question_by_id(self, qualified_id: str) -> Question | None:
        return next((q for q in self.questions if q.qualified_id == qualified_id), None)

    def bank_title(self, bank_id: str) -> str:
        return next((b.title for b in self.banks if b.id == bank_id), bank_id)

    def next_in_bank(self, question: Question) -> Question:
        bank = next(b for b in self.banks if b.id == question.bank)
        ids = [q.id for q in bank.questions]
        return bank.questions[(ids.index(question.id) + 1) % len(ids)]

    def problem_lines(self) -> list[str]:
        """One line per missing part. The error's own message names the part, says how
        to fix it and what still works; the same message (no PortAudio means neither
        microphone nor speaker) is said once."""
        lines: list[str] = []
        for message in self.problems.values():
            line = f"⚠ {message[:1].upper()}{message[1:]}"
            if line not in lines:
                lines.append(line)
        return lines

    # -- screens
    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.load_model()
        self.look_for_unfinished()
        ready = os.environ.get("MOCK_INTERVIEW_READY_FILE")  # bench/startup.py times the launch
        if ready:
            self.call_after_refresh(lambda: Path(ready).write_text("ready"))
        if self.first_question is not None:
            self.start_interview(self.first_question)

    def start_interview(
        self,
        question: Question,
        session: MockSession | None = None,
        audio_file: Path | None = None,
        story: Story | None = None,
    ) -> None:
        """A take of ``question`` (from ``audio_file`` if given), over the home screen."""
        self.go_home()
        self.push_screen(InterviewScreen(question, session=session, audio_file=audio_file, story=story))

    def story_questions(self, story: Story) -> list[Question]:
        """The loaded questions a story answers, each with the story's target as its guideline."""
        found = [self.question_by_id(qid) for qid in story.questions]
        return [replace(q, guideline_s=story.target_s) for q in found if q is not None]

    def rehearse_story(self, story: Story) -> None:
        """The interviewer asks one of the questions the story answers."""
        questions = self.story_questions(story)
        if not questions:
            self.notify(f"None of the questions of “{story.title}” is in the loaded banks: edit the story.",
                        severity="warning")
            return
        self.start_interview(self.rng.choice(questions), story=story)

    def after_answer(
        self, result: TakeResult, session: MockSession | None, story: Story | None, may_follow_up: bool = True
    ) -> None:
        """A follow-up question if the answer missed something (and follow-ups are on), else the results."""
        asked = session.asked if session is not None else []
        choice = None
        if self.follow_ups and may_follow_up and self.recorder is not None and result.take is not None:
            choice = choose_follow_up(result.report, asked)
        if choice is None:
            self.show_results(result, session)
            return
        asked.append(choice.prompt)
        pending = PendingFollowUp(result, choice)
        self.switch_screen(InterviewScreen(result.question, session=session, story=story, follow_up=pending))

    def show_results(self, result: TakeResult, session: MockSession | None) -> None:
        if session is not None:
            session.record(result)
        self.switch_screen(ResultsScreen(result, session))

    def show_summary(self, session: MockSession) -> None:
        self.switch_screen(SummaryScreen(session))

    def go_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    @property
    def home(self) -> HomeScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)

    # -- actions (keys on the home screen, and the command palette)
    def action_practise_selected(self) -> None:
        home = self.home
        question = home.selected_question if home else None
        if question is not None:
            self.start_interview(question)

    def action_random_question(self) -> None:
        if self.questions:
            self.start_interview(self.rng.choice(self.questions))

    def action_mock_interview(self) -> None:
        def start(count: int | None) -> None:
            if count:
                picked = pick_mixed(self.questions, count, self.rng)
                session = MockSession(picked)
                self.start_interview(session.current, session)

        if self.questions:
            self.push_screen(AskCount(self.mock_default_count, len(self.questions)), start)

    def action_answer_from_file(self) -> None:
        home = self.home
        question = home.selected_question if home else None
        if question is None:
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.start_interview(question, audio_file=path)

        self.push_screen(AskAudioFile(question.text), chosen)

    def action_go_home(self) -> None:
        self.go_home()

    def action_stories(self) -> None:
        """The user's own stories: add, edit, delete, rehearse."""
        from mock_interview.tui.screens.stories import StoriesScreen

        self.go_home()
        self.push_screen(StoriesScreen())

    def action_show_history(self) -> None:
        """Every saved take, newest first."""
        from mock_interview.tui.screens.history import HistoryScreen

        self.go_home()
        self.push_screen(HistoryScreen())

    def action_show_progress(self) -> None:
        """Plots of every take so far."""
        from mock_interview.tui.screens.progress import ProgressScreen

        self.go_home()
        self.push_screen(ProgressScreen())

    # -- the speech model loads while the home screen is already up
    @work(thread=True, exclusive=True, exit_on_error=False, group="model", description="Loading the speech model")
    def load_model(self) -> None:
        load = getattr(self.transcriber, "load", None)
        if load is not None:
            load()
        self.post_message(ModelReady())

    def on_model_ready(self, _: ModelReady) -> None:
        self.model_status = READY

    # -- takes a crash or a kill interrupted: offered at start
    @work(thread=True, exclusive=True, exit_on_error=False, group="recovery", description="Looking for interrupted takes")
    def look_for_unfinished(self) -> None:
        items = find_unfinished(self.store.audio_dir)
        if items:
            self.post_message(UnfinishedFound(items))

    def on_unfinished_found(self, event: UnfinishedFound) -> None:
        def chosen(choice: str | None) -> None:
            if choice == "recover":
                self.recover_unfinished(event.items)
            elif choice == "delete":
                self.delete_unfinished(event.items)

        self.push_screen(OfferRecovery([self._describe(item) for item in event.items]), chosen)

    def _describe(self, item: Unfinished) -> str:
        question = self.question_by_id(item.question) if item.question else None
        text = question.text if question else (item.question or "no question")
        return f"{text} (started {item.started.replace('T', ' ')})"

    @work(thread=True, exclusive=True, exit_on_error=False, group="recovery", description="Recovering interrupted takes")
    def recover_unfinished(self, items: list[Unfinished]) -> None:
        self.post_message(TakesRecovered(jobs.recover_takes(items, self.store, self.transcriber, self.banks, self.vad)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="recovery", description="Deleting interrupted takes")
    def delete_unfinished(self, items: list[Unfinished]) -> None:
        jobs.delete_unfinished(items)

    def on_takes_recovered(self, event: TakesRecovered) -> None:
        saved = ", ".join(f"take {t.number} of {t.question_id or 'no question'}" for t in event.takes)
        self.notify(f"Recovered and saved: {saved}", title="Interrupted takes")

    # -- failures, from every screen's workers
    def on_work_failed(self, event: WorkFailed) -> None:
        if event.group == "model":
            self.model_status = f"Speech model not loaded: {event.text}"
        self.notify(event.text, title="Something went wrong", severity="error", timeout=8)

    def on_speaker_failed(self, event: SpeakerFailed) -> None:
        if self.speaker is None:
            return
        self.speaker = None
        self.problems["voice"] = event.text
        self.notify(event.text, title="No interviewer voice", severity="warning", timeout=8)
