"""Nothing but the app's own folders: what the real CLI and the real app leave in a fresh home.

Each test runs the real program in a new HOME whose XDG folders are empty, then lists
every file created anywhere under that home. Only the app's data, config, state and
cache folders may hold one. A dependency that writes a device id or a telemetry queue
(onnxruntime's 1DS telemetry under ~/.cache/Microsoft), a model cache outside the app's
folder, or any other stray file fails the test, which names the file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from e2e_support import Tmux, app_command, need

APP = "mock-interview"
pytestmark = pytest.mark.real_model


def fresh_home(tmp_path: Path) -> tuple[Path, dict]:
    """A new HOME with empty XDG folders, and nothing that moves the app's own folders."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCK_INTERVIEW_", "XDG_", "HF_", "ORT_"))}
    env["HOME"] = str(home)
    for name, folder in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                         ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache")):
        (home / folder).mkdir(parents=True)
        env[name] = str(home / folder)
    # A login session always has a runtime folder (systemd-logind makes it); without
    # one, PulseAudio's client library links one into ~/.config/pulse.
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    return home, env


def app_folders(home: Path) -> list[Path]:
    return [home / ".config" / APP, home / ".local/share" / APP, home / ".local/state" / APP, home / ".cache" / APP]


def stray_files(home: Path) -> list[str]:
    """Every file under ``home`` outside the app's own folders, relative to ``home``."""
    own = app_folders(home)
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if (p.is_file() or p.is_symlink()) and not any(p.is_relative_to(folder) for folder in own)
    )


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "mock_interview", *args], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, f"mock-interview {' '.join(args)} failed:\n{out.stderr}"
    return out


def test_the_commands_write_only_the_apps_own_files(tmp_path, speech_dir):
    home, env = fresh_home(tmp_path)
    clip = speech_dir / "clips" / "mfa_um.flac"
    report = json.loads(run(env, "analyze", str(clip), "--question", "drift", "--json", "--save").stdout)
    assert report["fillers"], "the analysis itself ran"
    takes = json.loads(run(env, "history", "--json").stdout)
    assert len(takes) == 1
    assert "# " in run(env, "export", str(takes[0]["id"])).stdout
    run(env, "export", "--question", "drift", "--format", "json")

    strays = stray_files(home)
    assert not strays, "files outside the app's own folders:\n" + "\n".join(strays)
    saved = [p for p in (home / ".local/share" / APP).rglob("*") if p.is_file()]
    assert any(p.suffix == ".flac" for p in saved), "the take's audio was saved in the data folder"


def test_the_app_writes_only_its_own_files(tmp_path, speech_dir):
    """The real app starts, answers from a file with the real model and saves the take; then it quits."""

    need(shutil.which("tmux") is not None, "tmux")
    home, env = fresh_home(tmp_path)
    env["TERM"] = "xterm-256color"
    clip = speech_dir / "clips" / "mfa_um.flac"
    tui = Tmux("footprint", env)
    try:
        tui.start(app_command("--question", "drift"))  # no sound server here: no microphone
        tui.wait_for("Answer from a file", timeout=60)
        tui.keys("f")
        tui.wait_for("Answer from an audio file to")
        tui.keys(str(clip), "Enter")
        tui.wait_for("Retry", timeout=120)  # the Results screen's footer
        tui.keys("C-q")
        for _ in range(50):
            if not tui.pid_alive():
                break
            time.sleep(0.2)
    finally:
        tui.kill()

    strays = stray_files(home)
    assert not strays, "files outside the app's own folders:\n" + "\n".join(strays)
    assert (home / ".local/share" / APP / "takes.sqlite3").is_file(), "the take was saved in the data folder"
