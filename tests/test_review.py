"""Reviewing saved takes in the app: history, one take replayed, two compared, progress,
delete and export; and a take saved in one run of the app reviewed in the next."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile
from fakes import (
    SIZE,
    FakePlayer,
    FakeRecorder,
    answer_audio,
    answer_words,
    make_app,
    pilot,
    text_of,
    wait_for,
)
from helpers import timeline
from textual.widgets import DataTable, Input, Select
from textual_plotext import PlotextPlot

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.judge.questions import find_question
from mock_interview.core.store.banks import load_banks
from mock_interview.core.report import build_report
from mock_interview.core.store.storage import Take
from mock_interview.tui.app import READY
from mock_interview.tui.screens.compare import CompareScreen
from mock_interview.tui.screens.dialogs import ConfirmDelete
from mock_interview.tui.screens.history import HistoryScreen
from mock_interview.tui.screens.home import HomeScreen
from mock_interview.tui.screens.interview import InterviewScreen, Phase
from mock_interview.tui.screens.progress import ProgressScreen
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.take import TakeScreen
from mock_interview.tui.widgets.replay import ReplayTranscript

BANKS = load_banks()
FAILURE = find_question(BANKS, "failure")
DRIFT = find_question(BANKS, "drift")
FIRST_TRY = "Um, at my last job, uh, I was responsible for the pipeline. Like, it broke."
"""A weak first take of "failure": three fillers, no lesson."""
DRIFT_ANSWER = "Data drift means the inputs change. We watch PSI against a training baseline."


def save(app, text_or_words, question, seconds: float = 16.0, **heard) -> Take:
    """A take as the app saves one: its audio copied into the store, its report with it
    (``heard``: ``uncovered`` and ``sounds`` for the report)."""
    words = timeline(text_or_words) if isinstance(text_or_words, str) else text_or_words
    wav = app.store.audio_dir.parent / "incoming.wav"
    soundfile.write(wav, answer_audio(words, seconds), SAMPLE_RATE)
    take = app.store.save_take_from_file(wav, build_report(words, seconds, question, **heard), question)
    wav.unlink()
    return take


def seed(app) -> list[Take]:
    """Oldest first: failure take 1 (weak, a long pause after "pipeline."), failure take 2
    (the fake answer), drift take 1."""
    weak = timeline(FIRST_TRY, gaps={11: 2.5})
    return [save(app, weak, FAILURE), save(app, answer_words(), FAILURE), save(app, DRIFT_ANSWER, DRIFT)]


async def ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.model_status == READY and isinstance(app.focused, DataTable), what="home")


def rows(screen) -> list[list[str]]:
    table = screen.query_one("#history", DataTable)
    return [[getattr(c, "plain", c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_history(pilot) -> HistoryScreen:
    await ready(pilot)
    await pilot.press("h")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen), what="history")
    await pilot.pause()
    return pilot.app.screen


async def open_take(pilot, row: int) -> TakeScreen:
    await open_history(pilot)
    await pilot.press(*["down"] * row, "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TakeScreen), what="the take")
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.loaded or screen.unavailable, what="the audio")
    return screen


# ---------------------------------------------------------------- history
@pilot
async def test_history_lists_every_take_newest_first_with_its_numbers(tmp_path):
    app = make_app(tmp_path)
    first, second, drift = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        shown = rows(screen)
        assert [r[2] for r in shown] == ["1", "2", "1"], "newest first: drift, then failure take 2, then take 1"
        assert shown[0][1].startswith("What is model drift")
        assert shown[1][1].startswith("Tell me about a time you fa")
        assert shown[1][3:] == [
            "0:14 / 3:00", f"{second.wpm:.0f}", f"{second.fillers_per_min:.1f}",
            f"{second.rubric_covered} of {second.rubric_total}",
        ]
        assert shown[2][5] == f"{first.fillers_per_min:.1f}" and first.fillers_per_min > 3
        assert shown[0][0] == drift.created_at[:10] + " " + drift.created_at[11:16]
        assert text_of(screen, "#history-status") == "3 takes, newest first"


@pilot
async def test_history_filters_by_bank_and_question_and_searches_what_was_said(tmp_path):
    app = make_app(tmp_path)
    seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        screen.query_one("#history-bank", Select).value = "mlops"
        await pilot.pause()
        assert [r[1][:8] for r in rows(screen)] == ["What is "]
        assert [v for _, v in screen.query_one("#history-question", Select)._options] == ["*", "mlops:drift"]

        screen.query_one("#history-bank", Select).value = "*"
        await pilot.pause()
        screen.query_one("#history-question", Select).value = "behavioral:failure"
        await pilot.pause()
        assert [r[2] for r in rows(screen)] == ["2", "1"]
        assert text_of(screen, "#history-status") == "2 of 3 takes, newest first"

        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"schema")
        await pilot.pause()
        assert [r[2] for r in rows(screen)] == ["2"], "only take 2 says 'schema'"
        await pilot.press("ctrl+a", "ctrl+k", *"baseline")
        await pilot.pause()
        assert rows(screen) == [] and text_of(screen, "#history-status").startswith("No takes match")
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable), "escape leaves the search box first"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


@pilot
async def test_history_with_no_takes_says_how_to_get_one(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert rows(screen) == []
        assert text_of(screen, "#history-status").startswith("No saved takes yet: practise a question")
        await pilot.press("enter", "c", "d")  # nothing to open, compare or delete
        assert app.screen is screen


# ---------------------------------------------------------------- a take
@pilot
async def test_a_take_shows_its_report_and_the_transcript_marked(tmp_path):
    app = make_app(tmp_path)
    _, second, _ = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 1)
        assert screen.take.id == second.id
        assert text_of(screen, "#take-title") == f"Take 2 · {FAILURE.text}"
        assert screen.query_one("#take-rubric-box").border_title == (
            f"Rubric: {second.rubric_covered} of {second.rubric_total} points covered"
        )
        lines = [text_of(screen, f"#line-{n}") for n in range(3)]
        assert lines == [
            "0:00.5  At my last job I was responsible for the nightly training pipeline. ⏸ 2.6s",
            "0:06.6  Um, the problem was that I assumed the schema would never change.",
            "0:10.2  In the end we lost two days, and I learned to check the data first.",
        ]
        styled = [(lines[1][s.start : s.end], s.style) for s in screen.query_one("#line-1").content.spans if s.style]
        assert ("Um,", screen.query_one(ReplayTranscript).get_component_rich_style("replay--filler")) in styled


@pilot
async def test_a_saved_take_shows_untranscribed_speech_and_sounds_where_they_were(tmp_path):
    from mock_interview.core.speech.vad import Region, Sound

    app = make_app(tmp_path)
    save(app, answer_words(), FAILURE, uncovered=[Region(4.0, 5.0)], sounds=[Sound(9.0, 9.6, "laughter")])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 0)
        lines = [text_of(screen, f"#line-{n}") for n in range(3)]
        assert "[not transcribed 0:04-0:05]" in lines[0], lines
        assert "[laughter 0:09]" in lines[1], lines
        assert "laughter" not in lines[0] + lines[2]


@pilot
async def test_a_saved_take_shows_what_lies_between_two_words_in_the_order_heard(tmp_path):
    from mock_interview.core.speech.vad import Region, Sound
    from mock_interview.core.speech.words import Word

    app = make_app(tmp_path)
    words = [Word(" We", 0.5, 0.8), Word(" rolled", 0.9, 1.4), Word(" back.", 1.5, 2.0),
             Word(" Then", 12.0, 12.3), Word(" we", 12.4, 12.6), Word(" fixed", 12.7, 13.1), Word(" it.", 13.2, 13.5)]
    save(app, words, FAILURE, 14.0, uncovered=[Region(5.8, 6.4)], sounds=[Sound(4.6, 5.4, "laughter")])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 0)
        line = text_of(screen, "#line-0")
        assert "back. ⏸ 2.6s [laughter 0:05] [not transcribed 0:06, 0.6 s] ⏸ 5.6s" in line, line


@pilot
async def test_a_take_replays_with_the_word_being_heard_highlighted(tmp_path):
    player = FakePlayer()
    app = make_app(tmp_path, player=player)
    _, second, _ = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 1)
        replay = screen.query_one(ReplayTranscript)
        assert player.path == Path(second.audio_path)
        assert player.duration_s == 16.0
        assert text_of(screen, "#playback").startswith("⏸ 0:00.0 / 0:16.0")
        assert replay.highlighted == ""

        await pilot.press("space")
        assert player.playing
        player.advance(0.6)  # "At my last job": "my" is said from 0.8 s
        await wait_for(pilot, lambda: replay.highlighted == "my", what="the word at 0.6 s")
        player.advance(0.4)
        await wait_for(pilot, lambda: replay.highlighted == "last", what="the word at 1.0 s")
        await wait_for(pilot, lambda: text_of(screen, "#playback").startswith("▶ 0:01.0 / 0:16.0"))
        player.advance(3.5)  # in the 2.6 s pause after "pipeline."
        await wait_for(pilot, lambda: replay.highlighted == "⏸ 2.6s", what="the pause")

        await pilot.press("space")
        assert not player.playing
        await pilot.press("right")
        assert player.position_s == 9.5
        await wait_for(pilot, lambda: replay.highlighted == "never", what="the word at 9.5 s")
        await pilot.press("left", "left")
        assert player.position_s == 0.0
        await wait_for(pilot, lambda: replay.highlighted == "" and text_of(screen, "#playback").startswith("⏸ 0:00.0"))


@pilot
async def test_f_and_p_jump_to_the_next_filler_and_pause(tmp_path):
    player = FakePlayer()
    app = make_app(tmp_path, player=player)
    first, _, _ = seed(app)
    report = app.store.report_json(first.id)
    fillers = [f["start"] for f in report["fillers"]]
    assert [f["text"] for f in report["fillers"]] == ["um", "uh", "like"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 2)
        replay = screen.query_one(ReplayTranscript)
        await pilot.press("f")
        await wait_for(pilot, lambda: replay.highlighted == "Um,")
        await pilot.press("f")
        await wait_for(pilot, lambda: replay.highlighted == "uh,")
        assert player.position_s == round(fillers[1] - 0.3, 3)
        await pilot.press("p")
        await wait_for(pilot, lambda: replay.highlighted == "⏸ 2.6s", what="the pause")
        await pilot.press("f")
        await wait_for(pilot, lambda: replay.highlighted == "Like,")
        await pilot.press("f")
        await wait_for(pilot, lambda: any("No more fillers" in n.message for n in app._notifications))
        assert replay.highlighted == "Like,", "no filler after the last: stay"


@pilot
async def test_without_an_output_device_the_take_is_read_and_the_jumps_still_work(tmp_path):
    app = make_app(tmp_path, player=None)
    seed(app)
    async with app.run_test(size=SIZE) as pilot:
        assert "⚠ No audio output: saved takes can be read but not replayed" in text_of(app.screen, "#problems")
        screen = await open_take(pilot, 2)
        assert text_of(screen, "#playback").startswith("No replay without a speaker or headphones: the transcript is here")
        assert not screen.check_action("play", ())
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.query_one(ReplayTranscript).highlighted == "Um,")


@pilot
async def test_a_take_whose_audio_is_gone_says_so(tmp_path):
    app = make_app(tmp_path)
    _, second, _ = seed(app)
    Path(second.audio_path).unlink()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_take(pilot, 1)
        assert text_of(screen, "#playback").startswith("No replay: the audio of this take is gone (")
        assert text_of(screen, "#line-1").startswith("0:06.6  Um, the problem"), "the transcript is still there"


@pilot
async def test_leaving_a_take_stops_the_replay(tmp_path):
    player = FakePlayer()
    app = make_app(tmp_path, player=player)
    seed(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_take(pilot, 1)
        await pilot.press("space")
        assert player.playing
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert not player.playing and player.stops >= 1


# ---------------------------------------------------------------- delete, export
@pilot
async def test_deleting_a_take_asks_first_then_its_row_and_audio_go(tmp_path):
    app = make_app(tmp_path)
    first, second, _ = seed(app)
    audio = Path(second.audio_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_take(pilot, 1)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        assert text_of(app.screen, "Static").startswith("Delete take 2 of “Tell me about a time you failed.” (")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeScreen))
        assert audio.exists() and len(app.store.takes()) == 3

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="back in the history")
        assert not audio.exists()
        assert [t.id for t in app.store.takes()] == [3, first.id]
        await wait_for(pilot, lambda: len(rows(app.screen)) == 2)
        assert [r[2] for r in rows(app.screen)] == ["1", "1"]
        assert any(n.message.startswith("Deleted take 2 of") for n in app._notifications)


@pilot
async def test_d_in_the_history_deletes_the_highlighted_take(tmp_path):
    app = make_app(tmp_path)
    _, _, drift = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(rows(screen)) == 2)
        assert not Path(drift.audio_path).exists()
        assert [v for _, v in screen.query_one("#history-question", Select)._options] == ["*", "behavioral:failure"]


@pilot
async def test_e_exports_the_take_as_markdown_and_says_where(tmp_path):
    app = make_app(tmp_path)
    _, second, _ = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_take(pilot, 1)
        await pilot.press("e")
        expected = tmp_path / "exports" / "behavioral-failure-take-2.md"
        await wait_for(pilot, lambda: any(str(expected) in n.message for n in app._notifications), what="the notice")
        md = expected.read_text(encoding="utf-8")
        assert md.startswith(f"# Take 2: {FAILURE.text}")
        assert "**\\[Um,\\]** the problem was" in md and "*(pause 2.6 s)*" in md


# ---------------------------------------------------------------- compare
@pilot
async def test_c_compares_a_take_with_the_one_before(tmp_path):
    app = make_app(tmp_path)
    first, second, _ = seed(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_take(pilot, 1)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison")
        screen = app.screen
        assert (screen.before.id, screen.after.id) == (first.id, second.id)
        assert text_of(screen, "#compare-title") == f"Take 1 against take 2 · {FAILURE.text}"
        c = screen.comparison
        assert c.gained and not c.lost, "the second take covers more"
        rubric = text_of(screen, "#compare-rubric")
        assert rubric.startswith(f"Gained ({len(c.gained)})\n✚ {c.gained[0]}")
        assert screen.query_one("#compare-rubric-box").border_title == (
            f"Rubric: {first.rubric_covered} → {second.rubric_covered} of {second.rubric_total}"
        )
        measures = _plain(screen, "#compare-measures")
        assert "Fillers per minute" in measures and "▲ better" in measures
        fillers = next(line for line in measures.splitlines() if line.strip().startswith("Fillers per minute"))
        assert f"{first.fillers_per_min:.1f}" in fillers and f"{second.fillers_per_min:.1f}" in fillers
        assert fillers.rstrip().endswith("▲ better")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TakeScreen))


@pilot
async def test_the_first_take_has_nothing_to_compare_with(tmp_path):
    app = make_app(tmp_path)
    seed(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)  # the drift take, its only one, is the first row
        await pilot.press("c")
        await wait_for(pilot, lambda: any("nothing before it" in n.message for n in app._notifications))
        assert app.screen is screen


@pilot
async def test_a_marked_take_is_compared_with_the_highlighted_one(tmp_path):
    app = make_app(tmp_path)
    first, second, _ = seed(app)
    third = save(app, FIRST_TRY + " I learned to check.", FAILURE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert [r[2] for r in rows(screen)] == ["3", "1", "2", "1"]
        await pilot.press("down", "down", "down", "m")  # failure take 1
        assert rows(screen)[3][0].startswith("● ")
        await pilot.press("up", "up", "c")  # drift: another question
        await wait_for(pilot, lambda: any("same question" in n.message for n in app._notifications))
        await pilot.press("up", "c")  # failure take 3
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen))
        assert (app.screen.before.id, app.screen.after.id) == (first.id, third.id)


# ---------------------------------------------------------------- progress
@pilot
async def test_progress_plots_every_take_with_the_guideline_and_targets(tmp_path):
    app = make_app(tmp_path)
    first, second, drift = seed(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        screen = app.screen
        await pilot.pause()
        assert text_of(screen, "#progress-summary").startswith("3 takes of every question, oldest first.")
        speaking = screen.progress.speaking
        assert speaking.unit == "% of guideline", "3:00 and 2:00 questions side by side"

        screen.query_one(Select).value = "behavioral:failure"
        await pilot.pause()
        summary = text_of(screen, "#progress-summary")
        assert summary.startswith(f"2 takes of “{FAILURE.text}”, oldest first.")
        assert f"fillers {first.fillers_per_min:.1f} → {second.fillers_per_min:.1f} a minute" in summary
        drawn = {name: screen.query_one(f"#plot-{name}", PlotextPlot).render().plain for name in ("speaking", "fillers", "pace", "rubric")}
        assert "3:00├" in drawn["speaking"], "the guideline, labelled, as a line"
        assert "3├" in drawn["fillers"], "the filler target as a line"
        assert "120├" in drawn["pace"] and "160├" in drawn["pace"], "the pace band"
        assert "100├" in drawn["rubric"]
        for plot in drawn.values():
            assert plot.count("●") == 2, "one marker a take"


@pilot
async def test_progress_leaves_out_a_take_in_which_no_speech_was_heard_and_says_so(tmp_path):
    app = make_app(tmp_path)
    seed(app)
    save(app, [], FAILURE)  # a muted microphone: saved, but no measure of the speaker
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        await pilot.pause()
        summary = text_of(app.screen, "#progress-summary")
        assert summary.startswith("3 takes of every question, oldest first.")
        assert summary.endswith("1 take with no speech heard (a muted microphone?) left out.")
        assert 0.0 not in app.screen.progress.pace.values


@pilot
async def test_progress_without_takes_says_how_to_get_some(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen))
        assert text_of(app.screen, "#progress-summary").startswith("No saved takes yet")
        assert not app.screen.query_one("#plot-pace").display


@pilot
async def test_the_command_palette_opens_history_and_progress(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for words, screen in (("history", HistoryScreen), ("progress", ProgressScreen)):
            await pilot.press("ctrl+p")
            await pilot.press(*words)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, screen), what=words)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


def test_every_review_key_says_what_it_does():
    from mock_interview.tui.screens.history import TakesTable

    for cls in (HistoryScreen, TakesTable, TakeScreen, CompareScreen, ProgressScreen, ConfirmDelete):
        for binding in cls.BINDINGS:
            assert binding.description, f"{cls.__name__}: key {binding.key} has no description"


# ---------------------------------------------------------------- from one run to the next
@pilot
async def test_a_take_saved_in_one_run_is_listed_replayable_and_exportable_in_the_next(tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING)
        await wait_for(pilot, lambda: app.recorder.elapsed_s >= 16.0, what="the whole answer")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        recorded = app.recorder.elapsed_s

    player = FakePlayer()
    again = make_app(tmp_path, player=player)  # a new app on the same data folder
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        [row] = rows(screen)
        assert row[1].startswith("Tell me about a time you fa") and row[2] == "1"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(again.screen, TakeScreen) and again.screen.loaded, what="replay")
        take = again.screen
        assert player.path.parent == tmp_path / "audio" and player.duration_s == recorded
        await pilot.press("space")
        assert player.playing
        player.advance(6.4)
        await wait_for(pilot, lambda: take.query_one(ReplayTranscript).highlighted == "Um,", what="the filler heard")
        await pilot.press("e")
        exported = tmp_path / "exports" / "behavioral-failure-take-1.md"
        await wait_for(pilot, exported.exists, what="the export")
        assert "I assumed the schema would never change." in exported.read_text(encoding="utf-8")


def _plain(screen, selector: str) -> str:
    """What a Static with a Rich renderable shows, as lines of text."""
    from rich.console import Console

    console = Console(width=screen.query_one(selector).content_size.width, record=True, color_system=None)
    console.print(screen.query_one(selector).content)
    return console.export_text()


# ---------------------------------------------------------------- the real player
PLAYER_SCRIPT = """
import json, sys, time
from pathlib import Path
from mock_interview.core.player import SoundDevicePlayer

