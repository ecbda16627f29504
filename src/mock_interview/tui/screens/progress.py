"""Progress: speaking time, fillers, pace and rubric coverage across takes, for one
question or all of them, with the guideline and the target bands drawn in."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Header, Select, Static
from textual_plotext import PlotextPlot

from mock_interview.core.delivery.prosody import TYPICAL_RANGE_ST
from mock_interview.core.store.progress import (
    FILLERS_TARGET_PER_MIN,
    PACE_TARGET_WPM,
    Progress,
    Series,
    progress,
)
from mock_interview.core.store.storage import Take
from mock_interview.tui.format import mmss
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

ALL = "*"
PLOTS = ("speaking", "fillers", "pace", "rubric", "pitch", "hedges")
LINE_COLOUR = "cyan+"
GUIDELINE_COLOUR = "red+"
TARGET_COLOUR = "green+"


def question_key(take: Take) -> str:
    return f"{take.bank}:{take.question_id}"


def tick_label(series: Series, value: float) -> str:
    """Seconds as m:ss, the rest as numbers, so the lines read "2:00" and "120"."""
    return mmss(value) if series.unit == "s" else f"{value:.3g}"


def draw(plot: PlotextPlot, series: Series) -> None:
    """The series as a line with markers; the guideline red, the target band's edges green."""
    plt = plot.plt
    plt.clear_figure()
    unit = "" if series.unit in ("s", "per min") else f" ({series.unit})"
    plt.title(f"{series.label}{unit}")  # take by take: the x axis counts the takes
    x, y = series.x, series.values
    lines = [v for v in (series.guideline, *series.band) if v is not None]
    top = max([*y, *lines, 1.0]) * 1.15
    plt.ylim(0, top)
    ticks = sorted({0.0, *lines})
    if y and all(abs(max(y) - t) > 0.15 * top for t in ticks):  # labels sharing a row would clash
        ticks = sorted([*ticks, max(y)])
    plt.yticks(ticks, [tick_label(series, t) for t in ticks])
    plt.xlim(0.5, max([1, *x]) + 0.5)
    step = max(1, len(x) // 10)
    plt.xticks(x[::step], [str(n) for n in x[::step]])
    for edge in series.band:
        if edge is not None:
            plt.hline(edge, TARGET_COLOUR)
    if series.guideline is not None:
        plt.hline(series.guideline, GUIDELINE_COLOUR)
    if len(y) > 1:
        plt.plot(x, y, marker="braille", color=LINE_COLOUR)
    if y:
        plt.scatter(x, y, marker="●", color=LINE_COLOUR)
    plot.refresh()


class ProgressScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, question: str | None = None) -> None:
        super().__init__()
        self.question = question
        """``bank:id`` of the question, or None for every take."""
        self.progress: Progress | None = None

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        takes = self.mi_app.store.takes()
        options = self._options(takes)
        if self.question not in {v for _, v in options}:
            self.question = None
        yield Header()
        yield Select(options, value=self.question or ALL, allow_blank=False, id="progress-question")
        yield Static("", id="progress-summary")
        yield Static("", id="progress-legend")
        with Grid(id="progress-plots"):
            for name in PLOTS:
                yield PlotextPlot(id=f"plot-{name}")
        yield Footer()

    def _options(self, takes: list[Take]) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for take in takes:
            if take.question_id:
                seen.setdefault(question_key(take), take.question_text or take.question_id)
        return [("All questions", ALL)] + sorted(((t, k) for k, t in seen.items()), key=lambda o: o[0])

    def on_mount(self) -> None:
        low, high = PACE_TARGET_WPM
        legend = Text()
        legend.append("━ guideline", style="bold red")
        legend.append("   ")
        legend.append("━ target", style="bold green")
        legend.append(f" (pace {low:.0f}–{high:.0f} wpm, under {FILLERS_TARGET_PER_MIN:g} fillers a minute, every rubric point;"
                      f" pitch range {TYPICAL_RANGE_ST[0]:g}–{TYPICAL_RANGE_ST[1]:g} semitones, as most speakers vary)")
        self.query_one("#progress-legend", Static).update(legend)
        self.show()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.question = None if event.value in (ALL, Select.NULL) else str(event.value)
        self.show()

    def takes(self) -> list[Take]:
        takes = self.mi_app.store.takes()
        if self.question:
            takes = [t for t in takes if question_key(t) == self.question]
        return takes

    def show(self) -> None:
        takes = self.takes()
        self.progress = progress(takes, {t.id: self.mi_app.store.report_json(t.id) for t in takes})
        for name, series in zip(PLOTS, self.progress.series):
            plot = self.query_one(f"#plot-{name}", PlotextPlot)
            plot.display = bool(self.progress.takes)
            draw(plot, series)
        self.query_one("#progress-summary", Static).update(Text(self.summary()))

    def summary(self) -> str:
        p = self.progress
        assert p is not None
        silent = (f" {p.silent} take{'s' if p.silent != 1 else ''} with no speech heard (a muted microphone?) "
                  f"left out." if p.silent else "")
        if not p.takes:
            if p.silent:
                return f"No takes with speech yet: practise a question, and its progress is drawn here.{silent}"
            return "No saved takes yet: practise a question, and its progress is drawn here."
        what = "every question" if self.question is None else f"“{p.takes[0].question_text}”"
        latest = p.takes[-1]
        count = f"{len(p.takes)} take{'s' if len(p.takes) != 1 else ''} of {what}, oldest first."
        return (
            f"{count} Latest: {mmss(latest.speaking_s)} of {mmss(latest.guideline_s)}, "
            f"{latest.wpm:.0f} wpm, {latest.fillers_per_min:.1f} fillers a minute, "
            f"{latest.rubric_covered} of {latest.rubric_total} rubric points."
            + self._trend()
            + silent
        )

    def _trend(self) -> str:
        p = self.progress
        assert p is not None
        if len(p.takes) < 2 or self.question is None:
            return ""
        first, last = p.takes[0], p.takes[-1]
        return (
            f" Since the first: fillers {first.fillers_per_min:.1f} → {last.fillers_per_min:.1f} a minute, "
            f"rubric {first.rubric_covered} → {last.rubric_covered}."
        )
