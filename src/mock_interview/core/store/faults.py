"""What went wrong with the user's files, in one line: what is wrong, with which file, and what to do.

Every entry point turns SQLite's and the operating system's errors into one of these
sentences, so a damaged, locked, read-only or full store never ends in a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from mock_interview.core.errors import UserError

LOCK_WAIT_S = 5.0
"""How long a command waits for another program to let go of the database."""


class StorageError(UserError):
    """One line for the user; ``kind`` says which fault it is (damaged, locked, read-only, full, newer, folder)."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


def damaged(db: Path, detail: str) -> StorageError:
    return StorageError(
        f"the takes database {db} is damaged ({detail}): run `mock-interview doctor --repair` "
        "to recover what it can into a new file (it deletes nothing)",
        kind="damaged",
    )


def locked(db: Path) -> StorageError:
    return StorageError(
        f"the takes database {db} is locked by another program (another mock-interview, a sync or backup tool?) "
        f"for more than {LOCK_WAIT_S:.0f} s: close it and try again",
        kind="locked",
    )


def read_only(path: Path, detail: str) -> StorageError:
    return StorageError(
        f"cannot write to {path} ({detail}): make it and its folder writable, "
        "or set MOCK_INTERVIEW_DATA_DIR to a folder you can write to",
        kind="read-only",
    )


def disk_full(path: Path) -> StorageError:
    return StorageError(
        f"the disk is full (or a file size limit was reached) writing {path}: free some space and try again",
        kind="full",
    )


def newer_schema(db: Path, version: int) -> StorageError:
    return StorageError(
        f"the takes database {db} was written by a newer mock-interview (schema {version}): "
        "upgrade mock-interview to read it (nothing was changed)",
        kind="newer",
    )


def not_a_folder(path: Path) -> StorageError:
    return StorageError(
        f"the data folder {path} is a file, not a folder: move that file away, "
        "or set MOCK_INTERVIEW_DATA_DIR to another folder",
        kind="folder",
    )


def from_sqlite(exc: sqlite3.Error, db: Path) -> StorageError:
    """SQLite's error as one line about ``db``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return damaged(db, text)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return locked(db)
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH")) or "readonly" in text:
        return read_only(db, text)
    if name == "SQLITE_FULL" or name in ("SQLITE_IOERR_WRITE", "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_TRUNCATE",
                                         "SQLITE_IOERR_FSYNC"):
        return disk_full(db)
    if name.startswith("SQLITE_IOERR"):
        return StorageError(f"cannot read or write the takes database {db} ({text}): check the disk, "
                            "then run `mock-interview doctor`")
    return StorageError(f"the takes database {db} cannot be used ({text}): run `mock-interview doctor`")


def from_os(exc: OSError, path: Path) -> StorageError:
    """An operating-system error about ``path`` as one line."""
    where = Path(exc.filename) if getattr(exc, "filename", None) else path
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return disk_full(where)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return read_only(where, exc.strerror or str(exc))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return not_a_folder(_first_file(where))
    return StorageError(f"cannot use {where} ({exc.strerror or exc}): check the disk and its permissions")


def _first_file(path: Path) -> Path:
    """The part of ``path`` that exists and is a file (what stops a folder being made)."""
    for part in [*reversed(path.parents), path]:
        if part.exists() and not part.is_dir():
            return part
    return path
