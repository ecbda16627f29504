"""One saved take: its report, its transcript, and its audio replayed with the word
being heard highlighted.

The audio loads in a worker; a timer then polls the player's position (counted in
frames played) and moves the highlight. Without an output device, or when the audio
file is gone, the transcript is still here and the jump keys move the highlight.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from mock_interview.core.judge.compare import previous_take
from mock_interview.core.errors import UserError
from mock_interview.core.store.export import saved_at, take_markdown
from mock_interview.core.player import next_jump, spoken_at
from mock_interview.core.store.storage import Store, Take
from mock_interview.tui.review import (
    playback_line,
    rubric_text,
    stats_table,
    story_line,
)
from mock_interview.tui.screens.dialogs import ConfirmDelete
from mock_interview.tui.widgets.replay import ReplayTranscript
from mock_interview.tui.widgets.voice import VoicePanel
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

SEEK_S = 5.0
POLL_S = 0.1
NO_PLAYER = "No replay without a speaker or headphones: the transcript is here, and f and p still find fillers and pauses"


@dataclass
class AudioLoaded(Message):
    duration_s: float


@dataclass
class AudioUnavailable(Message):
    """The take cannot be replayed; ``text`` says why in one line."""

    text: str


@dataclass
class TakeDeleted(Message):
    take: Take


@dataclass
class TakeExported(Message):
    path: Path


def export_path(store: Store, take: Take) -> Path:
    """``exports/BANK-QUESTION-take-N.md`` in the data directory, beside the database."""
    name = f"{take.bank}-{take.question_id}-take-{take.number}" if take.question_id else f"take-{take.id}"
    return store.db_path.parent / "exports" / f"{name}.md"


def write_export(store: Store, take: Take) -> Path:
    path = export_path(store, take)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(take_markdown(take, store.report_json(take.id)), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write the export to {path}: {exc.strerror}") from None
    return path


def describe(take: Take) -> str:
    return f"take {take.number} of “{take.question_text or 'free answer'}” ({saved_at(take.created_at)})"


def delete_take(app: MockInterviewApp, take: Take, done: Screen) -> None:
    """Ask, then delete in a worker; the screen ``done`` gets :class:`TakeDeleted`."""

    def chosen(yes: bool | None) -> None:
        if yes:
            run_delete(app, take, done)

    app.push_screen(
        ConfirmDelete(f"Delete {describe(take)}?", "Its transcript, report and audio file are deleted for good."), chosen
    )


def run_delete(app: MockInterviewApp, take: Take, done: Screen) -> None:
    def delete() -> None:
        app.store.delete_take(take.id)
        done.post_message(TakeDeleted(take))

    done.run_worker(delete, thread=True, exclusive=True, group="delete", description="Deleting the take", exit_on_error=False)


class TakeScreen(ReportsWorkerFailures, Screen[None]):
    COMPONENT_CLASSES = {"take--warn", "take--covered", "take--missed", "take--quote"}

    BINDINGS = [
        Binding("space", "play", "Play", priority=True),
        Binding("space", "pause", "Pause", priority=True),
        Binding("left", f"seek(-{SEEK_S:g})", f"−{SEEK_S:g} s", priority=True, tooltip="Back 5 seconds"),
        Binding("right", f"seek({SEEK_S:g})", f"+{SEEK_S:g} s", priority=True, tooltip="On 5 seconds"),
        Binding("f", "next_filler", "Next filler"),
        Binding("p", "next_pause", "Next pause"),
        Binding("c", "compare", "Compare", tooltip="Compare with the previous take of this question"),
        Binding("e", "export", "Export", tooltip="Save this take as Markdown in the data folder"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back", show=False),
    ]

    playing: reactive[bool] = reactive(False, bindings=True, init=False)
    loaded: reactive[bool] = reactive(False, bindings=True, init=False)

    def __init__(self, take: Take) -> None:
        super().__init__()
        self.take = take
        self.report: dict = {}
        self.duration_s = 0.0
        self.unavailable = ""
        self.cursor_s = 0.0
        """The position when nothing plays: where the jump keys have moved to."""
        self._shown: tuple = ()

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        self.report = self.mi_app.store.report_json(self.take.id)
        self.duration_s = float(self.report.get("duration_s", 0.0))
        take = self.take
        yield Header()
        with Vertical(id="take-head"):
            yield Static(Text(f"Take {take.number} · {take.question_text or 'free answer'}"), id="take-title")
            yield Static(Text(self._subtitle()), id="take-subtitle")
        with Horizontal(id="take-top"):
            with Vertical(id="take-left"):
                stats = Static(id="take-stats")
                stats.border_title = "Delivery"
                yield stats
                yield VoicePanel(self.report.get("prosody"), self.report.get("habits"), id="voice")
            with VerticalScroll(id="take-rubric-box") as box:
                box.border_title = self._rubric_title()
                yield Static(id="take-rubric")
        yield Static(id="playback")
        replay = ReplayTranscript(self.report, id="replay")
        replay.border_title = "Transcript (fillers highlighted, long pauses ⏸)"
        yield replay
        yield Footer()

    def _subtitle(self) -> str:
        take = self.take
        bank = self.mi_app.bank_title(take.bank) if take.bank else "no question"
        kind = (self.report.get("question") or {}).get("kind")
        return " · ".join(p for p in (f"saved {saved_at(take.created_at)}", bank, kind) if p)

    def _rubric_title(self) -> str:
        if not self.report.get("rubric"):
            return "Rubric: none for this question"
        return f"Rubric: {self.report['rubric_covered']} of {self.report['rubric_total']} points covered"

    def on_mount(self) -> None:
        style = self.get_component_rich_style
        self.query_one("#take-stats", Static).update(stats_table(self.report, warn=style("take--warn")))
        parts: list[RenderableType] = []
        story = story_line(self.report, warn=style("take--warn"))
        if story is not None:
            parts += [story, ""]
        parts.append(
            rubric_text(self.report, style("take--covered"), style("take--missed"), style("take--quote"))
        )
        self.query_one("#take-rubric", Static).update(Group(*parts))
        self.query_one(ReplayTranscript).focus()
        self._show_playback()
        self.load_audio()
        self.set_interval(POLL_S, self._poll)

    # -- the audio
    @work(thread=True, exclusive=True, exit_on_error=False, group="replay", description="Loading the take's audio")
    def load_audio(self) -> None:
        player = self.mi_app.player
        if player is None:
            self.post_message(AudioUnavailable(NO_PLAYER))
            return
        if not self.take.audio_path:
            self.post_message(AudioUnavailable("No replay: this take was saved without its audio"))
            return
        try:
            player.load(Path(self.take.audio_path))
        except UserError as exc:
            self.post_message(AudioUnavailable(f"No replay: {exc}"))
            return
        self.post_message(AudioLoaded(player.duration_s))

    def on_audio_loaded(self, event: AudioLoaded) -> None:
        self.duration_s = event.duration_s or self.duration_s
        self.loaded = True
        self._show_playback()

    def on_audio_unavailable(self, event: AudioUnavailable) -> None:
        self.unavailable = event.text
        self._show_playback()

    @property
    def position_s(self) -> float:
        player = self.mi_app.player
        return player.position_s if self.loaded and player is not None else self.cursor_s

    def _poll(self) -> None:
        player = self.mi_app.player
        if self.loaded and player is not None:
            self.playing = player.playing
        self._show_playback()

    def _show_playback(self) -> None:
        position = self.position_s
        replay = self.query_one(ReplayTranscript)
        replay.show_at(spoken_at(replay.starts, replay.ends, replay.pauses, position))
        if self.loaded:
            shown: tuple = ("▶" if self.playing else "⏸", round(position, 1), self.duration_s)
        else:
            shown = (self.unavailable or "Loading the audio…",)
        if shown == self._shown:
            return
        self._shown = shown
        line = self.query_one("#playback", Static)
        line.update(playback_line(*shown) if self.loaded else Text(shown[0]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return self.loaded and not self.playing
        if action == "pause":
            return self.loaded and self.playing
        return True

    def action_play(self) -> None:
        self._guard(self.mi_app.player.play)
        self.playing = self.mi_app.player.playing

    def action_pause(self) -> None:
        self.mi_app.player.pause()
        self.playing = False

    def _seek_to(self, seconds: float) -> None:
        seconds = max(0.0, min(seconds, self.duration_s or seconds))
        if self.loaded:
            self.mi_app.player.seek(seconds)
        else:
            self.cursor_s = seconds
        self._show_playback()

    def action_seek(self, delta: float) -> None:
        self._seek_to(self.position_s + delta)

    def _jump(self, times: list[float], what: str) -> None:
        target = next_jump(times, self.position_s)
        if target is None:
            self.notify(f"No more {what} after this point" if times else f"This take has no {what}", timeout=3)
            return
        self._seek_to(target)

    def action_next_filler(self) -> None:
        self._jump([f["start"] for f in self.report.get("fillers", [])], "fillers")

    def action_next_pause(self) -> None:
        self._jump([p["start"] for p in self.report.get("pauses", [])], "long pauses")

    def _guard(self, call) -> None:
        try:
            call()
        except UserError as exc:
            self.loaded = False
            self.unavailable = f"No replay: {exc}"
            self.notify(str(exc), title="Replay", severity="error")

    # -- leaving, comparing, exporting, deleting
    def _silence(self) -> None:
        if self.loaded and self.mi_app.player is not None:
            self.mi_app.player.pause()
            self.playing = False

    def on_screen_suspend(self) -> None:
        self._silence()

    def on_unmount(self) -> None:
        player = self.mi_app.player
        if player is not None:
            player.stop()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_compare(self) -> None:
        from mock_interview.tui.screens.compare import CompareScreen

        store = self.mi_app.store
        before = previous_take(self.take, store.takes(question_id=self.take.question_id, bank=self.take.bank))
        if before is None:
            self.notify("This is the first take of this question: there is nothing before it to compare", timeout=4)
            return
        self.app.push_screen(CompareScreen(before, self.take))

    def action_export(self) -> None:
        self.export_take()

    @work(thread=True, exclusive=True, exit_on_error=False, group="export", description="Exporting the take")
    def export_take(self) -> None:
        self.post_message(TakeExported(write_export(self.mi_app.store, self.take)))

    def on_take_exported(self, event: TakeExported) -> None:
        self.notify(f"Saved as {event.path}", title="Exported to Markdown", timeout=8)

    def action_delete(self) -> None:
        self._silence()
        delete_take(self.mi_app, self.take, self)

    def on_take_deleted(self, event: TakeDeleted) -> None:
        self.notify(f"Deleted {describe(event.take)}", title="Deleted")
        self.app.pop_screen()
