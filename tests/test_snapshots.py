"""Snapshots of the main screens at a fixed terminal size, with fake devices and a frozen clock.

They use a small bank of their own, so that editing the built-in banks (or how rubric
phrasings match) does not change what these pictures of the screens show.
"""

from __future__ import annotations

from textual.widgets import DataTable

from fakes import ROOM_TONE, SIZE, FakeRecorder, make_app, text_of, wait_for
from mock_interview.core.judge.questions import load_bank
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
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=155.0, level=0.45, room=ROOM_TONE), banks=bank(tmp_path))

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


def test_results_voice(snap_compare, tmp_path):
    """A voiced answer: the Voice panel draws pitch and loudness over the answer."""
    from fakes import FakeTranscriber, voiced_audio

    voiced = voiced_audio()  # the transcriber must know this audio: a retry of bare speech hears only its stretch
    app = make_app(tmp_path, recorder=FakeRecorder(audio=voiced, frozen_at=20.0), banks=bank(tmp_path),
                   transcriber=FakeTranscriber(audio=voiced))

    async def results(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=results)


# ---------------------------------------------------------------- reviewing saved takes
def saved_takes(app, tmp_path) -> None:
    """Three takes of the snapshot bank's questions, at fixed times (the stored clock
    would otherwise change every picture)."""
    import soundfile

    from fakes import answer_audio, answer_words, voiced_audio
    from helpers import timeline
    from mock_interview.core.delivery.prosody import contour_of
    from mock_interview.core.speech.audio import SAMPLE_RATE
    from mock_interview.core.report import build_report

    failure, drift = app.questions[0], app.questions[1]
    weak = timeline("Um, at my last job, uh, I was responsible for the pipeline. Like, it broke.", gaps={11: 2.5})
    drift_words = timeline("Data drift means the inputs change. We watch PSI against a training baseline.")
    for n, (words, question) in enumerate([(weak, failure), (answer_words(), failure), (drift_words, drift)]):
        wav = tmp_path / "incoming.wav"
        soundfile.write(wav, answer_audio(words), SAMPLE_RATE)
        contour = contour_of(voiced_audio(words, swing_st=2.0 + 2 * n))  # the voice livens take by take
        take = app.store.save_take_from_file(wav, build_report(words, 16.0, question, contour=contour), question)
        with app.store.conn:
            app.store.conn.execute(
                "UPDATE takes SET created_at = ? WHERE id = ?", (f"2025-03-0{n + 1}T09:30:00+00:00", take.id)
            )


async def review(pilot, *keys: str) -> None:
    """From home: the history (h), then ``keys``."""
    await home_ready(pilot)
    await pilot.press("h", *keys)
    await pilot.pause(0.3)


def test_history(snap_compare, tmp_path):
    app = make_app(tmp_path, banks=bank(tmp_path))
    saved_takes(app, tmp_path)

    assert snap_compare(app, terminal_size=SIZE, run_before=review)


def test_take_replaying(snap_compare, tmp_path):
    """Take 2 replayed to 0:06.4: the filler "Um," lit up as it is heard."""
    from mock_interview.tui.screens.take import TakeScreen

    app = make_app(tmp_path, banks=bank(tmp_path))
    saved_takes(app, tmp_path)

    async def replaying(pilot) -> None:
        await review(pilot, "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeScreen) and app.screen.loaded, what="the take")
        await pilot.press("space")
        app.player.advance(6.4)
        await pilot.press("space")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=replaying)


def test_compare(snap_compare, tmp_path):
    from mock_interview.tui.screens.compare import CompareScreen

    app = make_app(tmp_path, banks=bank(tmp_path))
    saved_takes(app, tmp_path)

    async def comparing(pilot) -> None:
        await review(pilot, "down", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=comparing)


def test_progress(snap_compare, tmp_path):
    """The two takes of one question: the guideline in red, the target bands in green."""
    from mock_interview.tui.screens.progress import ProgressScreen

    app = make_app(tmp_path, banks=bank(tmp_path))
    saved_takes(app, tmp_path)

    async def progress(pilot) -> None:
        await review(pilot, "down", "g")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen), what="the progress")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=progress)


# ---------------------------------------------------------------- stories, follow-ups
def test_stories(snap_compare, tmp_path):
    """Two stories of the user's, the first highlighted with its questions and talking points."""
    from mock_interview.core.judge.stories import make_story
    from mock_interview.tui.screens.stories import StoriesScreen

    app = make_app(tmp_path, banks=bank(tmp_path))
    app.store.add_story(make_story("The schema that changed overnight", ["practice:failure"],
                                   ["assumed the schema would never change", "lost two days", "check the data first"]))
    app.store.add_story(make_story("Drift on the fraud model", ["practice:drift", "practice:failure"],
                                   ["PSI on every feature", "retrained behind a gate"], target_s="2:00"))

    async def stories(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="the stories")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=stories)


def test_follow_up_while_recording(snap_compare, tmp_path):
    """The answer never said what was done: the interviewer's follow-up, 0:20 into its minute."""
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=20.0, level=0.3, room=ROOM_TONE), banks=bank(tmp_path),
                   follow_ups=True)

    async def follow_up(pilot) -> None:
        await home_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING)
        await pilot.press("space")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen)
            and app.screen.follow_up is not None
            and app.screen.phase is Phase.RECORDING
            and app.screen.query_one(ElapsedClock).elapsed == 20.0
            and live_text(app).endswith("check the data first."),
            what="the follow-up recording",
        )
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=SIZE, run_before=follow_up)
