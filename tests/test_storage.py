"""Saved takes: numbering, search, delete, the schema's migration from version 1."""

import sqlite3
import stat
from dataclasses import replace

import pytest

from mock_interview.core.store import storage
from mock_interview.core.judge.questions import find_question
from mock_interview.core.store.banks import load_banks
from mock_interview.core.report import build_report
from mock_interview.core.store.storage import SCHEMA_VERSION, Store
from mock_interview.core.judge.stories import make_story
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
    with pytest.raises(storage.StorageError, match="is damaged.*doctor --repair"):
        Store(db, tmp_path / "audio")
    assert db.read_text().startswith("not a database")  # nothing overwritten


def test_migration_from_version_2_keeps_takes_and_adds_stories(tmp_path):
    db = tmp_path / "takes.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(storage._SCHEMA_V1 + storage._SCHEMA_V2)
    conn.execute(
        "INSERT INTO takes (question_id, bank, question_text, take, created_at, audio_path, duration_s, speaking_s, "
        "guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, transcript, words_json, "
        "report_json) VALUES ('incident','behavioral','?',1,'2026-01-01T10:00:00',NULL,10,9,180,130,1,6.7,2,8,"
        "'the night the pipeline broke','[]','{}')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store(db, tmp_path / "audio") as s:
        assert s.schema_version == SCHEMA_VERSION == 3
        [old] = s.takes()
        assert (old.transcript, old.story_id) == ("the night the pipeline broke", None)
        assert [t.id for t in s.search("pipeline")] == [old.id]
        assert s.stories() == []
        story = s.add_story(make_story("Pipeline night", ["behavioral:incident"], ["paged at two"]))
        assert s.stories() == [story] and story.id is not None


def test_stories_are_added_edited_listed_and_deleted(store):
    incident = find_question(load_banks(), "behavioral:incident")
    first = store.add_story(make_story("Stale embeddings", ["mlops:model-underperformed", "behavioral:incident"],
                                       ["stale embedding table", "freshness check"], target_s="2:30"))
    second = store.add_story(make_story("Notebook push-back", ["mlops:pushback-data-science"], ["two days not two weeks"]))
    assert [s.title for s in store.stories()] == ["Stale embeddings", "Notebook push-back"]
    assert first.target_s == 150 and first.questions == ("mlops:model-underperformed", "behavioral:incident")

    edited = store.update_story(replace(first, points=first.points + ("rolled back",), target_s=180))
    assert store.get_story(first.id).points == ("stale embedding table", "freshness check", "rolled back")
    assert edited.target_s == 180

    report = build_report(timeline("I rolled back the stale embedding table"), 10, incident)
    rehearsal = store.save_take(report, incident, None, story_id=first.id)
    plain = store.save_take(report, incident, None)
    assert [t.id for t in store.story_takes(first.id)] == [rehearsal.id]
    assert store.story_takes(second.id) == [] and plain.story_id is None
    assert store.get(rehearsal.id).to_dict()["story_id"] == first.id

    store.delete_story(first.id)
    assert [s.title for s in store.stories()] == ["Notebook push-back"]
    assert store.get(rehearsal.id).story_id is None, "the take stays, unlinked"
    with pytest.raises(storage.StorageError, match="no story"):
        store.get_story(first.id)


def test_a_follow_up_updates_the_saved_report(store):
    from mock_interview.core.judge.followups import attach_follow_up, choose_follow_up

    failure = find_question(load_banks(), "behavioral:failure")
    report = build_report(
        timeline("At my last job I owned the nightly pipeline. The problem was that I assumed the schema "
                 "would never change. I fixed the loader. I learned to check the data first."), 20, failure)
    take = store.save_take(report, failure, None)
    combined = attach_follow_up(report, choose_follow_up(report), timeline("In the end we lost two days."), 4.0)
    updated = store.update_report(take.id, combined)
    assert updated.rubric_covered == combined.covered > take.rubric_covered
    saved = store.report_json(take.id)
    assert saved["follow_up"]["transcript"] == "In the end we lost two days."
    assert updated.transcript == take.transcript


def test_deleting_a_take_deletes_its_follow_up_audio_too(store):
    from mock_interview.core.judge.followups import attach_follow_up, choose_follow_up

    failure = find_question(load_banks(), "behavioral:failure")
    report = build_report(timeline("At my last job I owned the nightly pipeline. I learned to check first."), 20, failure)
    take = save(store, "placeholder", failure)
    reply = store.new_audio_path(failure).with_name("reply-follow-up.wav")
    reply.write_bytes(b"RIFF")
    combined = attach_follow_up(report, choose_follow_up(report), timeline("It cost us two days."), 3.0, str(reply))
    store.update_report(take.id, combined)
    store.delete_take(take.id)
    assert not reply.exists() and not __import__("pathlib").Path(take.audio_path).exists()


def test_a_damaged_database_is_reported_at_start_not_crashed_on(isolated_home):
    from mock_interview.core.store import locations
    from mock_interview.tui.main import open_store

    with Store.open() as s:
        for i in range(300):
            save(s, f"take {i} " + "words " * 40)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = locations.database_path()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(3 * page, min(len(data), 6 * page)):
        data[offset] = 0x5A  # scribble over some b-tree pages
    db.write_bytes(bytes(data))
    store, problem = open_store()
    try:
        assert problem and "is damaged" in problem and "doctor --repair" in problem and str(db) in problem
        assert store.db_path != db  # a scratch store: the damaged file is left as it is for the repair
    finally:
        store.close()
    assert db.read_bytes() == bytes(data)
