"""`mock-interview doctor`: one line per check, with what to do; `--repair` mends a damaged database.

The repair never deletes a recording and never overwrites the damaged file: it is kept
beside the new one under another name.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mock_interview.core.store import backups, locations
from mock_interview.core.store.faults import StorageError

AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".ogg"}


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    """``ok``, ``warn`` (worth knowing, nothing broken) or ``FAIL``."""
    text: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.name:<13} {self.text}"


def ok(name: str, text: str) -> Check:
    return Check(name, "ok", text)


def warn(name: str, text: str) -> Check:
    return Check(name, "warn", text)


def fail(name: str, text: str) -> Check:
    return Check(name, "FAIL", text)


# -- the user's folders and files
def check_folder(name: str, path: Path) -> Check:
    if path.exists() and not path.is_dir():
        return fail(name, f"{path} is a file, not a folder: move it away, or set MOCK_INTERVIEW_HOME elsewhere")
    if not path.exists():
        return ok(name, f"{path} (not made yet: it is created at first use)")
    probe = path / f".doctor-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return fail(name, f"cannot write in {path} ({exc.strerror}): make it writable")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return warn(name, f"{path} can be read by others (mode {mode:o}): `chmod 700 {path}`")
    return ok(name, f"{path}, writable, private")


def audio_references(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """Each take's audio files: the answer's and the follow-up reply's."""
    refs: dict[int, list[str]] = {}
    for take_id, audio, report in conn.execute("SELECT id, audio_path, report_json FROM takes"):
        paths = [audio] if audio else []
        try:
            follow = (json.loads(report).get("follow_up") or {}).get("audio_path")
        except (ValueError, AttributeError):
            follow = None
        if follow:
            paths.append(follow)
        refs[take_id] = paths
    return refs


def orphan_audio(audio_dir: Path, refs: dict[int, list[str]]) -> list[Path]:
    """Recordings in the audio folder that no take refers to (a take being recorded has a marker)."""
    known = {Path(p).name for paths in refs.values() for p in paths}
    if not audio_dir.is_dir():
        return []
    return sorted(
        p for p in audio_dir.iterdir()
        if p.suffix.lower() in AUDIO_SUFFIXES and p.name not in known and not p.with_suffix(".recording").exists()
    )


def check_database() -> list[Check]:
    from mock_interview.core.store.storage import SCHEMA_VERSION, Store

    db = locations.database_path()
    if locations.data_dir().exists() and not locations.data_dir().is_dir():
        return [fail("database", f"the data folder {locations.data_dir()} is a file, not a folder: move that file away")]
    if not db.exists():
        return [ok("database", f"{db} (none yet: made at the first saved take)")]
    try:
        store = Store(db, locations.audio_dir())
    except StorageError as exc:
        return [fail("database", str(exc))]
    with store:
        count = store.conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0]
        refs = audio_references(store.conn)
    checks = [ok("database", f"{db}: sound, schema {SCHEMA_VERSION}, {count} takes")]
    missing = [(i, p) for i, paths in refs.items() for p in paths if not Path(p).exists()]
    if missing:
        ids = ", ".join(str(i) for i, _ in missing[:8])
        checks.append(warn("takes' audio", f"{len(missing)} takes have lost their audio (ids {ids}): their reports "
                                           "are kept; replay is not possible (restore the files to re-link them)"))
    else:
        checks.append(ok("takes' audio", "every take's recording is there"))
    orphans = orphan_audio(locations.audio_dir(), refs)
    if orphans:
        checks.append(warn("recordings", f"{len(orphans)} recordings in {locations.audio_dir()} belong to no take "
                                         f"(e.g. {orphans[0].name}): `mock-interview analyze FILE --save` adds one "
                                         "back; they are never deleted for you"))
    return checks


