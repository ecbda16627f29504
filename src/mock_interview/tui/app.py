"""The app: holds the devices, banks and store, and moves between the screens."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Mapping, Sequence

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from mock_interview.core.chunker import VadFn
from mock_interview.core.analysis import AnalysisOptions
from mock_interview.core.devices import Recorder, Speaker
from mock_interview.core.questions import Bank, Question
from mock_interview.core.storage import Store
from mock_interview.core.transcribe import Transcriber
from mock_interview.tui.commands import MockInterviewCommands
from mock_interview.core.recovery import Unfinished, find_unfinished
from mock_interview.tui import jobs
from mock_interview.tui.messages import ModelReady, SpeakerFailed, TakesRecovered, UnfinishedFound, WorkFailed
from mock_interview.tui.screens.dialogs import AskAudioFile, AskCount, OfferRecovery
from mock_interview.tui.screens.home import HomeScreen
from mock_interview.tui.screens.interview import InterviewScreen
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.summary import SummaryScreen
from mock_interview.tui.takes import MockSession, TakeResult
from mock_interview.tui.workers import ReportsWorkerFailures

LOADING = "Loading speech model…"
READY = "Speech model ready"

DEFAULT_PROBLEMS = {
    "microphone": "no microphone: answer from an audio file with f",
    "voice": "no interviewer voice: the questions are shown as text",
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
    ) -> None:
        super().__init__()
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
        if self.first_question is not None:
            self.start_interview(self.first_question)

    def start_interview(
        self, question: Question, session: MockSession | None = None, audio_file: Path | None = None
    ) -> None:
        """A take of ``question`` (from ``audio_file`` if given), over the home screen."""
        self.go_home()
        self.push_screen(InterviewScreen(question, session=session, audio_file=audio_file))

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
                picked = self.rng.sample(self.questions, min(count, len(self.questions)))
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
        self.post_message(TakesRecovered(jobs.recover_takes(items, self.store, self.transcriber, self.banks)))

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
