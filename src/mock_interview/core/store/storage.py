"""Saved takes: SQLite (WAL, transactions, a schema version from day one) plus audio files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from mock_interview.core.store import backups, faults, locations
from mock_interview.core.store.faults import StorageError
from mock_interview.core.judge.questions import Question
from mock_interview.core.report import Report
from mock_interview.core.judge.stories import Story

SCHEMA_VERSION = 3

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS takes (
    id              INTEGER PRIMARY KEY,
    question_id     TEXT,
    bank            TEXT,
    question_text   TEXT,
    take            INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    audio_path      TEXT,
    duration_s      REAL NOT NULL,
    speaking_s      REAL NOT NULL,
    guideline_s     REAL NOT NULL,
    wpm             REAL NOT NULL,
    filler_count    INTEGER NOT NULL,
    fillers_per_min REAL NOT NULL,
    rubric_covered  INTEGER NOT NULL,
    rubric_total    INTEGER NOT NULL,
    transcript      TEXT NOT NULL,
    words_json      TEXT NOT NULL,
    report_json     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_by_question ON takes (bank, question_id, take);
"""

# Version 2: full-text search over transcripts (FTS5), kept in step by triggers.
_SCHEMA_V2 = """
CREATE VIRTUAL TABLE IF NOT EXISTS takes_fts USING fts5(transcript, content='takes', content_rowid='id');
INSERT INTO takes_fts(rowid, transcript) SELECT id, transcript FROM takes;
CREATE TRIGGER IF NOT EXISTS takes_fts_insert AFTER INSERT ON takes BEGIN
    INSERT INTO takes_fts(rowid, transcript) VALUES (new.id, new.transcript);
END;
CREATE TRIGGER IF NOT EXISTS takes_fts_delete AFTER DELETE ON takes BEGIN
    INSERT INTO takes_fts(takes_fts, rowid, transcript) VALUES ('delete', old.id, old.transcript);
END;
"""