def check_backups() -> Check:
    found = backups.list_backups(locations.database_path())
    if not found:
        return ok("backups", f"none yet in {backups.backups_dir(locations.database_path())} (one a day once there are takes)")
    listed = "; ".join(f"{b.path.name} ({b.size // 1024} KB)" for b in found)
    return ok("backups", f"{len(found)} in {found[0].path.parent}: {listed}")


def telemetry_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "Microsoft" / "DeveloperTools" / ".onnxruntime"


def check_telemetry_leftovers() -> Check:
    folder = telemetry_dir()
    files = [folder / name for name in ("deviceid", "onnxruntime.db") if (folder / name).exists()]
    if not files:
        return ok("telemetry", "no files left by onnxruntime's telemetry in your cache")
    return warn("telemetry", f"onnxruntime (a dependency) left {', '.join(f.name for f in files)} in {folder} in an "
                             f"earlier version; nothing reads them now: remove them with `rm -r {folder}`")


# -- devices and models
def check_devices() -> list[Check]:
    from mock_interview.core.errors import UserError
    from mock_interview.core.recorder import default_input, default_output

    checks = []
    for name, probe in (("microphone", default_input), ("speaker", default_output)):
        try:
            index, rate = probe()
            checks.append(ok(name, f"default device {index if index is not None else ''} at {rate} Hz".replace("  ", " ")))
        except UserError as exc:
            checks.append(fail(name, str(exc)))
    if checks[0].status == "ok":
        checks.insert(1, check_listening())
    return checks


LISTEN_S = 1.0
"""How long :func:`check_listening` records."""


def check_listening(seconds: float = LISTEN_S) -> Check:
    """Record ``seconds`` from the default microphone, as a take does, and say whether it sent any sound:
    a muted input, or another one chosen, sends digital silence, which no device check can tell."""
    import time

    import numpy as np

    from mock_interview.core.errors import UserError
    from mock_interview.core.recorder import SoundDeviceRecorder, sends_sound

    recorder = SoundDeviceRecorder()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            recorder.start(Path(tmp) / "listen.wav")
            time.sleep(seconds)
            samples = recorder.read_new()
            recording = recorder.stop()
            samples = np.concatenate([samples, recorder.read_new()])
        except UserError as exc:
            return fail("listening", str(exc))
    if recording.frames == 0:
        return fail("listening", f"the microphone sent no audio in {seconds:.0f} s: is it in use by another program?")
    if not sends_sound(samples):
        return warn("listening", f"the microphone sent no sound at all in {seconds:.0f} s (not even a room's hiss): "
                                 "is it muted, or is another input chosen? Unmute it or pick it in the system's "
                                 "sound settings")
    peak = float(np.max(np.abs(samples)))
    return ok("listening", f"the microphone hears sound (loudest {20 * np.log10(peak):.0f} dBFS in {seconds:.0f} s)")


def check_voice(voice: str | None) -> Check:
    from mock_interview.core.errors import UserError
    from mock_interview.core.voice import find_profile, synthesize

    try:
        profile = find_profile(voice)
        with tempfile.TemporaryDirectory() as tmp:
            synthesize("Hello.", profile, Path(tmp) / "hello.wav")
    except UserError as exc:
        return fail("voice", str(exc))
    return ok("voice", f"'{profile.name}' ({profile.engine}) speaks")


def check_model(model: str | None, allow_download: bool = False) -> Check:
    from mock_interview.core.errors import UserError
    from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio
    from mock_interview.core.speech.transcribe import WhisperTranscriber, model_name

    cue = locations.assets_dir() / "cue-start.wav"
    try:
        transcriber = WhisperTranscriber(model, allow_download=allow_download)
        transcriber.load()
        samples = load_audio(cue).samples[:SAMPLE_RATE]
        transcriber.transcribe(samples)
    except UserError as exc:
        return fail("speech model", str(exc))
    name = model_name(transcriber) or model or "tiny.en"
    chosen = f"{name} (chosen by '{model}')" if model and model != name else name
    return ok("speech model", f"{chosen} loads and transcribed a second of {cue.name}")


def run_checks(files_only: bool = False, voice: str | None = None) -> list[Check]:
    from mock_interview.core.errors import UserError
    from mock_interview.core.store.settings import load_settings

    checks = [check_folder("data folder", locations.data_dir()), check_folder("config folder", locations.config_dir())]
    settings = None
    try:
        settings = load_settings()
        checks.append(ok("settings", f"{locations.settings_path()} reads"))
    except UserError as exc:
        checks.append(fail("settings", str(exc)))
    if checks[0].status == "FAIL":  # one problem, said once
        checks.append(Check("database", "skip", "not checked: the data folder cannot be used (see above)"))
    else:
        checks += check_database()
    checks.append(check_backups())
    checks.append(check_telemetry_leftovers())
    if not files_only:
        checks += check_devices()
        checks.append(check_voice(voice or (settings.voice if settings else None)))
        checks.append(check_model(settings.model if settings else None, bool(settings and settings.allow_download)))
    return checks


# -- the repair
@dataclass
class Repair:
    recovered: int = 0
    stories: int = 0
    unplaced: int = 0
    """Rows SQLite found but could not put back in a table (its lost_and_found)."""
    relinked: int = 0
    missing_audio: list[int] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)
    kept_as: Path | None = None
    method: str = ""
    backup: tuple[Path, int] | None = None
    """The newest backup and how many takes it holds, if there is one."""


def _recover_with_cli(damaged: Path, raw: Path) -> str | None:
    """SQLite's own `.recover`, if the sqlite3 program is installed: None if it worked, else why not.

    (sqlite3 3.40's `.recover` stops with "SQL logic error" on many sound files; then the salvage runs.)
    """
    exe = shutil.which("sqlite3")
    if exe is None:
        return "the sqlite3 program is not installed"
    dump = subprocess.run([exe, str(damaged), ".recover"], capture_output=True, text=True, errors="replace")
    if dump.returncode != 0 or "CREATE TABLE" not in dump.stdout:
        return f"sqlite3 .recover failed: {(dump.stderr.strip().splitlines() or ['no output'])[0]}"
    load = subprocess.run([exe, str(raw)], input=dump.stdout, capture_output=True, text=True, errors="replace")
    return None if raw.exists() else f"sqlite3 could not load what .recover found: {load.stderr.strip()[:80]}"


def _salvage_rows(damaged: Path, table: str) -> tuple[list[str], list[tuple]]:
    """Row by row, what can still be read of ``table``: what a page held is lost, the rest is kept."""
    conn = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    try:
        try:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError:
            return [], []
        if not columns:
            return [], []
        rows: dict[int, tuple] = {}
        for order in ("ASC", "DESC"):  # read up to the damage from both ends
            try:
                for row in conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid {order}"):
                    rows[row[0]] = row[1:]
            except sqlite3.DatabaseError:
                pass
        try:
            top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        except sqlite3.DatabaseError:
            top = max(rows, default=0) + 1000
        for rowid in range(1, top + 1):
            if rowid in rows:
                continue
            try:
                row = conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row:
                rows[rowid] = row
        return columns, [rows[k] for k in sorted(rows)]
    finally:
        conn.close()


def _rows_from_raw(raw: Path, table: str) -> tuple[list[str], list[tuple]]:
    conn = sqlite3.connect(str(raw))
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        return columns, list(conn.execute(f"SELECT * FROM {table}")) if columns else []
    finally:
        conn.close()


