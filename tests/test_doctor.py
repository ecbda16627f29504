"""`doctor` and `doctor --repair` on real damage: pages of a real database overwritten."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mock_interview.core.report import build_report
from mock_interview.core.speech.words import Word
from mock_interview.core.store import backups, doctor, locations
from mock_interview.core.store.storage import Store

TAKES = 40
PAGE = 4096


def marker(i: int) -> bytes:
    return f"marker{i:03d}x".encode()


def fill(home: Path) -> None:
    """Forty takes, each with its audio; small rows, so each lies whole in one page."""
    with Store(locations.database_path(), locations.audio_dir()) as store:
        for i in range(1, TAKES + 1):
            words = [Word(marker(i).decode(), 0.0, 0.4), Word("um", 0.5, 0.7), Word("so", 0.8, 1.0)]
            audio = locations.audio_dir() / f"take-{i:03d}.wav"
            audio.write_bytes(b"RIFF" + bytes(100))
            store.save_take(build_report(words, 2.0, None), None, audio)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def damage(db: Path, victims: list[int]) -> set[int]:
    """Overwrite the pages holding the victims' rows; returns every take whose row was on them."""
    data = bytearray(db.read_bytes())
    pages = {data.index(marker(i)) // PAGE for i in victims}
    assert 0 not in pages
    for page in pages:
        data[page * PAGE : (page + 1) * PAGE] = b"\x5a" * PAGE
    db.write_bytes(bytes(data))
    lost = {i for i in range(1, TAKES + 1) if data.find(marker(i)) < 0}
    return lost


def recovered_markers() -> set[int]:
    with sqlite3.connect(locations.database_path()) as conn:
        rows = conn.execute("SELECT transcript FROM takes").fetchall()
    conn.close()
    return {int(t.split("marker")[1][:3]) for (t,) in rows}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_interview", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)


@pytest.mark.parametrize("use_cli", [True, False], ids=["sqlite3-recover", "row-by-row"])
def test_repair_gets_back_every_take_whose_row_survived(use_cli, isolated_home):
    if use_cli and shutil.which("sqlite3") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs the sqlite3 program (make setup installs it)")
        pytest.skip("the sqlite3 program is not installed")
    fill(isolated_home)
    db = locations.database_path()
    lost = damage(db, victims=[7, 30])
    damaged_bytes = db.read_bytes()
    assert 2 <= len(lost) < 15, lost  # rows on the two pages only
    with pytest.raises(Exception, match="is damaged"):
        Store(db, locations.audio_dir())

    if use_cli:
        out = run_cli("doctor", "--repair")
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        text = out.stdout
        # SQLite's own recovery, or (sqlite3 3.40's .recover fails on many sound files) the salvage, saying why.
        assert "(sqlite3 .recover)" in text or "(row-by-row salvage; sqlite3 .recover failed" in text, text
    else:
        result = doctor.repair(use_cli=False)
        text = "\n".join(doctor.repair_lines(result))
        assert "(row-by-row salvage)" in text

    survivors = set(range(1, TAKES + 1)) - lost
    assert recovered_markers() == survivors
    assert f"recovered {TAKES - len(lost)} takes" in text
    assert f"{len(lost)} recordings whose takes could not be recovered are kept" in text
    # The new file is sound, and every command can use it again.
    with Store(db, locations.audio_dir()) as store:
        assert len(store.takes()) == TAKES - len(lost)
        assert all(Path(t.audio_path).exists() for t in store.takes())
        assert len(store.search("um")) == TAKES - len(lost)  # the search index was rebuilt too
    # The damaged file is kept beside it, as it was; no recording was deleted.
    kept = list(db.parent.glob("takes.damaged-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert len(list(locations.audio_dir().glob("*.wav"))) == TAKES


def test_repair_of_a_sound_database_changes_nothing(isolated_home):
    fill(isolated_home)
    before = locations.database_path().read_bytes()
    out = run_cli("doctor", "--repair")
    assert out.returncode == 0 and "nothing to repair" in out.stdout
    assert locations.database_path().read_bytes() == before


def test_doctor_names_missing_audio_orphans_backups_and_telemetry_leftovers(isolated_home, tmp_path):
    fill(isolated_home)
    (locations.audio_dir() / "take-003.wav").unlink()
    (locations.audio_dir() / "stray.wav").write_bytes(b"RIFF")
    with Store.open() as store:  # the day's backup
        assert store.notices == []
    cache = tmp_path / "cache"
    leftovers = cache / "Microsoft" / "DeveloperTools" / ".onnxruntime"
    leftovers.mkdir(parents=True)
    (leftovers / "deviceid").write_text("x")
    (leftovers / "onnxruntime.db").write_text("x")
    out = subprocess.run([sys.executable, "-m", "mock_interview", "doctor", "--files-only"], capture_output=True,
                         text=True, env=dict(os.environ, XDG_CACHE_HOME=str(cache)), timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = {line.split()[1]: line for line in out.stdout.splitlines()}
    assert f"sound, schema 3, {TAKES} takes" in lines["database"]
    assert "1 takes have lost their audio" in out.stdout
    assert "1 recordings" in lines["recordings"] and "stray.wav" in lines["recordings"]
    assert lines["backups"].startswith("ok") and "1 in" in lines["backups"]
    assert "deviceid, onnxruntime.db" in lines["telemetry"] and f"rm -r {leftovers}" in lines["telemetry"]
    assert leftovers.joinpath("deviceid").exists()  # it says how; it removes nothing


def test_backups_once_a_day_and_before_a_migration_last_few_kept(isolated_home):
    fill(isolated_home)
    db = locations.database_path()
    for _ in range(2):
        Store.open().close()
    assert [b.reason for b in backups.list_backups(db)] == ["daily"]
    with sqlite3.connect(db) as conn:  # as an older version left it
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX takes_by_story")
        conn.execute("ALTER TABLE takes DROP COLUMN story_id")
        conn.execute("DROP TABLE stories")
    conn.close()
    Store.open().close()
    found = backups.list_backups(db)
    assert found[0].reason == "before-schema-3"
    with sqlite3.connect(found[0].path) as copy:
        assert copy.execute("SELECT COUNT(*) FROM takes").fetchone()[0] == TAKES
    copy.close()
    with Store.open() as store:
        for _ in range(backups.KEEP + 3):
            store.backup()
    assert len(backups.list_backups(db)) == backups.KEEP