# Version 3: the user's own stories, and the story a take rehearsed.
_SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS stories (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    questions   TEXT NOT NULL DEFAULT '[]',
    points      TEXT NOT NULL DEFAULT '[]',
    target_s    INTEGER NOT NULL DEFAULT 180,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
ALTER TABLE takes ADD COLUMN story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS takes_by_story ON takes (story_id, id);
"""

_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3}


@dataclass(frozen=True)
class Take:
    id: int
    question_id: str | None
    bank: str | None
    question_text: str | None
    number: int
    created_at: str
    audio_path: str | None
    duration_s: float
    speaking_s: float
    guideline_s: float
    wpm: float
    filler_count: int
    fillers_per_min: float
    rubric_covered: int
    rubric_total: int
    transcript: str
    story_id: int | None = None
    """The story this take rehearsed, if any."""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question_id": self.question_id,
            "bank": self.bank,
            "take": self.number,
            "created_at": self.created_at,
            "audio_path": self.audio_path,
            "duration_s": self.duration_s,
            "speaking_s": self.speaking_s,
            "guideline_s": self.guideline_s,
            "wpm": self.wpm,
            "filler_count": self.filler_count,
            "fillers_per_min": self.fillers_per_min,
            "rubric_covered": self.rubric_covered,
            "rubric_total": self.rubric_total,
            "story_id": self.story_id,
        }


_COLUMNS = (
    "id, question_id, bank, question_text, take, created_at, audio_path, duration_s, speaking_s, "
    "guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, transcript, story_id"
)


class Store:
    """The takes database. Open with :meth:`open`; use as a context manager."""

    def __init__(self, db_path: Path, audio_dir: Path, lock_wait_s: float | None = None) -> None:
        """Open (or create) the database and check it: folders, lock, integrity, schema.

        Every failure is a :class:`StorageError` naming the file and what to do; a damaged
        or newer database is not written to.
        """
        self.db_path = db_path
        self.audio_dir = audio_dir
        self.notices: list[str] = []
        """Things the user should know that did not stop the store (a backup that failed)."""
        wait = faults.LOCK_WAIT_S if lock_wait_s is None else lock_wait_s
        try:
            locations.ensure_private_dir(db_path.parent)
            locations.ensure_private_dir(audio_dir)
            self.conn = sqlite3.connect(str(db_path), timeout=wait, check_same_thread=False)
        except sqlite3.Error as exc:
            raise faults.from_sqlite(exc, db_path) from None
        except OSError as exc:
            raise faults.from_os(exc, db_path.parent) from None
        try:
            with self.translating():
                os.chmod(db_path, 0o600)
                self._prepare(wait)
        except BaseException:
            self.conn.close()
            raise

    @contextmanager
    def translating(self) -> Iterator[None]:
        """Turn SQLite's and the system's errors inside the block into one line about this store."""
        try:
            yield
        except sqlite3.Error as exc:
            raise faults.from_sqlite(exc, self.db_path) from None
        except OSError as exc:
            raise faults.from_os(exc, self.db_path) from None

    def _prepare(self, patience_s: float) -> None:
        """Check, then WAL mode and the schema. Switching to WAL does not wait for the busy
        timeout while another copy creates the same file, so that step is retried."""
        deadline = time.monotonic() + patience_s
        while True:
            try:
                self._check_version(self.schema_version)  # before anything is written
                damage = self.integrity_problem()
                if damage:
                    raise faults.damaged(self.db_path, damage)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @classmethod
    def open(cls, backup: bool = True) -> "Store":
        """The user's store, as every command and the app open it (see :func:`open_store`)."""
        return open_store(backup=backup)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise faults.newer_schema(self.db_path, version)

    def backup(self, reason: str = "daily") -> Path:
        """A consistent copy of the database in ``backups/`` beside it."""
        with self.translating():
            return backups.make_backup(self.conn, self.db_path, reason)

    def backup_daily(self) -> None:
        """At most one backup a day, of a database that has takes; a failure is a notice, not a stop."""
        try:
            if backups.backed_up_today(self.db_path) or not self.conn.execute("SELECT 1 FROM takes LIMIT 1").fetchone():
                return
            self.backup("daily")
        except (StorageError, sqlite3.Error, OSError) as exc:
            self.notices.append(f"no backup of the takes database today: {exc}")

    def _migrate(self) -> None:
        self._check_version(self.schema_version)
        if self.schema_version == SCHEMA_VERSION:
            return
        # All steps in one transaction that holds the write lock from the moment the version
        # is read: a second process opening the same file waits, then finds nothing to do
        # (some steps, like adding a column, cannot run twice).
        if self.schema_version > 0:  # a copy of the takes as they were, before the schema changes
            # (outside the transaction: SQLite cannot copy from a connection that is writing)
            backups.make_backup(self.conn, self.db_path, f"before-schema-{SCHEMA_VERSION}")
        isolation, self.conn.isolation_level = self.conn.isolation_level, None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                version = self.schema_version
                self._check_version(version)
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _statements(_MIGRATIONS[target]):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {target}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        finally:
            self.conn.isolation_level = isolation

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def next_take_number(self, question: Question | None) -> int:
        qid, bank = (question.id, question.bank) if question else (None, None)
        row = self.conn.execute(
            "SELECT COALESCE(MAX(take), 0) FROM takes WHERE question_id IS ? AND bank IS ?", (qid, bank)
        ).fetchone()
        return row[0] + 1

    def new_audio_path(self, question: Question | None) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        name = f"{question.bank}-{question.id}-{stamp}.wav" if question else f"take-{stamp}.wav"
        return self.audio_dir / name

    def save_take(
        self, report: Report, question: Question | None, audio_path: Path | None, story_id: int | None = None
    ) -> Take:
        d = report.to_dict()
        if audio_path is not None and audio_path.exists():
            try:
                os.chmod(audio_path, 0o600)
            except OSError:
                pass
        created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
        with self.translating(), self.conn:  # one transaction: the number and the row together
            # IMMEDIATE takes the write lock before reading MAX(take): two copies of the
            # app saving at once get different numbers instead of the same one.
            self.conn.execute("BEGIN IMMEDIATE")
            number = self.next_take_number(question)
            cur = self.conn.execute(
                "INSERT INTO takes (question_id, bank, question_text, take, created_at, audio_path, duration_s, "
                "speaking_s, guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, "
                "transcript, words_json, report_json, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    question.id if question else None,
                    question.bank if question else None,
                    question.text if question else None,
                    number,
                    created,
                    str(audio_path) if audio_path else None,
                    d["duration_s"],
                    d["speaking_s"],
                    d["guideline_s"],
                    d["wpm"],
                    d["filler_count"],
                    d["fillers_per_min"],
                    d["rubric_covered"],
                    d["rubric_total"],
                    d["transcript"],
                    json.dumps(d["words"]),
                    json.dumps(d),
                    story_id,
                ),
            )
        return self.get(cur.lastrowid)

    def save_take_from_file(
        self, source: Path, report: Report, question: Question | None, story_id: int | None = None
    ) -> Take:
        """Copy a recorded file into the data directory and save the take with it."""
        target = self.new_audio_path(question).with_suffix(source.suffix.lower() or ".wav")
        try:  # no recording is left behind without its take
            try:
                shutil.copyfile(source, target)
            except OSError as exc:
                raise faults.from_os(exc, target) from None
            return self.save_take(report, question, target, story_id)
        except BaseException:
            target.unlink(missing_ok=True)
            raise

    def get(self, take_id: int) -> Take:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM takes WHERE id = ?", (take_id,)).fetchone()
        if row is None:
            raise StorageError(f"no take with id {take_id}")
        return Take(*row)

    def report_json(self, take_id: int) -> dict:
        row = self.conn.execute("SELECT report_json FROM takes WHERE id = ?", (take_id,)).fetchone()
        if row is None:
            raise StorageError(f"no take with id {take_id}")
        return json.loads(row[0])

    def takes(self, question_id: str | None = None, bank: str | None = None) -> list[Take]:
        sql = f"SELECT {_COLUMNS} FROM takes WHERE 1=1"
        args: list = []
        if question_id:
            sql += " AND question_id = ?"
            args.append(question_id)
        if bank:
            sql += " AND bank = ?"
            args.append(bank)
        sql += " ORDER BY created_at DESC, id DESC"
        return [Take(*row) for row in self.conn.execute(sql, args)]

    def search(self, text: str) -> list[Take]:
        """Takes whose transcript matches ``text`` (words, FTS5 syntax), newest first."""
        terms = " ".join(f'"{t}"' for t in text.replace('"', " ").split())
        if not terms:
            return self.takes()
        sql = (
            f"SELECT {', '.join('t.' + c.strip() for c in _COLUMNS.split(','))} FROM takes t "
            "JOIN takes_fts f ON f.rowid = t.id WHERE takes_fts MATCH ? ORDER BY t.created_at DESC, t.id DESC"
        )
        return [Take(*row) for row in self.conn.execute(sql, (terms,))]

    def delete_take(self, take_id: int) -> None:
        """Delete a take's row, then its audio files (the answer's, and the follow-up reply's)."""
        take = self.get(take_id)
        follow_up = (self.report_json(take_id).get("follow_up") or {}).get("audio_path")
        with self.translating(), self.conn:
            self.conn.execute("DELETE FROM takes WHERE id = ?", (take_id,))
        for path in (take.audio_path, follow_up):
            if path:
                Path(path).unlink(missing_ok=True)

    def purge(self) -> int:
        """Delete every take and every audio file; returns how many takes there were."""
        count = self.conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0]
        with self.translating(), self.conn:  # the rows first: if that fails, no audio is touched
            self.conn.execute("DELETE FROM takes")
        if self.audio_dir.is_dir():
            for path in self.audio_dir.iterdir():
                if path.is_file():
                    path.unlink(missing_ok=True)
        try:
            self.conn.execute("VACUUM")
        except sqlite3.Error:
            pass  # only space not yet given back (a full disk): the takes are gone as asked
        return count

    def update_report(self, take_id: int, report: Report) -> Take:
        """Replace a saved take's report (a follow-up reply judged with it); the transcript stays the answer's."""
        d = report.to_dict()
        with self.translating(), self.conn:
            cur = self.conn.execute(
                "UPDATE takes SET rubric_covered = ?, rubric_total = ?, report_json = ? WHERE id = ?",
                (d["rubric_covered"], d["rubric_total"], json.dumps(d), take_id),
            )
        if cur.rowcount == 0:
            raise StorageError(f"no take with id {take_id}")
        return self.get(take_id)

    # -- stories
    def add_story(self, story: Story) -> Story:
        now = _now()
        with self.translating(), self.conn:
            cur = self.conn.execute(
                "INSERT INTO stories (title, questions, points, target_s, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                (story.title, json.dumps(list(story.questions)), json.dumps(list(story.points)), story.target_s, now, now),
            )
        return self.get_story(cur.lastrowid)

    def update_story(self, story: Story) -> Story:
        with self.translating(), self.conn:
            cur = self.conn.execute(
                "UPDATE stories SET title = ?, questions = ?, points = ?, target_s = ?, updated_at = ? WHERE id = ?",
                (story.title, json.dumps(list(story.questions)), json.dumps(list(story.points)), story.target_s,
                 _now(), story.id),
            )
        if cur.rowcount == 0:
            raise StorageError(f"no story with id {story.id}")
        return self.get_story(story.id)

    def delete_story(self, story_id: int) -> None:
        """Delete a story; its takes stay, no longer linked to it."""
        with self.translating(), self.conn:
            self.conn.execute("UPDATE takes SET story_id = NULL WHERE story_id = ?", (story_id,))
            self.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def get_story(self, story_id: int) -> Story:
        row = self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise StorageError(f"no story with id {story_id}")
        return _story(row)

    def stories(self) -> list[Story]:
        """Every story, in the order they were added."""
        return [_story(row) for row in self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories ORDER BY id")]

    def story_takes(self, story_id: int) -> list[Take]:
        """The takes that rehearsed a story, newest first."""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM takes WHERE story_id = ? ORDER BY created_at DESC, id DESC", (story_id,)
        )
        return [Take(*row) for row in rows]

    def integrity_problem(self) -> str | None:
        """None if the database is sound, else what SQLite reports."""
        try:
            rows = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            if faults.from_sqlite(exc, self.db_path).kind != "damaged":
                raise  # locked or unreadable: not damage
            return str(exc)
        return None if rows == ["ok"] else "; ".join(rows[:3])

    def __iter__(self) -> Iterator[Take]:
        return iter(self.takes())


_STORY_COLUMNS = "id, title, questions, points, target_s"


def open_store(backup: bool = True, lock_wait_s: float | None = None) -> Store:
    """The user's store, the one way every command, the app and the benchmarks open it.

    The data folder, the lock, the integrity and the schema are checked once, here; each
    failure is a :class:`StorageError` of one line naming the file and what to do. Then,
    at most once a day, a backup (a failure of which is only a notice on the store).
    """
    folder = locations.data_dir()
    if folder.exists() and not folder.is_dir():
        raise faults.not_a_folder(folder)
    store = Store(locations.database_path(), locations.audio_dir(), lock_wait_s)
    if backup:
        store.backup_daily()
    return store


def _story(row: tuple) -> Story:
    story_id, title, questions, points, target_s = row
    return Story(title=title, questions=tuple(json.loads(questions)), points=tuple(json.loads(points)),
                 target_s=int(target_s), id=story_id)


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _statements(script: str) -> list[str]:
    """The statements of a migration script, one by one (triggers whole)."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements
