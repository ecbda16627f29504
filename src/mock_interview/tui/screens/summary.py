"""The end of a mock interview: every question's latest take in one table."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from mock_interview.tui.format import mmss
from mock_interview.tui.takes import MockSession
from mock_interview.tui.workers import ReportsWorkerFailures


def _clip(text: str, width: int = 56) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class SummaryScreen(ReportsWorkerFailures, Screen[None]):
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
        yield Static(f"Mock interview finished: {answered} of {len(self.session.questions)} questions answered", id="summary-title")
        yield DataTable(id="summary", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Take", "Time", "Fillers", "Rubric")
        for n, question in enumerate(self.session.questions):
            result = self.session.results.get(n)
            if result is None:
                table.add_row(str(n + 1), Text(_clip(question.text)), "-", "-", "-", "not answered")
                continue
            a = result.report.analysis
            table.add_row(
                str(n + 1),
                Text(_clip(question.text)),
                str(result.take.number),
                f"{mmss(a.speaking_s)} / {mmss(a.guideline_s)}",
                str(len(a.fillers)),
                f"{result.report.covered} of {len(result.report.rubric)}",
            )
