"""Driving the real app in tmux against a private PulseAudio server."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile

from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio, resample


class Tmux:
    def __init__(self, name: str, env: dict, width: int = 120, height: int = 40) -> None:
        self.name = name
        self.env = env
        self.width, self.height = width, height
        self.socket = f"mi-{os.getpid()}-{name}"

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], env=self.env, capture_output=True, text=True, check=check)

    def start(self, command: list[str]) -> None:
        inner = " ".join(shlex.quote(c) for c in command)
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(self.width), "-y", str(self.height), inner)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear within {timeout:.0f} s; the screen was:\n{screen}")

    def recorded_s(self, guideline_s: float, timeout: float = 10.0) -> tuple[float, float]:
        """Bounds on how much audio the app has recorded, read from its clock line
        ("2:41 left", "wrap up: 12 s left", "over the guideline by 0:07"; whole seconds)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            over = re.search(r"over the guideline by (\d+):(\d\d)", screen)
            if over:
                shown = int(over[1]) * 60 + int(over[2])
                return guideline_s + shown, guideline_s + shown + 1
            left = re.search(r"wrap up: (\d+) s left", screen) or re.search(r"\b(\d+):(\d\d) left", screen)
            if left:
                shown = int(left[1]) * 60 + int(left[2]) if left.lastindex == 2 else int(left[1])
                return guideline_s - shown - 1, guideline_s - shown
            time.sleep(0.1)
        raise AssertionError(f"no recording clock on the screen:\n{screen}")

    def wait_recorded(self, guideline_s: float, seconds: float, timeout: float = 60.0) -> None:
        """Wait until the app has surely recorded ``seconds`` of audio: its own count of frames
        received, not a guess at how long the sound server and a busy machine take to deliver them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.recorded_s(guideline_s)[0] >= seconds:
                return
            time.sleep(0.2)
        raise AssertionError(f"the app had not recorded {seconds:.1f} s within {timeout:.0f} s:\n{self.screen()}")

    def pid_alive(self) -> bool:
        out = self._tmux("list-panes", "-t", self.name, "-F", "#{pane_dead}", check=False).stdout.strip()
        return out == "0"

    def kill(self) -> None:
        self._tmux("kill-server", check=False)


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mock_interview", *args]


def as_48k_wav(source: Path, target: Path, lead_in_s: float = 0.0) -> Path:
    """paplay keeps real time with a 48 kHz WAV."""
    samples = load_audio(source).samples
    if lead_in_s:
        samples = np.concatenate([np.zeros(int(lead_in_s * SAMPLE_RATE), dtype=np.float32), samples])
    soundfile.write(target, resample(samples, SAMPLE_RATE, 48_000), 48_000, subtype="PCM_16")
    return target


def pane_pid(tui: Tmux) -> int:
    out = tui._tmux("display-message", "-p", "-t", tui.name, "#{pane_pid}").stdout.strip()
    return int(out)


def need(tools_ok: bool, what: str) -> None:
    """Skip without the sound server's tools; under CI they must be there."""
    import pytest

    if tools_ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs {what} (make setup installs them)")
    pytest.skip(f"{what} missing: run `make setup`")
