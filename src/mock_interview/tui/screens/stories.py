"""My stories: the user's own stories to rehearse, listed, added, edited and deleted.

A story is rehearsed by having the interviewer ask one of the questions it answers;
the results then add the coverage of its talking points and what changed since the
previous take of the same story.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    SelectionList,
    Static,
    TextArea,
)

from mock_interview.core.judge.stories import Story, StoryError, make_story, parse_points
from mock_interview.tui.format import mmss
from mock_interview.tui.screens.dialogs import ConfirmDelete
from mock_interview.tui.workers import ReportsWorkerFailures

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

EMPTY = (
    "No stories yet: press a to add one. Start with a production incident: what broke, what you did, "
    "what you learned, told in three minutes."
)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class StoriesChanged(Message):
    """A story was saved or deleted; ``select`` is the story to put the cursor on."""

    select: int | None = None


class StoriesScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS = [
        Binding("enter", "rehearse", "Rehearse", priority=True),
        Binding("a", "add", "Add a story"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "app.go_home", "Home"),
    ]

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("My stories", id="stories-title")
        yield Static(EMPTY, id="stories-empty")
        yield DataTable(id="stories", cursor_type="row", zebra_stripes=True)
        yield Static("", id="story-details")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#stories", DataTable)
        table.add_column("Story", width=34, key="title")
        table.add_column("Answers", width=24, key="questions")
        table.add_column("Points", width=6, key="points")
        table.add_column("Target", width=6, key="target")
        table.add_column("Takes", width=14, key="takes")
        self.refresh_stories()

    def on_screen_resume(self) -> None:
        self.refresh_stories(self.selected.id if self.selected else None)

    # -- the list
    def refresh_stories(self, select: int | None = None) -> None:
        app = self.mi_app
        self.stories = app.store.stories()
        table = self.query_one("#stories", DataTable)
        row = table.cursor_row
        table.clear()
        for story in self.stories:
            questions = [app.question_by_id(q) for q in story.questions]
            first = next((q.text for q in questions if q is not None), "(no loaded question)")
            more = f" +{len(story.questions) - 1}" if len(story.questions) > 1 else ""
            takes = app.store.story_takes(story.id)
            table.add_row(
                Text(_clip(story.title, 34)),
                Text(_clip(first, 24 - len(more)) + more),
                str(len(story.points)),
                mmss(story.target_s),
                self._takes_cell(takes),
                key=str(story.id),
            )
        if select is not None:
            row = next((n for n, s in enumerate(self.stories) if s.id == select), row)
        if self.stories:
            table.move_cursor(row=min(max(row, 0), len(self.stories) - 1))
        self.query_one("#stories-empty").display = not self.stories
        table.display = bool(self.stories)
        self._show_details()
        self.refresh_bindings()

    def _takes_cell(self, takes: list) -> str:
        if not takes:
            return "none yet"
        story = self.mi_app.store.report_json(takes[0].id).get("story") or {}
        last = f", last {story.get('covered', 0)}/{story.get('total', 0)}" if story else ""
        return f"{len(takes)}{last}"

    @property
    def selected(self) -> Story | None:
        table = self.query_one("#stories", DataTable)
        stories = getattr(self, "stories", [])
        if not stories or not table.row_count:
            return None
        return stories[min(table.cursor_row, len(stories) - 1)]

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_details()

    def _show_details(self) -> None:
        story = self.selected
        details = self.query_one("#story-details", Static)
        details.display = story is not None
        if story is None:
            return
        text = Text()
        text.append(story.title, style="bold")
        for qid in story.questions:
            q = self.mi_app.question_by_id(qid)
            text.append(f"\nAnswers: {q.text if q else qid + ' (not loaded)'}")
        text.append("\nTalking points: ")
        text.append(" · ".join(story.points))
        details.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rehearse", "edit", "delete"):
            return self.selected is not None
        return True

    # -- actions
    def action_rehearse(self) -> None:
        story = self.selected
        if story is not None:
            self.mi_app.rehearse_story(story)

    def action_add(self) -> None:
        self.app.push_screen(StoryForm(None), self._saved)

    def action_edit(self) -> None:
        story = self.selected
        if story is not None:
            self.app.push_screen(StoryForm(story), self._saved)

    def _saved(self, story: Story | None) -> None:
        if story is not None:
            self.save_story(story)

    def action_delete(self) -> None:
        story = self.selected
        if story is None:
            return

        def answer(delete: bool | None) -> None:
            if delete and story.id is not None:
                self.delete_story(story.id)

        self.app.push_screen(ConfirmDelete(f"Delete the story “{story.title}”?", "Its takes stay in the history."), answer)

    # -- writes, in a worker
    @work(thread=True, exclusive=True, exit_on_error=False, group="stories", description="Saving the story")
    def save_story(self, story: Story) -> None:
        store = self.mi_app.store
        saved = store.add_story(story) if story.id is None else store.update_story(story)
        self.post_message(StoriesChanged(saved.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="stories", description="Deleting the story")
    def delete_story(self, story_id: int) -> None:
        self.mi_app.store.delete_story(story_id)
        self.post_message(StoriesChanged())

    def on_stories_changed(self, event: StoriesChanged) -> None:
        self.refresh_stories(event.select)


class StoryForm(ReportsWorkerFailures, Screen[Story | None]):
    """Add or edit a story: its title, the questions it answers, its talking points, its target length."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, story: Story | None) -> None:
        super().__init__()
        self.story = story

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def compose(self) -> ComposeResult:
        story = self.story
        chosen = set(story.questions) if story else set()
        yield Header()
        with VerticalScroll(id="story-form"):
            yield Label("Title")
            yield Input(story.title if story else "", placeholder="The night the ranking model went stale", id="story-title")
            yield Label("Questions it answers (space ticks one)")
            yield SelectionList[str](
                *[
                    (Text.assemble(q.text, (f" · {q.kind}", "dim")), q.qualified_id, q.qualified_id in chosen)
                    for q in self.mi_app.questions
                ],
                id="story-questions",
            )
            yield Label("Talking points, one per line, in your own words")
            yield TextArea("\n".join(story.points) if story else "", id="story-points", soft_wrap=True)
            yield Label("Target length (m:ss or seconds)")
            yield Input(mmss(story.target_s if story else 180), id="story-target")
            yield Static("", id="story-error")
            with Horizontal(id="story-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (escape)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#story-title", Input).focus()
        self.query_one("#story-error").display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        try:
            story = make_story(
                self.query_one("#story-title", Input).value,
                self.query_one("#story-questions", SelectionList).selected,
                parse_points(self.query_one("#story-points", TextArea).text),
                self.query_one("#story-target", Input).value,
                id=self.story.id if self.story else None,
            )
        except StoryError as exc:
            error = self.query_one("#story-error", Static)
            error.update(Text(f"⚠ {str(exc)[:1].upper()}{str(exc)[1:]}"))
            error.display = True
            return
        self.dismiss(story)

    def action_cancel(self) -> None:
        self.dismiss(None)


