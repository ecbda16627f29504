"""A take whose save fails keeps its report on screen, and can be saved again or exported."""

from __future__ import annotations

import sqlite3

from fakes import SIZE, FakeRecorder, make_app, pilot, text_of, wait_for
from mock_interview.core.store.banks import load_banks
from mock_interview.tui.screens.results import ResultsScreen
from test_tui import ANSWER_S, recording

FIRST = load_banks()[0].questions[0]


@pilot
async def test_a_failed_save_keeps_the_report_and_offers_save_again_and_export(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    (tmp_path / "user").mkdir()
    app = make_app(tmp_path, recorder=FakeRecorder())
    # Another program holds the database's write lock (real SQLite, real lock): the save waits, then fails.
    holder = sqlite3.connect(tmp_path / "takes.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app), what="recording")
        await wait_for(pilot, lambda: app.recorder.elapsed_s >= ANSWER_S, what="the whole answer")
        await pilot.press("space")  # the save waits for the lock (5 s), then fails
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30, what="the results")
        results = app.screen
        await pilot.pause()
        assert text_of(results, "#results-title") == f"Not saved · {FIRST.text}"
        unsaved = text_of(results, "#results-unsaved")
        assert "was not saved" in unsaved and "locked by another program" in unsaved
        assert "At my last job" in results.query_one("#transcript").content.plain  # the report is all there
        assert {"Save again", "Export the report"} <= {b.binding.description for b in app.active_bindings.values()}
        [audio] = list((tmp_path / "audio").glob("*.wav"))
        assert audio.with_suffix(".recording").exists(), "until it is saved, the take is recoverable"

        await pilot.press("e")
        await wait_for(pilot, lambda: list((tmp_path / "user").glob("mock-interview-*.md")), what="the export")
        [export] = list((tmp_path / "user").glob("mock-interview-*.md"))
        assert "Um" in export.read_text() or "um" in export.read_text()

        holder.execute("ROLLBACK")  # the other program lets go
        await pilot.press("s")
        await wait_for(pilot, lambda: results.result.take is not None, timeout=20, what="the save")
        await pilot.pause()
        assert text_of(results, "#results-title") == f"Take 1 · {FIRST.text}"
        assert not results.query_one("#results-unsaved").display
        [take] = app.store.takes()
        assert take.audio_path == str(audio) and not audio.with_suffix(".recording").exists()
        assert "Save again" not in {b.binding.description for b in app.active_bindings.values()}
    holder.close()