def until(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()

p = SoundDevicePlayer()
p.load(Path(sys.argv[1]))
time.sleep(0.5)
marks = {"loaded": p.position_s}
p.play()
marks["started"] = until(lambda: p.position_s > 1.0)
p.pause()
marks["paused_at"] = p.position_s
time.sleep(0.5)
marks["after_pause"] = p.position_s
p.seek(p.duration_s - 1.0)
p.play()
marks["finished"] = until(lambda: not p.playing)
marks["ended"] = p.position_s
marks["duration"] = p.duration_s
p.stop()
print(json.dumps(marks))
"""


@pytest.mark.e2e
def test_the_real_player_plays_pauses_and_seeks_through_portaudio(sound, tmp_path, speech_dir):
    """Through a private PulseAudio server, in a process of its own (PortAudio reads
    the server's address when it loads): the position counts frames really played."""
    import json
    import subprocess
    import sys
    import time

    import numpy as np

    from mock_interview.core.speech.audio import load_audio

    heard = tmp_path / "heard.wav"
    recorder = sound.record_speaker(heard)
    time.sleep(0.5)
    out = subprocess.run(
        [sys.executable, "-c", PLAYER_SCRIPT, str(speech_dir / "jfk.flac")],
        env=sound.env(), capture_output=True, text=True, timeout=60,
    )
    time.sleep(0.5)
    recorder.terminate()
    recorder.wait(timeout=5)
    assert out.returncode == 0, out.stderr
    marks = json.loads(out.stdout)
    assert marks["loaded"] == 0.0, "loaded, not playing"
    assert marks["started"], "play moves the position on"
    assert marks["after_pause"] == marks["paused_at"], "pause stops it"
    assert marks["finished"] and marks["ended"] == pytest.approx(marks["duration"]), "a seek near the end plays to the end and stops"
    samples = load_audio(heard).samples
    loud = np.sqrt(np.mean(samples**2)) if len(samples) else 0.0
    assert loud > 0.01, "the speaker's monitor heard the take"
