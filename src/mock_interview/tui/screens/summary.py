"""The end of a mock interview: every answer's numbers, and the three things to work on first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from mock_interview.core.judge.summary import (
    FILLERS_PER_MIN_LIMIT,
    AnswerLine,
    answer_line,
    work_on_first,
)
from mock_interview.tui.format import mmss
from mock_interview.tui.takes import MockSession
from mock_interview.tui.workers import ReportsWorkerFailures


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class SummaryScreen(ReportsWorkerFailures, Screen[None]):
    COMPONENT_CLASSES = {"summary--warn", "summary--good"}

    BINDINGS = [
        Binding("h", "app.go_home", "Home"),
        Binding("escape", "app.go_home", "Home", show=False),
    ]

    def __init__(self, session: MockSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        answered = len(self.session.results)
        yield Static(
            f"Mock interview finished: {answered} of {len(self.session.questions)} questions answered",
            id="summary-title",
        )
        yield DataTable(id="summary", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="work-on-box") as box:
            box.border_title = "Three things to work on first"
            yield Static(id="work-on")
        yield Footer()

    def on_mount(self) -> None:
        warn = self.get_component_rich_style("summary--warn")
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Time", "Fillers", "Rubric", "Story", "Follow-up")
        for n, question in enumerate(self.session.questions):
            result = self.session.results.get(n)
            if result is None:
                table.add_row(str(n + 1), Text(_clip(question.text)), "-", "-", "-", "-", "not answered")
                continue
            line = answer_line(result.report)
            time = Text(f"{mmss(line.speaking_s)} / {mmss(line.guideline_s)}", style=warn if line.over_s else "")
            fillers = Text(f"{line.fillers_per_min:.1f}/min",
                           style=warn if line.fillers_per_min > FILLERS_PER_MIN_LIMIT else "")
            rubric = f"{line.covered} of {line.total}" if line.total else "-"
            follow_up = "-" if line.follow_up is None else f"asked, +{line.in_follow_up}"
            table.add_row(str(n + 1), Text(_clip(question.text)), time, fillers, rubric, self._story(line), follow_up)
        self.query_one("#work-on", Static).update(self._work_on())

    def _story(self, line: AnswerLine) -> Text | str:
        """"no result, lesson +1" for a story missing phases; "-" for a question that is no story."""
        if line.question.kind != "behavioral":
            return "-"
        if line.missing:
            more = f" +{len(line.missing) - 2}" if len(line.missing) > 2 else ""
            return Text("no " + ", ".join(line.missing[:2]) + more, style=self.get_component_rich_style("summary--warn"))
        return "all phases" + (f", {len(line.flags)} flags" if line.flags else "")

    def _work_on(self) -> Text:
        reports = [r.report for r in self.session.results.values()]
        issues = work_on_first(reports)
        if not reports:
            return Text("No answers to judge.")
        if not issues:
            return Text("Nothing stands out: every answer kept to time, covered the rubric and told a whole story.",
                        style=self.get_component_rich_style("summary--good"))
        text = Text()
        for n, issue in enumerate(issues, start=1):
            if n > 1:
                text.append("\n")
            text.append(f"{n}. {issue.title}", style="bold")
            for detail in issue.details[:2]:
                text.append(f"\n   {detail}")
            if len(issue.details) > 2:
                text.append(f"\n   and {len(issue.details) - 2} more")
        return text
