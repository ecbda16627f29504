"""History: every saved take, newest first, filtered by bank and question and searched
by what was said (SQLite FTS5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from mock_interview.core.judge.compare import previous_take
from mock_interview.core.store.storage import Take
from mock_interview.tui.review import history_cells
from mock_interview.tui.screens.take import (
    TakeDeleted,
    TakeScreen,
    delete_take,
    describe,
)
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

ALL = "*"
COLUMNS = [("Saved", 16), ("Question", 0), ("Take", 4), ("Time", 11), ("WPM", 5), ("Fillers/min", 11), ("Rubric", 7)]
CHROME = 2 * len(COLUMNS) + 2 + 2
"""Cell padding of every column, the scrollbar, the table's margins."""
EMPTY = "No saved takes yet: practise a question (enter on the home screen), and its take is listed here."


def question_key(take: Take) -> str:
    return f"{take.bank}:{take.question_id}"


class TakesTable(DataTable):
    """The takes; enter opens one (shown in the footer, unlike DataTable's own enter)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]


class HistoryScreen(ReportsWorkerFailures, Screen[None]):
    COMPONENT_CLASSES = {"history--warn"}

    BINDINGS = [
        Binding("c", "compare", "Compare"),
        Binding("m", "mark", "Mark to compare"),
        Binding("g", "progress", "Progress"),
        Binding("d", "delete", "Delete"),
        Binding("slash", "search", "Search"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, bank: str | None = None, question: str | None = None) -> None:
        super().__init__()
        self.bank = bank
        self.question = question
        """``bank:id`` of the question to show, or None for all."""
        self.search_text = ""
        self.marked: Take | None = None
        self.rows: list[Take] = []

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-filters"):
            yield Select(self._bank_options(), value=self.bank or ALL, allow_blank=False, id="history-bank")
            yield Select(self._question_options(), value=self.question or ALL, allow_blank=False, id="history-question")
            yield Input(placeholder="Search what you said…", id="history-search")
        yield Static("", id="history-status")
        yield TakesTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one("#history", DataTable).focus()

    def on_screen_resume(self) -> None:
        self._refresh_question_options()
        self.refresh_rows()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_rows()

    # -- filters
    def _all_takes(self) -> list[Take]:
        return self.mi_app.store.takes()

    def _bank_options(self) -> list[tuple[str, str]]:
        banks = {t.bank for t in self._all_takes() if t.bank}
        return [("All banks", ALL)] + [(self.mi_app.bank_title(b), b) for b in sorted(banks)]

    def _question_options(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for take in self._all_takes():
            if take.question_id and (self.bank is None or take.bank == self.bank):
                seen.setdefault(question_key(take), take.question_text or take.question_id)
        return [("All questions", ALL)] + [(text, key) for key, text in sorted(seen.items(), key=lambda kv: kv[1])]

    def _refresh_question_options(self) -> None:
        select = self.query_one("#history-question", Select)
        options = self._question_options()
        keep = self.question if any(v == self.question for _, v in options) else ALL
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = keep
        self.question = None if keep == ALL else keep

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value in (ALL, Select.NULL) else str(event.value)
        if event.select.id == "history-bank":
            self.bank = value
            self._refresh_question_options()
        else:
            self.question = value
        self.refresh_rows()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value.strip()
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#history", DataTable).focus()

    def filtered(self) -> list[Take]:
        store = self.mi_app.store
        takes = store.search(self.search_text) if self.search_text else store.takes()
        if self.bank:
            takes = [t for t in takes if t.bank == self.bank]
        if self.question:
            takes = [t for t in takes if question_key(t) == self.question]
        return takes

    # -- the table
    def refresh_rows(self) -> None:
        table = self.query_one("#history", DataTable)
        keep = self.selected.id if self.rows and table.row_count else None
        self.rows = self.filtered()
        width = max(20, self.size.width - sum(w for _, w in COLUMNS) - CHROME)
        warn = self.get_component_rich_style("history--warn")
        table.clear(columns=True)
        for label, w in COLUMNS:
            table.add_column(label, width=w or width, key=label.lower())
        for take in self.rows:
            cells = history_cells(take, width, warn)
            if self.marked is not None and take.id == self.marked.id:
                cells[0] = Text(f"● {cells[0]}", style="bold")
            table.add_row(*cells, key=str(take.id))
        if self.rows and keep is not None:
            ids = [t.id for t in self.rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else 0)
        self._show_status()
        self.refresh_bindings()

    def _show_status(self) -> None:
        total = len(self._all_takes())
        shown = len(self.rows)
        if total == 0:
            status = EMPTY
        elif shown == 0:
            status = "No takes match: change the filters or the search."
        else:
            takes = "take" if total == 1 else "takes"
            status = f"{shown} of {total} {takes}, newest first" if shown != total else f"{total} {takes}, newest first"
            if self.marked is not None:
                status += f" · marked: {describe(self.marked)}; press c on another take of it to compare"
        self.query_one("#history-status", Static).update(Text(status))

    @property
    def selected(self) -> Take | None:
        table = self.query_one("#history", DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"compare", "mark", "delete"}:
            return self.selected is not None if self.is_mounted else True
        return True

    # -- actions
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        take = self.selected
        if take is not None:
            self.app.push_screen(TakeScreen(take))

    def action_mark(self) -> None:
        take = self.selected
        if take is None:
            return
        self.marked = None if self.marked is not None and self.marked.id == take.id else take
        self.refresh_rows()

    def action_compare(self) -> None:
        from mock_interview.tui.screens.compare import CompareScreen

        take = self.selected
        if take is None:
            return
        other = self.marked
        if other is not None and other.id != take.id:
            if question_key(other) != question_key(take):
                self.notify("Only takes of the same question can be compared: mark one of this question first", timeout=5)
                return
        else:
            other = previous_take(take, self._all_takes())
            if other is None:
                self.notify("This is the first take of this question: there is nothing before it to compare", timeout=4)
                return
        self.app.push_screen(CompareScreen(other, take))

    def action_progress(self) -> None:
        from mock_interview.tui.screens.progress import ProgressScreen

        take = self.selected
        self.app.push_screen(ProgressScreen(question_key(take) if take and take.question_id else None))

    def action_delete(self) -> None:
        take = self.selected
        if take is not None:
            delete_take(self.mi_app, take, self)

    def on_take_deleted(self, event: TakeDeleted) -> None:
        if self.marked is not None and self.marked.id == event.take.id:
            self.marked = None
        self.notify(f"Deleted {describe(event.take)}", title="Deleted")
        self._refresh_question_options()
        self.refresh_rows()

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#history-search", Input):
            self.query_one("#history", DataTable).focus()
        else:
            self.app.pop_screen()