def _lost_and_found(raw: Path) -> int:
    conn = sqlite3.connect(str(raw))
    try:
        return conn.execute("SELECT COUNT(*) FROM lost_and_found").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def repair(use_cli: bool = True) -> Repair:
    """Recover the damaged takes database into a new file; the damaged one is kept beside it."""
    from mock_interview.core.store.storage import Store

    db, audio_dir = locations.database_path(), locations.audio_dir()
    result = Repair()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        work = Path(tmp)
        copy = work / "damaged.sqlite3"  # recovery reads a copy: the user's file is not touched
        for suffix in ("", "-wal"):
            if Path(f"{db}{suffix}").exists():
                shutil.copyfile(f"{db}{suffix}", f"{copy}{suffix}")
        raw = work / "raw.sqlite3"
        why_not = _recover_with_cli(copy, raw) if use_cli else "asked for"
        if why_not is None:
            result.method = "sqlite3 .recover"
            source = lambda table: _rows_from_raw(raw, table)  # noqa: E731
            result.unplaced = _lost_and_found(raw)
        else:
            result.method = "row-by-row salvage" + (f"; {why_not}" if use_cli else "")
            source = lambda table: _salvage_rows(copy, table)  # noqa: E731
        fresh = work / "takes.sqlite3"
        with Store(fresh, audio_dir) as store:
            for table in ("stories", "takes"):
                columns, rows = source(table)
                wanted = [c for c in columns if c in _table_columns(store.conn, table)]
                if not wanted:
                    continue
                at = [columns.index(c) for c in wanted]
                with store.conn:
                    for row in rows:
                        try:
                            store.conn.execute(
                                f"INSERT OR IGNORE INTO {table} ({', '.join(wanted)}) VALUES ({', '.join('?' * len(at))})",
                                [row[i] for i in at],
                            )
                        except sqlite3.Error:
                            result.unplaced += 1
            result.stories = store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
            result.recovered = store.conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0]
            _relink(store, audio_dir, result)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        kept = db.with_name(f"takes.damaged-{stamp}.sqlite3")
        for suffix in ("-wal", "-shm", ""):
            if Path(f"{db}{suffix}").exists():
                os.replace(f"{db}{suffix}", f"{kept}{suffix}")
        os.replace(fresh, db)
        result.kept_as = kept
    result.backup = _newest_backup(db)
    return result


def _newest_backup(db: Path) -> tuple[Path, int] | None:
    for found in backups.list_backups(db):
        try:
            conn = sqlite3.connect(f"file:{found.path}?mode=ro", uri=True)
            try:
                return found.path, conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return None


def _table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _relink(store, audio_dir: Path, result: Repair) -> None:
    """Point takes whose audio moved at the file of the same name in the audio folder."""
    with store.conn:
        for take_id, audio in list(store.conn.execute("SELECT id, audio_path FROM takes")):
            if not audio or Path(audio).exists():
                continue
            here = audio_dir / Path(audio).name
            if here.exists():
                store.conn.execute("UPDATE takes SET audio_path = ? WHERE id = ?", (str(here), take_id))
                result.relinked += 1
            else:
                result.missing_audio.append(take_id)
    result.orphans = orphan_audio(audio_dir, audio_references(store.conn))


def repair_lines(result: Repair) -> list[str]:
    lines = [f"recovered {result.recovered} takes and {result.stories} stories ({result.method}) into "
             f"{locations.database_path()}",
             f"the damaged file is kept as {result.kept_as}: delete it yourself once you are content"]
    if result.relinked:
        lines.append(f"re-linked the audio of {result.relinked} takes")
    if result.unplaced:
        lines.append(f"{result.unplaced} fragments could not be put back into a take")
    if result.missing_audio:
        lines.append(f"{len(result.missing_audio)} takes have no audio on disk (ids "
                     f"{', '.join(map(str, result.missing_audio[:10]))}): their reports are kept")
    if result.orphans:
        lines.append(f"{len(result.orphans)} recordings whose takes could not be recovered are kept in "
                     f"{locations.audio_dir()} (e.g. {result.orphans[0].name}): "
                     "`mock-interview analyze FILE --question ID --save` saves one again")
    if result.backup is not None:
        path, count = result.backup
        lines.append(f"the newest backup, {path}, holds {count} takes: if it has takes the recovery lost, "
                     f"copy it over {locations.database_path()} instead (takes saved since it was made are not in it)")
    return lines
