"""Nothing leaves the machine: no network at run time, private files."""

import os
import socket
import stat
import subprocess
import sys

import pytest


def test_the_suite_runs_with_the_network_blocked():
    """`make test` runs everything under `unshare -n` and with sockets blocked."""
    if os.environ.get("CI") != "true" and "nonet" not in os.environ.get("PYTHONPATH", ""):
        pytest.skip("run through `make test` to check the network blocking")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    with pytest.raises(OSError):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed anyway
    s.close()


@pytest.mark.real_model
def test_analyze_opens_no_internet_socket(speech_dir, monkeypatch, capsys):
    """Model load, VAD and transcription in this very process: not one inet socket."""
    opened = []
    real = socket.socket.__init__

    def spy(self, family=socket.AF_INET, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6):
            opened.append(family)
        real(self, family, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "__init__", spy)
    from mock_interview.cli import main

    assert main(["analyze", str(speech_dir / "clips" / "mfa_um.flac"), "--question", "drift", "--json"]) == 0
    assert '"um"' in capsys.readouterr().out
    assert opened == []


def test_saved_takes_are_private(isolated_home, speech_dir, tmp_path):
    env = dict(os.environ, MOCK_INTERVIEW_HOME=str(isolated_home))
    clip = speech_dir / "clips" / "mfa_um.flac"
    out = subprocess.run(
        [sys.executable, "-m", "mock_interview", "analyze", str(clip), "--save"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    data = isolated_home / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.suffix == ".flac" for p in files) and any(p.name == "takes.sqlite3" for p in files)
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, f"{p} is readable by others"
    for p in data.rglob("*"):
        if p.is_dir():
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, f"{p} is open to others"
