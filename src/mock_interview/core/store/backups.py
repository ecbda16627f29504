"""Consistent copies of the takes database (SQLite's backup API), next to it in ``backups/``.

One before every schema migration, and at most one a day; the last few are kept.
The audio is not copied: recordings are never deleted by the program, only by the user.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KEEP = 5
"""How many backups are kept."""

_PREFIX = "takes-"


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime
    reason: str
    size: int


def backups_dir(db: Path) -> Path:
    return db.parent / "backups"


def list_backups(db: Path) -> list[Backup]:
    """The backups of ``db``, newest first."""
    folder = backups_dir(db)
    found = []
    for path in folder.glob(f"{_PREFIX}*.sqlite3") if folder.is_dir() else ():
        stem = path.stem[len(_PREFIX):]
        stamp = stem[:15]
        reason = stem[16:] or "daily"
        try:
            made = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(Backup(path, made, reason, path.stat().st_size))
    return sorted(found, key=lambda b: (b.made, b.path.stat().st_mtime_ns), reverse=True)


def make_backup(conn: sqlite3.Connection, db: Path, reason: str = "daily", keep: int = KEEP) -> Path:
    """Copy the open database into a new backup file; remove all but the last ``keep``.

    A copy that fails half way (the disk filled) is removed, and the error raised.
    """
    folder = backups_dir(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{_PREFIX}{datetime.now().strftime('%Y%m%d-%H%M%S')}-{reason}.sqlite3"
    n = 1
    while target.exists():
        target = target.with_name(f"{target.stem}-{n}.sqlite3")
        n += 1
    try:
        copy = sqlite3.connect(str(target))
        try:
            conn.backup(copy)
        finally:
            copy.close()
        target.chmod(0o600)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    for old in list_backups(db)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


def backed_up_today(db: Path) -> bool:
    today = datetime.now().date()
    return any(b.made.date() == today for b in list_backups(db))
