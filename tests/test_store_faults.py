"""Every command that touches the store x every way the store can fail.

Each cell runs the real command in a subprocess against a real SQLite file made faulty
for real: pages overwritten, the file cut short, another process holding an exclusive
lock, a read-only mount, a file-size limit (RLIMIT_FSIZE, as a full disk), a schema
from a newer version, a file where the data folder should be. Each must end in one line
naming the file and what to do, exit status 2 (the app: a message on its home screen),
no traceback, no file lost or overwritten, no orphan audio.

Read-only: the tests run as root, for whom chmod stops nothing; the command runs in a
private mount namespace (``unshare -m``) where the data folder is re-mounted read-only.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mock_interview.core.judge.questions import Question
from mock_interview.core.report import build_report
from mock_interview.core.speech.words import Word

FAULTS = ["damaged", "truncated", "locked", "read-only", "disk-full", "newer-schema", "folder-is-a-file"]
COMMANDS = ["app", "analyze-save", "history", "export", "purge", "doctor"]

# What the one line must say, per fault.
SAYS = {
    "damaged": ("is damaged", "doctor --repair"),
    "truncated": ("is damaged", "doctor --repair"),
    "locked": ("locked by another program", "try again"),
    "read-only": ("cannot write", "writable"),
    "disk-full": ("disk is full", "free some space"),
    "newer-schema": ("newer mock-interview", "upgrade"),
    "folder-is-a-file": ("is a file, not a folder", "move that file away"),
}

ANSWER = Path(__file__).resolve().parents[2] / "shared" / "speech" / "clips" / "mfa_um.flac"


def _question() -> Question:
    from mock_interview.core.store.banks import load_banks
    from mock_interview.core.judge.questions import find_question

    return find_question(load_banks([]), "mlops:drift")


def make_store(home: Path) -> None:
    """Three takes with their audio, checkpointed (no -wal left), as a user's folder would be."""
    from mock_interview.core.store.storage import Store

    data = home / "data"
    question = _question()
    with Store(data / "takes.sqlite3", data / "audio") as store:
        for i in range(3):
            words = [Word(f"word{j}", j * 0.4, j * 0.4 + 0.3) for j in range(60)] + [Word(f"take{i}", 30, 30.3)]
            audio = data / "audio" / f"answer-{i}.wav"
            audio.write_bytes(b"RIFF" + bytes(4000 + i))
            store.save_take(build_report(words, 31.0, question), question, audio)
        store.backup_daily()  # as any command would have made today
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert len(list((data / "backups").iterdir())) == 1
    assert not (data / "takes.sqlite3-wal").exists() or (data / "takes.sqlite3-wal").stat().st_size == 0


def snapshot(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def command_line(command: str, answer: Path) -> list[str]:
    py = [sys.executable, "-m", "mock_interview"]
    return {
        # The app's start as `run_app` does it (a UserError ends as one line, exit 2, as in cli.main).
        "app": [sys.executable, "-c",
                "import sys\n"
                "from mock_interview.core.errors import UserError\n"
                "from mock_interview.tui.main import open_store\n"
                "try:\n"
                "    store, problem = open_store()\n"
                "except UserError as exc:\n"
                "    sys.exit(print(f'mock-interview: error: {exc}', file=sys.stderr) or 2)\n"
                "print(problem)\n"
                "print(store.db_path)\n"
                "store.close()"],
        "analyze-save": [*py, "analyze", str(answer), "--question", "mlops:drift", "--save"],
        "history": [*py, "history"],
        "export": [*py, "export", "1"],
        "purge": [*py, "purge", "--yes"],
        "doctor": [*py, "doctor", "--files-only"],
    }[command]


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


def run(command: str, fault: str, home: Path, answer: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MOCK_INTERVIEW_HOME=str(home))
    for name in ("MOCK_INTERVIEW_DATA_DIR", "MOCK_INTERVIEW_CONFIG_DIR"):
        env.pop(name, None)
    argv = command_line(command, answer)
    preexec = None
    if fault == "folder-is-a-file":
        env["MOCK_INTERVIEW_DATA_DIR"] = str(home / "not-a-folder")
    if fault == "disk-full":
        def preexec() -> None:  # a 16 KB cap on any file written: SQLite's -shm alone needs 32 KB
            resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))
    if fault == "read-only":
        data = home / "data"
        argv = ["unshare", "-m", "sh", "-c",
                f'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', str(data), *argv]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, preexec_fn=preexec,
                          stdin=subprocess.DEVNULL)


