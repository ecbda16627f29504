"""Small modal questions: how many questions, which audio file, abandon this take?"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class AskCount(ModalScreen[int | None]):
    """How many questions the mock interview has (default 3)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: int = 3, most: int = 16) -> None:
        super().__init__(classes="dialog")
        self.default = default
        self.most = most

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(f"Mock interview: how many questions? (1 to {self.most})")
            yield Input(str(self.default), type="integer", id="count")
            yield Label("enter: start · escape: cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            count = int(event.value or self.default)
        except ValueError:
            count = self.default
        self.dismiss(min(self.most, max(1, count)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskAudioFile(ModalScreen[Path | None]):
    """The path of a recorded answer (wav, flac, mp3, ogg)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question_text: str) -> None:
        super().__init__(classes="dialog")
        self.question_text = question_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Answer from an audio file to: {self.question_text}"))
            yield Input(placeholder="path/to/answer.wav (wav, flac, mp3, ogg)", id="path")
            yield Label("enter: transcribe · escape: cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip().strip("'\"")
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes-or-no question; subclasses name the two answers (and so the footer's keys)."""

    YES = "Yes"
    NO = "No"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, hint: str = "") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.question))
            if self.hint:
                yield Label(Text(self.hint), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.YES} (y)", variant="error", id="yes")
                yield Button(f"{self.NO} (n)", variant="primary", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmAbandon(Confirm):
    """Abandon the take? Its recording is deleted."""

    YES, NO = "Abandon", "Keep recording"
    BINDINGS = [
        Binding("y", "answer(True)", "Abandon"),
        Binding("n,escape", "answer(False)", "Keep recording"),
    ]

    def __init__(self) -> None:
        super().__init__("Abandon this take? Its recording will be deleted.")


class ConfirmDelete(Confirm):
    """Delete something saved (a take, a story)?"""

    YES, NO = "Delete", "Keep it"
    BINDINGS = [
        Binding("y", "answer(True)", "Delete"),
        Binding("n,escape", "answer(False)", "Keep it"),
    ]


class OfferRecovery(ModalScreen[str]):
    """Takes were interrupted last time: recover (r), keep for later (k) or delete (d)?"""

    BINDINGS = [
        Binding("r", "answer('recover')", "Recover"),
        Binding("k,escape", "answer('keep')", "Not now"),
        Binding("d", "answer('delete')", "Delete"),
    ]

    def __init__(self, what: list[str]) -> None:
        super().__init__(classes="dialog")
        self.what = what

    def compose(self) -> ComposeResult:
        count = len(self.what)
        with Vertical(classes="dialog-box"):
            yield Label(f"{count} take{'s were' if count > 1 else ' was'} interrupted before it was saved:")
            yield Label(Text("\n".join(f"· {w}" for w in self.what)), classes="dialog-list")
            yield Label("r: recover (transcribe and save) · k: not now · d: delete", classes="dialog-hint")

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)
