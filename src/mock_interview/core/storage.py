"""Saved takes: SQLite (WAL, transactions, a schema version from day one) plus audio files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from mock_interview.core import locations
from mock_interview.core.errors import UserError
from mock_interview.core.questions import Question
from mock_interview.core.report import Report

SCHEMA_VERSION = 2

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

_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2}


class StorageError(UserError):
    pass


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
        }


_COLUMNS = (
    "id, question_id, bank, question_text, take, created_at, audio_path, duration_s, speaking_s, "
    "guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, transcript"
)


class Store:
    """The takes database. Open with :meth:`open`; use as a context manager."""

    def __init__(self, db_path: Path, audio_dir: Path) -> None:
        self.db_path = db_path
        self.audio_dir = audio_dir
        try:
            locations.ensure_private_dir(db_path.parent)
            locations.ensure_private_dir(audio_dir)
            self.conn = sqlite3.connect(str(db_path), timeout=10, check_same_thread=False)
            os.chmod(db_path, 0o600)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"the takes database {db_path} cannot be used: {exc}") from None
        except OSError as exc:
            raise StorageError(f"cannot write to the data directory {db_path.parent}: {exc.strerror}") from None

    @classmethod
    def open(cls) -> "Store":
        return cls(locations.database_path(), locations.audio_dir())

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"the takes database {self.db_path} was written by a newer mock-interview "
                f"(schema {version}); upgrade mock-interview to read it"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # executescript commits first; the BEGIN/COMMIT makes each step all-or-nothing.
            self.conn.executescript(f"BEGIN; {_MIGRATIONS[target]} PRAGMA user_version = {target}; COMMIT;")

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

    def save_take(self, report: Report, question: Question | None, audio_path: Path | None) -> Take:
        d = report.to_dict()
        if audio_path is not None and audio_path.exists():
            try:
                os.chmod(audio_path, 0o600)
            except OSError:
                pass
        created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
        with self.conn:  # one transaction: the number and the row together
            # IMMEDIATE takes the write lock before reading MAX(take): two copies of the
            # app saving at once get different numbers instead of the same one.
            self.conn.execute("BEGIN IMMEDIATE")
            number = self.next_take_number(question)
            cur = self.conn.execute(
                "INSERT INTO takes (question_id, bank, question_text, take, created_at, audio_path, duration_s, "
                "speaking_s, guideline_s, wpm, filler_count, fillers_per_min, rubric_covered, rubric_total, "
                "transcript, words_json, report_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                ),
            )
        return self.get(cur.lastrowid)

    def save_take_from_file(self, source: Path, report: Report, question: Question | None) -> Take:
        """Copy a recorded file into the data directory and save the take with it."""
        target = self.new_audio_path(question).with_suffix(source.suffix.lower() or ".wav")
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            raise StorageError(f"cannot copy {source} into {self.audio_dir}: {exc.strerror}") from None
        return self.save_take(report, question, target)

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
        """Delete a take's row, then its audio file."""
        take = self.get(take_id)
        with self.conn:
            self.conn.execute("DELETE FROM takes WHERE id = ?", (take_id,))
        if take.audio_path:
            Path(take.audio_path).unlink(missing_ok=True)

    def purge(self) -> int:
        """Delete every take and every audio file; returns how many takes there were."""
        count = self.conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0]
        with self.conn:
            self.conn.execute("DELETE FROM takes")
        if self.audio_dir.is_dir():
            for path in self.audio_dir.iterdir():
                if path.is_file():
                    path.unlink(missing_ok=True)
        self.conn.execute("VACUUM")
        return count

    def integrity_problem(self) -> str | None:
        """None if the database is sound, else what SQLite reports."""
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        return None if rows == ["ok"] else "; ".join(rows[:3])

    def __iter__(self) -> Iterator[Take]:
        return iter(self.takes())
