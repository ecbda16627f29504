"""Faults with the real app and the real audio stack: a take survives kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest
import soundfile

from e2e_support import Tmux, app_command, as_48k_wav, pane_pid

pytestmark = [pytest.mark.e2e, pytest.mark.real_model, pytest.mark.usefixtures("tmux")]




def test_killed_during_a_take_the_audio_is_kept_and_recovered(sound, tmp_path, speech_dir, isolated_home):
    env = sound.env()
    env["MOCK_INTERVIEW_HOME"] = str(isolated_home)
    env["TERM"] = "xterm-256color"
    answer = as_48k_wav(speech_dir / "mfa_acoustic_corpus.wav", tmp_path / "answer.wav")
    audio_dir = isolated_home / "data" / "audio"

    first = Tmux("killed", env)
    first.start(app_command("--question", "mlops:drift"))
    try:
        first.wait_for("Recording", timeout=60)
        player = sound.play_into_mic(answer)
        time.sleep(12)  # about half of the answer
        os.kill(pane_pid(first), signal.SIGKILL)
        player.wait(timeout=60)
    finally:
        first.kill()

    # What was recorded up to the kill is on disk, readable, and marked as interrupted.
    wavs = list(audio_dir.glob("*.wav"))
    assert len(wavs) == 1 and list(audio_dir.glob("*.recording"))
    assert soundfile.info(wavs[0]).duration > 9

    second = Tmux("recovering", env)
    second.start(app_command())
    try:
        second.wait_for("interrupted before it was saved", timeout=30)
        second.keys("r")
        deadline = time.monotonic() + 90
        rows = []
        while time.monotonic() < deadline and not rows:
            time.sleep(0.5)
            db = isolated_home / "data" / "takes.sqlite3"
            with sqlite3.connect(db) as conn:
                rows = conn.execute("SELECT question_id, take, transcript, audio_path FROM takes").fetchall()
        screen = second.screen()
    finally:
        second.kill()
    assert rows, screen
    question_id, number, transcript, audio_path = rows[0]
    assert (question_id, number) == ("drift", 1)
    assert "acoustic corpus" in transcript.lower()
    assert audio_path == str(wavs[0])
    assert not list(audio_dir.glob("*.recording"))  # no longer offered
