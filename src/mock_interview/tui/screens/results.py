"""Results: the report of one take, and what to do next."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual import work
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from mock_interview.tui.format import (
    follow_up_text,
    previous_take_line,
    rubric_table,
    rubric_title,
    stats_rows,
    story_diff_text,
    story_text,
    talking_points_title,
)
from mock_interview.tui import jobs
from mock_interview.tui.takes import MockSession, TakeResult
from mock_interview.tui.widgets import MarkedTranscript, StoryTimeline, VoicePanel
from mock_interview.tui.widgets.timeline import timeline_note
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp


class ResultsScreen(ReportsWorkerFailures, Screen[None]):
    COMPONENT_CLASSES = {"results--warn", "results--covered", "results--missed", "results--quote"}

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next question"),
        Binding("h", "app.go_home", "Home"),
        Binding("escape", "app.go_home", "Home", show=False),
        Binding("s", "save_again", "Save again"),
        Binding("e", "export_unsaved", "Export the report"),
    ]

    def __init__(self, result: TakeResult, session: MockSession | None = None) -> None:
        super().__init__()
        self.result = result
        self.session = session

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        result = self.result
        yield Header()
        with Vertical(id="results-head"):
            yield Static(Text(self._title()), id="results-title")
            yield Static(Text(self._subtitle()), id="results-subtitle")
            yield Static(Text(self._unsaved_text()), id="results-unsaved")
            yield Static(Text(self._nothing_heard_text()), id="results-nothing")
            structure = result.report.structure
            if structure is not None:
                yield StoryTimeline(structure.phases, result.report.analysis.guideline_s,
                                    note=timeline_note(structure), id="timeline")
        with Horizontal(id="results-top"):
            with Vertical(id="results-left"):
                stats = Static(id="stats")
                stats.border_title = "Delivery"
                yield stats
                report = result.report
                yield VoicePanel(report.prosody.to_dict() if report.prosody else None,
                                 report.habits.to_dict() if report.habits else None, id="voice")
            with VerticalScroll(id="rubric-box") as box:
                box.border_title = rubric_title(result.report)
                yield Static(id="rubric")
        with VerticalScroll(id="transcript-box") as box:
            box.border_title = "Transcript (fillers highlighted, long pauses ⏸)"
            yield MarkedTranscript(result.report.analysis, id="transcript")
        yield Footer()

    def _title(self) -> str:
        take = self.result.take
        return f"{f'Take {take.number}' if take else 'Not saved'} · {self.result.question.text}"

    def _unsaved_text(self) -> str:
        if self.result.unsaved is None:
            return ""
        return f"This take was not saved: {self.result.unsaved}. s: save again · e: export the report"

    def _nothing_heard_text(self) -> str:
        if not self.result.report.heard_nothing:
            return ""
        if self.result.from_file:
            return "No speech was heard in this file: it is silent or holds no voice. Nothing below is about an answer."
        return ("No speech was heard in this take. If you spoke, the microphone may be muted or another input "
                "chosen: the level bar stays empty as you speak, and `mock-interview doctor` checks it. r: retry")

    def _show_saved_state(self) -> None:
        self.query_one("#results-title", Static).update(Text(self._title()))
        self.query_one("#results-unsaved", Static).update(Text(self._unsaved_text()))
        self.query_one("#results-unsaved").display = self.result.unsaved is not None
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_again", "export_unsaved"):
            return self.result.take is None
        return True

    def action_save_again(self) -> None:
        self.save_again()

    def action_export_unsaved(self) -> None:
        self.export_unsaved()

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="Saving the take")
    def save_again(self) -> None:
        from mock_interview.core.errors import UserError

        try:
            result = jobs.save_again(self.result, self.mi_app.store)
        except UserError as exc:
            self.app.call_from_thread(self._save_failed, str(exc))
            return
        self.app.call_from_thread(self._saved, result)

    def _saved(self, result: TakeResult) -> None:
        self.result = result
        if self.session is not None:
            self.session.record(result)
        self._show_saved_state()
        self.notify(f"Saved as take {result.take.number}" if result.take else "Saved", title="Saved")

    def _save_failed(self, reason: str) -> None:
        self.result = replace(self.result, unsaved=reason)
        self._show_saved_state()
        self.notify(reason, title="Still not saved", severity="error", timeout=15)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="Exporting the report")
    def export_unsaved(self) -> None:
        path = jobs.export_unsaved(self.result, Path.home())
        self.app.call_from_thread(self.notify, f"The report is in {path}", title="Exported")

    def _subtitle(self) -> str:
        q = self.result.question
        parts = [self.mi_app.bank_title(q.bank), q.kind, previous_take_line(self.result.previous)]
        story = self.result.report.story
        if story is not None:
            parts[-1] = parts[-1].replace("this question", "this story") if self.result.previous is None else (
                f"last take of this story: {parts[-1]}")
            parts.insert(0, f"Story “{story.story.title}”")
        if self.session is not None:
            parts.insert(0, self.session.position)
        return " · ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#results-unsaved").display = self.result.unsaved is not None
        self.query_one("#results-nothing").display = self.result.report.heard_nothing
        self.query_one("#stats", Static).update(self._stats_table())
        style = self.get_component_rich_style
        report = self.result.report
        parts: list[RenderableType] = []
        if report.heard_nothing and report.rubric:
            parts += [Text("Nothing to judge: no speech was heard. The points below are what a strong answer covers.",
                           style=style("results--warn")), ""]
        story = None if report.heard_nothing else story_text(report, warn=style("results--warn"))
        if story is not None:  # nothing heard: no "missing: situation, obstacle, ..." either
            parts += [story, ""]
        points = talking_points_title(report)
        if points is not None and report.story is not None:
            parts += [
                points,
                rubric_table(report, covered=style("results--covered"), missed=style("results--missed"),
                             quote=style("results--quote"), points=report.story.points,
                             in_follow_up=report.story.in_follow_up),
                story_diff_text(self.result.story_diff, covered=style("results--covered"),
                                missed=style("results--missed")),
                "",
            ]
        follow_up = follow_up_text(report, warn=style("results--warn"), quote=style("results--quote"))
        if follow_up is not None:
            parts += [follow_up, ""]
        if report.rubric:
            parts.append(
                rubric_table(
                    report,
                    covered=style("results--covered"),
                    missed=style("results--missed"),
                    quote=style("results--quote"),
                )
            )
        else:
            parts.append("This question has no rubric.")
        self.query_one("#rubric", Static).update(Group(*parts))

    def _stats_table(self) -> Table:
        warn: Style = self.get_component_rich_style("results--warn")
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold")
        table.add_column()
        for label, value, bad in stats_rows(self.result.report):
            table.add_row(label, Text(value, style=warn if bad else ""))
        return table

    def action_retry(self) -> None:
        story = self.result.report.story
        self.mi_app.start_interview(self.result.question, self.session, story=story.story if story else None)

    def action_next(self) -> None:
        if self.session is None:
            self.mi_app.start_interview(self.mi_app.next_in_bank(self.result.question))
        elif self.session.is_last:
            self.mi_app.show_summary(self.session)
        else:
            self.mi_app.start_interview(self.session.advance(), self.session)
