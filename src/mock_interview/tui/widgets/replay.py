"""A saved take's transcript, one sentence a line, with the word being heard highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.store.export import at
from mock_interview.core.speech.words import Word
from mock_interview.core.textreport import Piece, gap_marks
from mock_interview.tui.format import mark_label


@dataclass(frozen=True)
class Line:
    """One sentence: its words ``first`` to ``last`` of the take."""

    first: int
    last: int
    start: float


class ReplayTranscript(VerticalScroll):
    """Fillers highlighted, long pauses marked in place ("⏸ 2.6s"); :meth:`show_at`
    marks what is being heard, a word or a pause, and scrolls its sentence into view."""

    COMPONENT_CLASSES = {"replay--filler", "replay--pause", "replay--now", "replay--time"}

    DEFAULT_CSS = """
    ReplayTranscript > .replay--filler { background: $warning 35%; text-style: bold; }
    ReplayTranscript > .replay--pause { color: $accent; text-style: italic; }
    ReplayTranscript > .replay--now { background: $primary; color: $text; text-style: bold underline; }
    ReplayTranscript > .replay--time { color: $text-muted; }
    ReplayTranscript > .replay-line { height: auto; }
    """

    def __init__(self, report: dict, *, id: str | None = None) -> None:
        super().__init__(id=id)
        raw = report.get("words", [])
        self.texts = [w["text"].strip() for w in raw]
        self.fillers = [bool(w.get("filler")) for w in raw]
        self.starts = [float(w["start"]) for w in raw]
        self.ends = [float(w["end"]) for w in raw]
        self.pauses = {int(p["after_word"]): float(p["duration_s"]) for p in report.get("pauses", [])}
        self.marks: dict[int, list[Piece]] = gap_marks(
            self.starts, report.get("pauses", []), report.get("uncovered") or [], report.get("sounds") or []
        )
        """After which word (-1: before all) long pauses, speech left untranscribed and sounds are shown."""
        words = [Word(t, s, e) for t, s, e in zip(self.texts, self.starts, self.ends)]
        self.lines = [Line(s.first, s.last, s.start) for s in split_sentences(words, break_s=float("inf"))]
        self.now: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        if not self.lines:
            yield Static("(no speech heard)")
        for n, _ in enumerate(self.lines):
            yield Static(id=f"line-{n}", classes="replay-line")

    def on_mount(self) -> None:
        for n in range(len(self.lines)):
            self._paint(n)

    def line_of(self, word: int) -> int | None:
        return next((n for n, line in enumerate(self.lines) if line.first <= word <= line.last), None)

    def line_text(self, n: int) -> Text:
        """The sentence's time, its words, fillers styled, pauses in place, ``now`` highlighted."""
        style = self.get_component_rich_style
        filler, pause, now = style("replay--filler"), style("replay--pause"), style("replay--now")
        line = self.lines[n]
        text = Text(no_wrap=False)
        text.append(f"{at(line.start)}  ", style=style("replay--time"))
        for piece in self.marks.get(-1, []) if n == 0 else []:
            text.append(f"{mark_label(piece)} ", style=pause)
        for i in range(line.first, line.last + 1):
            if i > line.first:
                in_run = self.fillers[i] and self.fillers[i - 1] and (i - 1) not in self.marks
                text.append(" ", style=filler if in_run else "")
            word_style: Style | str = filler if self.fillers[i] else ""
            if self.now == ("word", i):
                word_style = now
            text.append(self.texts[i], style=word_style)
            for piece in self.marks.get(i, []):
                text.append(" ")
                text.append(mark_label(piece), style=now if piece[0] == "pause" and self.now == ("pause", i) else pause)
        return text

    def _paint(self, n: int | None) -> None:
        if n is not None:
            self.query_one(f"#line-{n}", Static).update(self.line_text(n))

    def show_at(self, now: tuple[str, int] | None) -> None:
        """Highlight ``now`` (from :func:`mock_interview.core.player.spoken_at`)."""
        if now == self.now:
            return
        before = self.line_of(self.now[1]) if self.now else None
        self.now = now
        after = self.line_of(now[1]) if now else None
        self._paint(before)
        if after != before:
            self._paint(after)
            if after is not None:
                self.scroll_to_widget(self.query_one(f"#line-{after}"), animate=False)

    @property
    def highlighted(self) -> str:
        """The highlighted word or pause as plain text ("" when none), for tests."""
        if self.now is None:
            return ""
        kind, i = self.now
        return self.texts[i] if kind == "word" else f"⏸ {self.pauses[i]:.1f}s"
