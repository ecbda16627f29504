"""The command palette offers what the keys do, and every question by its text."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mock_interview.tui.screens.interview import InterviewScreen

if TYPE_CHECKING:
    from mock_interview.tui.app import MockInterviewApp

Command = tuple[str, Callable[[], object], str]


class MockInterviewCommands(Provider):
    """Practise, random question, mock interview, answer from a file, quit; and each question."""

    @property
    def mi_app(self) -> MockInterviewApp:
        return cast("MockInterviewApp", self.app)

    def commands(self) -> list[Command]:
        app = self.mi_app
        if isinstance(self.screen, InterviewScreen):
            return []  # mid-take: finish or abandon it first
        commands: list[Command] = [
            ("Practise the selected question", app.action_practise_selected, "Read it out, then record the answer (enter)"),
            ("Random question", app.action_random_question, "Practise a question picked at random (r)"),
            ("Mock interview", app.action_mock_interview, "Several questions one after another (m)"),
            ("My stories", app.action_stories, "Your own stories: add, edit, rehearse (s on home)"),
            ("Answer from an audio file", app.action_answer_from_file, "Transcribe and judge a recorded answer (f)"),
            ("Home", app.action_go_home, "The list of questions (h)"),
            ("History", app.action_show_history, "Every saved take: open, replay, compare, delete (h on home)"),
            ("Progress", app.action_show_progress, "Time, fillers, pace and rubric across takes (g on home)"),
        ]
        for question in app.questions:
            help_text = f"{app.bank_title(question.bank)} · {question.kind}"
            commands.append((f"Practise: {question.text}", partial(app.start_interview, question), help_text))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands()[:8]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
