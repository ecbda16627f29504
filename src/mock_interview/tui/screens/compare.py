"""Two takes of one question side by side: the numbers, the rubric points gained and
lost, and both transcripts."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from mock_interview.core.judge.compare import Comparison, compare_takes
from mock_interview.core.store.storage import Take
from mock_interview.tui.review import compare_table, rubric_changes_text, take_label
from mock_interview.tui.widgets.replay import ReplayTranscript
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp


class CompareScreen(ReportsWorkerFailures, Screen[None]):
    COMPONENT_CLASSES = {"compare--better", "compare--worse", "compare--same", "compare--lost", "compare--kept"}

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, before: Take, after: Take) -> None:
        super().__init__()
        if (before.created_at, before.id) > (after.created_at, after.id):
            before, after = after, before
        self.before = before
        self.after = after
        self.comparison: Comparison | None = None

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        store = self.mi_app.store
        reports = store.report_json(self.before.id), store.report_json(self.after.id)
        self.comparison = compare_takes(self.before, self.after, *reports)
        yield Header()
        with Vertical(id="compare-head"):
            title = f"Take {self.before.number} against take {self.after.number} · {self.after.question_text or 'free answer'}"
            yield Static(Text(title), id="compare-title")
            yield Static(Text(f"{take_label(self.before)}  →  {take_label(self.after)}"), id="compare-subtitle")
        with Horizontal(id="compare-top"):
            measures = Static(id="compare-measures")
            measures.border_title = "What changed"
            yield measures
            with VerticalScroll(id="compare-rubric-box") as box:
                box.border_title = self._rubric_title()
                yield Static(id="compare-rubric")
        with Horizontal(id="compare-transcripts"):
            for take, report in zip((self.before, self.after), reports):
                replay = ReplayTranscript(report, id=f"compare-take-{take.number}")
                replay.border_title = take_label(take)
                replay.add_class("compare-transcript")
                yield replay
        yield Footer()

    def _rubric_title(self) -> str:
        c = self.comparison
        assert c is not None
        if not c.points:
            return "Rubric"
        return f"Rubric: {c.before.rubric_covered} → {c.after.rubric_covered} of {c.after.rubric_total}"

    def on_mount(self) -> None:
        style = self.get_component_rich_style
        c = self.comparison
        assert c is not None
        better, worse, same = style("compare--better"), style("compare--worse"), style("compare--same")
        self.query_one("#compare-measures", Static).update(compare_table(c, better, worse, same))
        self.query_one("#compare-rubric", Static).update(
            rubric_changes_text(c, gained=better, lost=style("compare--lost"), kept=style("compare--kept"), missed=same)
        )
