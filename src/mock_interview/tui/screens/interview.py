"""The interview: the question is read out, then the answer is recorded and timed.

Phases: the question is read (space skips to recording) or, without a voice, waits
for space; a start cue; recording with the clock, the level and the transcript so
far; at stop, the rest is transcribed in a worker and the results replace this
screen. Without a microphone the question stays readable and an audio file can be
answered instead.

The same screen asks a follow-up: the interviewer reads the follow-up question, the
short reply is recorded against its own guideline (a minute), and is judged with the
saved answer before the results are shown. Escape skips it.
"""

from __future__ import annotations

import threading
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Callable, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, LoadingIndicator, Static

from mock_interview.core.devices import Speaker
from mock_interview.core.errors import UserError
from mock_interview.core.judge.followups import FOLLOW_UP_GUIDELINE_S
from mock_interview.core.judge.questions import Question
from mock_interview.core.session import TakeSession
from mock_interview.core.judge.stories import Story
from mock_interview.core.speech.words import Word
from mock_interview.tui import jobs
from mock_interview.tui.format import live_transcript, mmss
from mock_interview.tui.messages import (
    LiveWords,
    QuestionRead,
    RecordingStarted,
    SpeakerFailed,
    TakeAbandoned,
    TakeReady,
    WorkFailed,
)
from mock_interview.tui.screens.dialogs import AskAudioFile, ConfirmAbandon
from mock_interview.tui.takes import MockSession, PendingFollowUp
from mock_interview.tui.widgets import ElapsedClock, LevelMeter
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp


class Phase(str, Enum):
    READING = "reading"
    WAITING = "waiting"
    STARTING = "starting"
    RECORDING = "recording"
    TRANSCRIBING = "transcribing"
    NO_MIC = "no-mic"
    FAILED = "failed"


STATUS = {
    Phase.READING: "🔊 Reading the question… press space to start answering now",
    Phase.WAITING: "Read the question, then press space to start answering",
    Phase.STARTING: "Starting the microphone…",
    Phase.RECORDING: "● Recording: press space when you have finished",
    Phase.TRANSCRIBING: "Transcribing…",
}

SOUNDLESS_HINT_S = 5.0
"""After this long with no sound at all from the input, the status line asks whether it is muted."""

LIVE = {Phase.READING, Phase.WAITING, Phase.STARTING, Phase.RECORDING}
"""Phases in which leaving the screen must silence the voice."""

# Which actions each phase allows; the footer shows only these.
ALLOWED = {
    "start_now": {Phase.READING, Phase.WAITING},
    "stop": {Phase.RECORDING},
    "replay": {Phase.WAITING, Phase.RECORDING, Phase.NO_MIC, Phase.FAILED},
    "answer_file": {Phase.WAITING, Phase.NO_MIC, Phase.FAILED},
    "abandon": {Phase.READING, Phase.STARTING, Phase.RECORDING},
    "back": {Phase.WAITING, Phase.NO_MIC, Phase.FAILED},
    "skip_follow_up": {Phase.READING, Phase.WAITING, Phase.STARTING, Phase.RECORDING, Phase.FAILED},
}
NOT_IN_FOLLOW_UP = {"answer_file", "abandon", "back"}
"""A follow-up reply is recorded or skipped: not answered from a file, not abandoned to home."""


class InterviewScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS = [
        Binding("space", "start_now", "Start answering"),
        Binding("space", "stop", "Stop and see the report"),
        Binding("p", "replay", "Replay the question"),
        Binding("f", "answer_file", "Answer from a file"),
        Binding("escape", "abandon", "Abandon take"),
        Binding("escape", "back", "Back"),
        Binding("escape", "skip_follow_up", "Skip the follow-up"),
    ]

    phase: reactive[Phase] = reactive(Phase.READING, bindings=True, init=False)

    def __init__(
        self,
        question: Question,
        session: MockSession | None = None,
        audio_file: Path | None = None,
        story: Story | None = None,
        follow_up: PendingFollowUp | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.session = session
        self.audio_file = audio_file
        self.story = story
        """Rehearsing one of the user's stories."""
        self.follow_up = follow_up
        """Asking a follow-up about this saved answer, rather than the question itself."""
        self.spoken_text = follow_up.choice.prompt if follow_up else question.text
        self.guideline_s = FOLLOW_UP_GUIDELINE_S if follow_up else question.guideline_s
        self.take: TakeSession | None = None
        self.audio_path: Path | None = None
        self.failure = ""
        self._timer: Timer | None = None
        self._lock = threading.Lock()
        self._recording = False
        self._abandoned = False
        self._skip_reading = threading.Event()
        self._wrap_up_cued = False
        self._soundless = False
        """Whether the status line says the microphone sends no sound (:meth:`_show_soundless`)."""

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="question-box"):
            yield Static(self._meta(), id="question-meta")
            yield Static(Text(self.spoken_text), id="question-text")
        yield Static("", id="interview-status")
        with Horizontal(id="meters"):
            yield ElapsedClock(self.guideline_s, self._wrap_up_lead(self.mi_app.wrap_up_s), id="clock")
            with Vertical(id="level-box"):
                yield Static("", id="clock-zone")
                yield LevelMeter(id="level")
        yield LoadingIndicator(id="transcribing")
        with VerticalScroll(id="live-box") as box:
            box.border_title = "Transcript so far"
            yield Static("", id="live-transcript")
        yield Footer()

    def _meta(self) -> Text:
        bank = self.mi_app.bank_title(self.question.bank)
        meta = f"{bank} · {self.question.kind} · guideline {mmss(self.guideline_s)}"
        if self.follow_up is not None:
            meta = f"Follow-up to “{self.question.text}” · guideline {mmss(self.guideline_s)}"
        elif self.story is not None:
            meta = f"Story “{self.story.title}” · {meta}"
        if self.session is not None:
            meta = f"{self.session.position} · {meta}"
        return Text(meta)

    def _wrap_up_lead(self, lead: float) -> float:
        """A short reply gets a shorter wrap-up: at most a quarter of its guideline."""
        return min(lead, self.guideline_s / 4)

    def on_mount(self) -> None:
        if self.audio_file is not None:
            self._transcribe_file(self.audio_file)
        elif self.mi_app.speaker is not None and self.mi_app.speak_questions:
            self.phase = Phase.READING
            self.read_then_record(speak=True)
        elif self.mi_app.recorder is not None:
            self.phase = Phase.WAITING
        else:
            self.phase = Phase.NO_MIC
        self._show_phase(self.phase)

    def on_unmount(self) -> None:
        """Leaving (or quitting) mid-take: nothing keeps the microphone open."""
        self._stop_timer()
        with self._lock:
            self._abandoned = True
            recording, self._recording = self._recording, False
        if self.mi_app.speaker is not None and self.phase in LIVE:
            self.mi_app.speaker.stop()
        if recording and self.take is not None:
            # Quit mid-take: the audio and its marker stay, so the next start can recover it.
            self.take.recorder.stop()
            self.take.live.cancel()
            self.take.prosody.cancel()

    # -- phases
    def watch_phase(self, phase: Phase) -> None:
        self._show_phase(phase)

    def _show_phase(self, phase: Phase) -> None:
        status = self.query_one("#interview-status", Static)
        status.update(Text(self._status_text(phase)))
        for name in Phase:
            status.set_class(name is phase, f"-{name.value}")
        self.query_one("#transcribing").display = phase is Phase.TRANSCRIBING
        self.set_class(not self._has_meters(phase), "-no-meters")

    def _has_meters(self, phase: Phase) -> bool:
        """The clock, level and live transcript belong to a recording, not to a file."""
        if phase is Phase.TRANSCRIBING:
            return self.audio_path is not None
        return phase in LIVE and self.mi_app.recorder is not None and self.audio_file is None

    def _status_text(self, phase: Phase) -> str:
        if phase is Phase.NO_MIC:
            return "No microphone, so no recording: press f to answer from an audio file"
        if phase is Phase.FAILED and self.follow_up is not None:
            return f"{self.failure} · escape: the results without the follow-up"
        if phase is Phase.FAILED:
            return f"{self.failure} · f: answer from a file · escape: back"
        return STATUS[phase]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = ALLOWED.get(action)
        if allowed is None:
            return True
        if self.follow_up is not None and action in NOT_IN_FOLLOW_UP:
            return False
        if self.follow_up is None and action == "skip_follow_up":
            return False
        if action == "replay" and self.mi_app.speaker is None:
            return False
        if action == "start_now" and self.mi_app.recorder is None:
            return False
        return self.phase in allowed

    # -- actions
    def action_start_now(self) -> None:
        if self.phase is Phase.READING:
            self._skip_reading.set()
            self.phase = Phase.STARTING
            if self.mi_app.speaker is not None:
                self.mi_app.speaker.stop()
        else:
            self.phase = Phase.STARTING
            self.read_then_record(speak=False)

    def action_stop(self) -> None:
        self._stop_timer()
        self.phase = Phase.TRANSCRIBING
        self.finish_take()
        self.speak(lambda s: s.cue("stop"))

    def action_replay(self) -> None:
        self.speak(lambda s: s.say(self.spoken_text))

    def action_skip_follow_up(self) -> None:
        self._stop_timer()
        self.abandon_take()

    def action_answer_file(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self._transcribe_file(path)

        self.app.push_screen(AskAudioFile(self.question.text), chosen)

    def action_abandon(self) -> None:
        if self.phase is Phase.READING:
            self._abandon_confirmed(True)  # nothing recorded yet
        else:
            self.app.push_screen(ConfirmAbandon(), self._abandon_confirmed)

    def action_back(self) -> None:
        self.mi_app.go_home()

    def _abandon_confirmed(self, abandon: bool | None) -> None:
        if not abandon:
            return
        self._stop_timer()
        self.abandon_take()

    def _transcribe_file(self, path: Path) -> None:
        self.phase = Phase.TRANSCRIBING
        self.answer_from_file(path)

    # -- workers: blocking calls only; results come back as messages
    def _speak_now(self, say: Callable[[Speaker], None]) -> None:
        speaker = self.mi_app.speaker
        if speaker is None:
            return
        try:
            say(speaker)
        except UserError as exc:
            self.post_message(SpeakerFailed(str(exc)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview", description="Reading the question and starting the recording")
    def read_then_record(self, speak: bool) -> None:
        if speak and not self._skip_reading.is_set():
            self._speak_now(lambda s: s.say(self.spoken_text))
        recorder = self.mi_app.recorder
        if recorder is None:
            self.post_message(QuestionRead())
            return
        if not self._skip_reading.is_set():
            self._speak_now(lambda s: s.cue("start"))
        app = self.mi_app
        path = app.store.new_audio_path(self.question)
        if self.follow_up is not None:
            path = path.with_name(f"{path.stem}-follow-up{path.suffix}")
        # A reply interrupted by a crash is recovered as audio of no question, not as an answer.
        question = None if self.follow_up is not None else self.question
        with self._lock:
            if self._abandoned:
                return
            self.take = jobs.new_take(
                recorder, app.transcriber, question, path, self._post_live_words, app.analysis_options, app.vad,
                said_before=self.spoken_text,
            )
            self.take.start()
            self._recording = True
        self.post_message(RecordingStarted(path))

    @work(thread=True, exclusive=True, exit_on_error=False, group="speech", description="Speaking")
    def speak(self, say: Callable[[Speaker], None]) -> None:
        self._speak_now(say)

    @work(thread=True, exclusive=True, exit_on_error=False, group="take", description="Transcribing the answer")
    def finish_take(self) -> None:
        assert self.take is not None
        with self._lock:
            self._recording = False
        if self.follow_up is not None:
            self.post_message(TakeReady(jobs.finish_follow_up(self.take, self.mi_app.store, self.follow_up)))
        else:
            self.post_message(TakeReady(jobs.finish_take(self.take, self.mi_app.store, self.story)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="take", description="Transcribing the audio file")
    def answer_from_file(self, path: Path) -> None:
        app = self.mi_app
        result = jobs.answer_from_file(
            path, app.transcriber, self.question, app.store, app.analysis_options, self.story, vad=app.vad
        )
        self.post_message(TakeReady(result))

    @work(thread=True, exclusive=True, exit_on_error=False, group="take", description="Abandoning the take")
    def abandon_take(self) -> None:
        with self._lock:
            self._abandoned = True
            self._recording = False
        self._skip_reading.set()
        if self.mi_app.speaker is not None:
            self.mi_app.speaker.stop()
        if self.take is not None:
            self.take.abandon()
        self.post_message(TakeAbandoned())

    # -- messages from the workers
    def on_question_read(self, _: QuestionRead) -> None:
        self.phase = Phase.NO_MIC

    def on_recording_started(self, event: RecordingStarted) -> None:
        self.audio_path = event.path
        self.phase = Phase.RECORDING
        self._timer = self.set_interval(self.mi_app.tick_s, self._tick, name="recording-clock")

    def _post_live_words(self, words: list[Word]) -> None:
        """Called on the live transcription's thread."""
        self.post_message(LiveWords(words))

    def on_live_words(self, event: LiveWords) -> None:
        self.query_one("#live-transcript", Static).update(live_transcript(event.words))
        self.query_one("#live-box", VerticalScroll).scroll_end(animate=False)

    def on_take_ready(self, event: TakeReady) -> None:
        if self.follow_up is not None:
            self.mi_app.show_results(event.result, self.session)
        else:
            # Only a recorded answer is followed up: one from a file is judged as it is.
            self.mi_app.after_answer(event.result, self.session, self.story, may_follow_up=self.audio_path is not None)

    def on_take_abandoned(self, _: TakeAbandoned) -> None:
        if self.follow_up is not None:
            self.mi_app.show_results(self.follow_up.answer, self.session)
        else:
            self.mi_app.go_home()

    def on_work_failed(self, event: WorkFailed) -> None:
        if event.group in ("interview", "take"):
            self._stop_timer()
            self.failure = event.text
            self.phase = Phase.FAILED
            self._show_phase(Phase.FAILED)

    # -- the recording clock
    def _tick(self) -> None:
        if self.take is None or self.phase is not Phase.RECORDING:
            return
        progress = self.take.poll()
        if progress.failure:  # disk full, microphone gone: keep what was said, and say why
            self.notify(progress.failure, title="Recording stopped", severity="error", timeout=15)
            self.action_stop()
            return
        self.query_one(ElapsedClock).elapsed = progress.elapsed_s
        self.query_one(LevelMeter).level = progress.level
        self._show_soundless(progress.soundless_s)
        self.query_one("#clock-zone", Static).update(self._zone_text(progress.elapsed_s))
        self._maybe_cue_wrap_up(progress.elapsed_s)

    def _show_soundless(self, soundless_s: float) -> None:
        """While the input sends no sound at all for :data:`SOUNDLESS_HINT_S`, the status line says
        the microphone may be muted, so the user learns it before the whole answer is lost."""
        quiet = soundless_s >= SOUNDLESS_HINT_S
        if not quiet and not self._soundless:
            return
        self._soundless = quiet
        status = self.query_one("#interview-status", Static)
        status.update(Text(
            f"● Recording, but no sound from the microphone for {int(soundless_s)} s: is it muted, or another "
            "input chosen? (mock-interview doctor checks it) · space: stop" if quiet else STATUS[Phase.RECORDING]
        ))

    def _zone_text(self, elapsed: float) -> str:
        left = self.guideline_s - elapsed
        if left < 0:
            return f"over the guideline by {mmss(-left)}"
        if left <= self._wrap_up_lead(self.mi_app.wrap_up_s):
            return f"wrap up: {int(left)} s left"
        return f"{mmss(left)} left"

    def _maybe_cue_wrap_up(self, elapsed: float) -> None:
        lead = self.mi_app.wrap_up_cue_s
        if lead is None or self._wrap_up_cued:
            return
        if elapsed >= self.guideline_s - self._wrap_up_lead(lead):
            self._wrap_up_cued = True
            self.speak(lambda s: s.cue("wrap-up"))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
