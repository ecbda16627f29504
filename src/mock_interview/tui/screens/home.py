"""Home: the question banks, the speech model's state, and what is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from mock_interview.core.judge.questions import Question
from mock_interview.core.speech.transcribe import model_name
from mock_interview.tui.format import mmss
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

BANK_WIDTH = 18
KIND_WIDTH = 10
TIME_WIDTH = 4
CHROME = 2 * 4 + 2 + 2
"""Cell padding of four columns, the scrollbar, the table's margins."""


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class HomeScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS = [
        Binding("enter", "app.practise_selected", "Practise", priority=True),
        Binding("r", "app.random_question", "Random"),
        Binding("m", "app.mock_interview", "Mock"),
        Binding("s", "app.stories", "Stories"),
        Binding("f", "app.answer_from_file", "From file"),
        Binding("h", "app.show_history", "History"),
        Binding("g", "app.show_progress", "Progress"),
        Binding("q", "app.quit", "Quit"),
    ]

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="model-status")
        yield Static("", id="problems")
        yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="question-details")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_table(self.size.width)
        self.watch(self.app, "model_status", self._show_model_status)
        self.show_problems()

    def on_screen_resume(self) -> None:
        self.show_problems()

    def on_resize(self, event: events.Resize) -> None:
        self._fill_table(event.size.width)

    def _fill_table(self, screen_width: int) -> None:
        """The question column takes the width left; longer questions end in "…"."""
        width = max(20, screen_width - BANK_WIDTH - KIND_WIDTH - TIME_WIDTH - CHROME)
        table = self.query_one("#questions", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Bank", width=BANK_WIDTH, key="bank")
        table.add_column("Question", width=width, key="question")
        table.add_column("Kind", width=KIND_WIDTH, key="kind")
        table.add_column("Time", width=TIME_WIDTH, key="time")
        for bank in self.mi_app.banks:
            for n, q in enumerate(bank.questions):
                title = _clip(bank.title, BANK_WIDTH) if n == 0 else ""
                table.add_row(title, Text(_clip(q.text, width)), q.kind, mmss(q.guideline_s), key=q.qualified_id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            self._show_details(self.mi_app.questions[table.cursor_row])

    def _show_model_status(self, status: str) -> None:
        from mock_interview.tui.app import READY

        name = model_name(self.mi_app.transcriber)
        self.query_one("#model-status", Static).update(Text(f"{status}: {name}" if name and status == READY else status))

    def show_problems(self) -> None:
        lines = self.mi_app.problem_lines()
        widget = self.query_one("#problems", Static)
        widget.update(Text("\n".join(lines)))
        widget.display = bool(lines)

    @property
    def selected_question(self) -> Question | None:
        table = self.query_one("#questions", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.mi_app.question_by_id(str(row_key.value))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        question = self.mi_app.question_by_id(str(event.row_key.value))
        if question is not None:
            self._show_details(question)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        question = self.mi_app.question_by_id(str(event.row_key.value))
        if question is not None:
            self.mi_app.start_interview(question)

    def _show_details(self, question: Question) -> None:
        text = Text()
        text.append(question.text, style="bold")
        text.append(f"\n{question.kind} · {len(question.rubric)} rubric points · guideline {mmss(question.guideline_s)}")
        if question.probing:
            text.append(f"\nWhat they listen for: {question.probing}", style="italic")
        self.query_one("#question-details", Static).update(text)
