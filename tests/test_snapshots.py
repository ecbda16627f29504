"""Snapshots of the main screens at a fixed terminal size, with fake devices and a frozen clock.

They use a small bank of their own, so that editing the built-in banks (or how rubric
phrasings match) does not change what these pictures of the screens show.
"""

from __future__ import annotations

from textual.widgets import DataTable

from fakes import SIZE, FakeRecorder, make_app, text_of, wait_for
from mock_interview.core.questions import load_bank
from mock_interview.tui.app import READY
from mock_interview.tui.screens.interview import InterviewScreen, Phase
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.widgets import ElapsedClock


BANK = """
[bank]
id = "practice"
title = "Practice"
description = "A small bank for the screen snapshots."
guideline_s = 180

[[questions]]
id = "failure"
text = "Tell me about a time you failed."
kind = "behavioral"
probing = "Whether you own a mistake, recover from it, and work differently since."

[[questions.rubric]]
id = "situation"
point = "Sets the scene"
strong = "Says where they were and what was at stake."
phrasings = ["at my last job"]

[[questions.rubric]]
id = "mistake"
point = "Owns the mistake"
strong = "Says plainly what they got wrong, without blaming anyone."
phrasings = ["i assumed"]

[[questions.rubric]]
id = "actions"
point = "Says what they did to recover"
strong = "Describes in the first person how they contained and fixed it."
phrasings = ["i fixed"]

[[questions.rubric]]
id = "lesson"
point = "Names the lesson"
strong = "Names a lesson and an occasion when it was applied."
phrasings = ["i learned"]

[[questions]]
id = "drift"
text = "What is model drift, and how do you detect and handle it in production?"
kind = "technical"
guideline_s = 120

[[questions.rubric]]
id = "kinds"
point = "Names data drift and concept drift"
phrasings = ["data drift"]

[[questions]]
id = "scale"
text = "How would you design an ML system to handle ten times its current traffic without a rewrite?"
kind = "design"

[[questions.rubric]]
id = "bottleneck"
point = "Finds the bottleneck first"
phrasings = ["bottleneck"]
"""


def bank(tmp_path) -> list:
    path = tmp_path / "practice.toml"
    path.write_text(BANK, encoding="utf-8")
    return [load_bank(path)]


def live_text(app) -> str:
    return text_of(app.screen, "#live-transcript")


async def home_ready(pilot) -> None:
    """Keys sent before the home screen has mounted would be lost."""
    app = pilot.app
    await wait_for(pilot, lambda: app.model_status == READY and isinstance(app.focused, DataTable))


def test_home(snap_compare, tmp_path):
    app = make_app(tmp_path, banks=bank(tmp_path))

    assert snap_compare(app, terminal_size=SIZE, run_before=home_ready)


def test_home_without_microphone_or_voice(snap_compare, tmp_path):
    problems = {
        "microphone": "no microphone found: plug one in (or check the sound settings), or answer from an audio file",
        "voice": "no speaker found: plug one in (or check the sound settings); questions are shown as text",
    }
    app = make_app(tmp_path, recorder=None, speaker=None, problems=problems, banks=bank(tmp_path))

    assert snap_compare(app, terminal_size=SIZE, run_before=home_ready)


def test_interview_while_recording(snap_compare, tmp_path):
    """2:35 into a 3:00 answer: the wrap-up colour, the level, the words heard so far."""
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=155.0, level=0.45), banks=bank(tmp_path))

    async def recording(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen)
            and app.screen.phase is Phase.RECORDING
            and app.screen.query_one(ElapsedClock).elapsed == 155.0
            and live_text(app).endswith("check the data first."),
            what="the recording screen to settle",
        )
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=recording)


def test_results(snap_compare, tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=20.0), banks=bank(tmp_path))

    async def results(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=results)