def apply_fault(fault: str, home: Path) -> subprocess.Popen | None:
    db = home / "data" / "takes.sqlite3"
    if fault == "damaged":
        data = bytearray(db.read_bytes())
        for offset in range(4096, min(len(data), 3 * 4096)):
            data[offset] = 0x5A
        db.write_bytes(bytes(data))
    elif fault == "truncated":
        size = db.stat().st_size
        with open(db, "r+b") as f:
            f.truncate(size // 2 + 100)
    elif fault == "newer-schema":
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA user_version = 99")
        conn.close()
    elif fault == "folder-is-a-file":
        (home / "not-a-folder").write_text("a file where the data folder should be")
    elif fault == "locked":
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sqlite3, sys, time\n"
             f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
             "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
             "c.execute('BEGIN EXCLUSIVE')\n"
             "c.execute('UPDATE takes SET wpm = wpm WHERE id = 1')\n"
             "print('holding', flush=True)\n"
             "time.sleep(600)"],
            stdout=subprocess.PIPE, text=True,
        )
        assert holder.stdout.readline().strip() == "holding"
        return holder
    elif fault == "read-only" and not _can_unshare():
        # Like `make test`'s `unshare -n`: where namespaces are not allowed, this cell cannot be made honestly.
        pytest.skip("needs root and `unshare -m` (a private mount namespace) to mount the data folder read-only")
    return None


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_faulty_store_is_one_line_and_loses_nothing(command, fault, tmp_path, speech_dir):
    home = tmp_path / "home"
    make_store(home)
    answer = tmp_path / "answer.flac"
    shutil.copyfile(speech_dir / "clips" / "mfa_um.flac", answer)
    holder = apply_fault(fault, home)
    # The locked fault holds the lock while the others' bytes stay as they are.
    before = snapshot(home / "data")
    audio_before = sorted(p.name for p in (home / "data" / "audio").iterdir())
    try:
        out = run(command, fault, home, answer)
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    first, *keywords = SAYS[fault]
    where = str(home / "not-a-folder") if fault == "folder-is-a-file" else str(home / "data")
    if command == "app" and out.returncode == 0:
        # The app starts anyway, on a scratch store, and says why on its home screen.
        assert out.returncode == 0, out.stderr
        problem, db_path = out.stdout.strip().splitlines()
        assert first in problem and where in problem and all(k in problem for k in keywords), problem
        assert not db_path.startswith(str(home)), "the app must not use a faulty store"
    elif command == "app":
        # Not even a scratch store can be made (the cap is on every file): one line, exit 2.
        assert fault == "disk-full" and out.returncode == 2, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and first in out.stderr, out.stderr
    elif command == "doctor":
        assert out.returncode == 2, out.stdout + out.stderr
        failing = [line for line in out.stdout.splitlines() if line.startswith("FAIL")]
        assert len(failing) == 1 and first in failing[0] and where in failing[0], out.stdout
    else:
        assert out.returncode == 2, out.stdout + out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1, out.stderr
        assert first in lines[0] and where in lines[0] and all(k in lines[0] for k in keywords), lines[0]
        if command == "analyze-save":
            # Nothing computed is thrown away: the report is printed, and the line says it was not saved.
            assert "not saved" in lines[0]
            assert "Transcript" in out.stdout and "um" in out.stdout.lower(), out.stdout
    # No file lost or overwritten, and no orphan audio.
    after = snapshot(home / "data")
    assert {k: after.get(k) for k in before} == before
    assert sorted(p.name for p in (home / "data" / "audio").iterdir()) == audio_before


def test_without_a_fault_every_command_works(tmp_path, speech_dir):
    """The control row: the same commands on a sound store succeed (so the matrix fails only for its fault)."""
    home = tmp_path / "home"
    make_store(home)
    answer = tmp_path / "answer.flac"
    shutil.copyfile(speech_dir / "clips" / "mfa_um.flac", answer)
    for command in ["app", "history", "export", "doctor", "analyze-save", "purge"]:
        out = run(command, "none", home, answer)
        assert out.returncode == 0, (command, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr
    assert not list((home / "data" / "audio").iterdir())  # purge, last, removed them all


def test_disk_full_while_copying_the_answer_leaves_no_partial_audio(tmp_path, speech_dir):
    """A cap big enough to open the store but not to copy the recording: the copy is removed."""
    home = tmp_path / "home"
    make_store(home)
    answer = tmp_path / "answer.wav"
    import soundfile

    from mock_interview.core.speech.audio import load_audio

    soundfile.write(answer, load_audio(speech_dir / "clips" / "mfa_um.flac").samples, 16000)
    assert answer.stat().st_size > 64 * 1024
    env = dict(os.environ, MOCK_INTERVIEW_HOME=str(home))

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    audio_before = sorted(p.name for p in (home / "data" / "audio").iterdir())
    out = subprocess.run([sys.executable, "-m", "mock_interview", "analyze", str(answer), "--save"],
                         capture_output=True, text=True, env=env, timeout=300, preexec_fn=cap)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "not saved" in out.stderr and "disk is full" in out.stderr
    assert "Transcript" in out.stdout
    assert sorted(p.name for p in (home / "data" / "audio").iterdir()) == audio_before
