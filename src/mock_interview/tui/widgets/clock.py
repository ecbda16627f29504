"""Elapsed time against the guideline, "1:23 / 3:00", in calm / wrap-up / over colours."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from mock_interview.tui.format import mmss

ZONES = ("calm", "wrap-up", "over")


class ElapsedClock(Widget):
    """Big digits for the elapsed time; the CSS class names the zone (calm, wrap-up, over)."""

    DEFAULT_CSS = """
    ElapsedClock {
        layout: horizontal;
        height: 3;
        width: auto;
    }
    ElapsedClock Digits {
        width: auto;
    }
    ElapsedClock .clock--guideline {
        width: auto;
        padding: 1 1 0 1;
    }
    """

    elapsed: reactive[float] = reactive(0.0)

    def __init__(self, guideline_s: float, wrap_up_s: float = 30.0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.guideline_s = guideline_s
        self.wrap_up_s = wrap_up_s

    def compose(self) -> ComposeResult:
        yield Digits(mmss(0))
        yield Static(f"/ {mmss(self.guideline_s)}", classes="clock--guideline")

    def on_mount(self) -> None:
        self._show(self.elapsed)

    def watch_elapsed(self, elapsed: float) -> None:
        if self.is_mounted:
            self._show(elapsed)

    def _show(self, elapsed: float) -> None:
        self.query_one(Digits).update(mmss(elapsed))
        zone = self.zone
        for name in ZONES:
            self.set_class(name == zone, name)

    @property
    def zone(self) -> str:
        if self.elapsed > self.guideline_s:
            return "over"
        if self.elapsed >= self.guideline_s - self.wrap_up_s:
            return "wrap-up"
        return "calm"

    @property
    def text(self) -> str:
        return f"{mmss(self.elapsed)} / {mmss(self.guideline_s)}"
