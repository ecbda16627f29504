"""Saved takes: numbering, search, delete, the schema's migration from version 1."""

import sqlite3
import stat

import pytest

from mock_interview.core import storage
from mock_interview.core.questions import load_banks, find_question
from mock_interview.core.report import build_report
from mock_interview.core.storage import SCHEMA_VERSION, Store
from helpers import timeline


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "takes.sqlite3", tmp_path / "data" / "audio") as s:
        yield s


def save(store, text, question=None):
    report = build_report(timeline(text), 10, question)
    audio = store.new_audio_path(question)
    audio.write_bytes(b"RIFF")
    return store.save_take(report, question, audio)


def test_takes_are_numbered_per_question(store):
    drift = find_question(load_banks(), "drift")
    ci = find_question(load_banks(), "ci-cd")
    assert [save(store, "um a", drift).number, save(store, "b", drift).number, save(store, "c", ci).number] == [1, 2, 1]
    assert store.next_take_number(drift) == 3
    newest = store.takes()[0]
    assert newest.question_id == "ci-cd"
    assert [t.number for t in store.takes(question_id="drift")] == [2, 1]
    report = store.report_json(newest.id)
    assert report["transcript"] == "c" and report["question"]["id"] == "ci-cd"


def test_full_text_search(store):
    save(store, "we rolled back the canary")
    save(store, "population stability index alerts")
    assert [t.transcript for t in store.search("canary")] == ["we rolled back the canary"]
    assert store.search("nothing-like-this") == []


def test_delete_removes_row_and_audio(store):
    take = save(store, "goodbye")
    audio = take.audio_path
    store.delete_take(take.id)
    assert store.takes() == []
    assert not __import__("pathlib").Path(audio).exists()
    assert store.search("goodbye") == []


def test_files_are_private(store):
    take = save(store, "secret story")
    assert stat.S_IMODE(store.db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.db_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(__import__("os").stat(take.audio_path).st_mode) == 0o600


def test_migration_from_version_1_keeps_takes_and_adds_search(tmp_path):
    db = tmp_path / "takes.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(storage._SCHEMA_V1)
    conn.execute(
        "INSERT INTO takes (question_id, bank, question_text, take, created_at, audio_path, duration_s, speaking_s, "
        "guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, transcript, words_json, "
        "report_json) VALUES ('drift','mlops','?',1,'2026-01-01T10:00:00',NULL,10,9,120,130,1,6.7,2,7,"
        "'an old take about psi','[]','{}')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db, tmp_path / "audio") as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [t.transcript for t in s.takes()] == ["an old take about psi"]
        assert [t.id for t in s.search("psi")] == [1]


def test_a_newer_schema_is_refused_clearly(tmp_path):
    db = tmp_path / "takes.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(storage.StorageError, match="newer mock-interview"):
        Store(db, tmp_path / "audio")


def test_a_file_that_is_not_a_database_is_reported(tmp_path):
    db = tmp_path / "takes.sqlite3"
    db.write_text("not a database at all" * 100)
    with pytest.raises(storage.StorageError, match="cannot be used"):
        Store(db, tmp_path / "audio")
    assert db.read_text().startswith("not a database")  # nothing overwritten
