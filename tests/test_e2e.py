"""End to end: the real app, in a terminal, with the real voice, microphone and model.

A private PulseAudio server stands in for the sound card: the app speaks into the
null sink ``speaker`` (recorded here, to prove the question was spoken) and records
from ``answer.monitor``, into which a recording of a real person is played.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
import soundfile

from mock_interview.core.speech.audio import load_audio
from mock_interview.core.speech.transcribe import WhisperTranscriber
from e2e_support import Tmux, app_command, as_48k_wav

pytestmark = [pytest.mark.e2e, pytest.mark.real_model, pytest.mark.usefixtures("tmux")]




FOLLOW_UP = "How would you catch concept drift when the true labels only arrive weeks later?"


def test_a_spoken_answer_from_question_to_saved_report(sound, tmp_path, speech_dir, isolated_home):
    """The question is read, the answer recorded; it misses the whole rubric, so the
    interviewer asks a follow-up aloud, whose short reply is recorded and saved with the take."""
    env = sound.env()
    env["MOCK_INTERVIEW_HOME"] = str(isolated_home)
    env["TERM"] = "xterm-256color"
    heard = tmp_path / "speaker.wav"
    speaker = sound.record_speaker(heard)
    answer = as_48k_wav(speech_dir / "mfa_acoustic_corpus.wav", tmp_path / "answer.wav")
    reply = as_48k_wav(speech_dir / "clips" / "mfa_thoughts.flac", tmp_path / "reply.wav", lead_in_s=0.5)

    tui = Tmux("e2e", env)
    tui.start(app_command("--question", "mlops:drift"))
    try:
        tui.wait_for("What is model drift", timeout=30)
        tui.wait_for("Recording", timeout=60)  # after the question is read and the start cue
        before = tui.recorded_s(120)[1]  # the drift question's guideline is 2:00
        player = sound.play_into_mic(answer)
        # While the answer plays, the transcript grows on screen.
        tui.wait_for("acoustic corpus", timeout=40)
        player.wait(timeout=60)
        # Stop only once the app has the whole answer (its last hesitation is near the end):
        # a busy machine delivers the audio late, so a fixed pause here was a race.
        tui.wait_recorded(120, before + soundfile.info(answer).duration + 0.5)
        tui.keys("Space")
        # The answer covered nothing: the first gap a prompt of the bank probes is the two kinds of drift.
        tui.wait_for("Follow-up to", timeout=60)
        asked = tui.wait_for("Recording", timeout=60)  # after the follow-up is read and the start cue
        assert FOLLOW_UP in asked and "/ 1:00" in asked
        before = tui.recorded_s(60)[1]
        player = sound.play_into_mic(reply)
        tui.wait_for("thousand", timeout=30)
        player.wait(timeout=30)
        tui.wait_recorded(60, before + soundfile.info(reply).duration + 0.5)
        tui.keys("Space")
        screen = tui.wait_for("Take 1", timeout=60)
    finally:
        shot = tui.screen()
        tui.kill()

    # The results screen shows what a user came for.
    assert "Um" in screen or "um" in screen
    assert "words per minute" in screen.lower() or "wpm" in screen.lower()

    # The question was really spoken through the output device (the recorder stopped: its file is whole).
    speaker.terminate()
    speaker.wait(timeout=10)
    spoken = load_audio(heard)
    words = WhisperTranscriber().transcribe(spoken.samples)
    said = " ".join(w.text for w in words).lower()
    assert "drift" in said and "production" in said, said
    # And so was the follow-up, after it.
    # (tiny.en hears the synthetic voice's "true labels" variously, and once "concepts drift"
    # for "concept drift", as the recording's edges fall.)
    follow_up = re.search(r"concepts? drift", said)
    assert follow_up and follow_up.start() > said.index("production"), said

    # The take is saved: a row in SQLite and its audio on disk, with the fillers found.
    db = isolated_home / "data" / "takes.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT question_id, take, audio_path, report_json FROM takes").fetchall()
    assert len(rows) == 1, shot
    question_id, number, audio_path, report_json = rows[0]
    assert (question_id, number) == ("drift", 1)
    info = soundfile.info(audio_path)
    assert info.duration > 20
    report = json.loads(report_json)
    assert "acoustic corpus" in report["transcript"].lower()
    hesitations = [f for f in report["fillers"] if f["text"] in ("um", "uh")]
    assert len(hesitations) >= 3
    # The reply is part of the same take: its own transcript and audio, judged with the answer.
    follow_up = report["follow_up"]
    assert follow_up["prompt"] == FOLLOW_UP
    assert "thousand thoughts" in follow_up["transcript"].lower(), follow_up["transcript"]
    assert "thousand" not in report["transcript"].lower()
    assert soundfile.info(follow_up["audio_path"]).duration > 2
    assert follow_up["offset_s"] == pytest.approx(report["duration_s"])
    assert "Follow-up (asked because" in screen
