"""Faults during a take, with the real recorder on a private PulseAudio server.

Each run is a separate process, pointed at its own sound server: the disk fills up
(a file-size limit), or the microphone disappears (its PulseAudio module unloaded).
Either way recording stops, what was captured stays on disk, and the user is told.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import soundfile

from e2e_support import as_48k_wav

pytestmark = pytest.mark.e2e

RECORD = textwrap.dedent(
    """
    import json, resource, signal, subprocess, sys, time
    from pathlib import Path
    from mock_interview.core.session import TakeSession

    wav, answer, mode, limit = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "disk-full":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    class NoWords:
        def transcribe(self, samples, context=()):
            return []

    from mock_interview.core.recorder import SoundDeviceRecorder
    recorder = SoundDeviceRecorder()
    session = TakeSession(recorder, NoWords(), None, wav)
    session.start()
    player = subprocess.Popen(["paplay", "--device=answer", answer])
    failure, t0 = None, time.monotonic()
    while time.monotonic() - t0 < 30:
        time.sleep(0.1)
        progress = session.poll()
        if mode == "unplug" and progress.elapsed_s > 3 and not Path(sys.argv[5]).exists():
            Path(sys.argv[5]).touch()
            subprocess.run(["pactl", "unload-module", "module-null-sink"], check=True)
        if progress.failure:
            failure = progress.failure
            break
    finished = session.stop()
    player.kill()
    print(json.dumps({"failure": failure, "elapsed": progress.elapsed_s, "frames": finished.recording.frames}))
    """
)




def record(sound, tmp_path, speech_dir, mode, limit=0):
    answer = as_48k_wav(speech_dir / "mfa_acoustic_corpus.wav", tmp_path / "answer.wav")
    wav = tmp_path / "take.wav"
    args = [sys.executable, "-c", RECORD, str(wav), str(answer), mode, str(limit), str(tmp_path / "unplugged")]
    out = subprocess.run(args, env=sound.env(), capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1]), wav


def test_disk_full_stops_recording_and_keeps_the_audio(sound, tmp_path, speech_dir):
    limit = 400_000  # bytes: about four seconds of 16-bit mono at the device's rate
    result, wav = record(sound, tmp_path, speech_dir, "disk-full", limit)
    assert result["failure"] and "disk is full" in result["failure"]
    assert str(wav) in result["failure"]
    info = soundfile.info(wav)
    fits = (limit - 44) / (info.samplerate * 2)
    assert fits - 0.3 < info.duration <= fits  # everything up to the limit is readable


def test_microphone_unplugged_mid_take(sound, tmp_path, speech_dir):
    result, wav = record(sound, tmp_path, speech_dir, "unplug")
    assert result["failure"] and "microphone" in result["failure"]
    assert soundfile.info(wav).duration >= 2.5  # what was said before it went is kept


LISTEN = "import json; from mock_interview.core.store.doctor import check_listening; c = check_listening(); print(json.dumps([c.status, c.text]))"


def test_doctor_hears_whether_the_microphone_sends_any_sound(sound, tmp_path, speech_dir):
    """A muted or idle input sends digital silence: `doctor` records a second and says so."""
    import time

    def listen():
        out = subprocess.run([sys.executable, "-c", LISTEN], env=sound.env(), capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    status, text = listen()  # nothing plays into the virtual microphone: it sends zeros, as a muted one does
    assert status == "warn" and "sent no sound at all" in text and "is it muted" in text
    player = sound.play_into_mic(as_48k_wav(speech_dir / "mfa_acoustic_corpus.wav", tmp_path / "answer.wav"))
    try:
        time.sleep(0.5)
        status, text = listen()
    finally:
        player.kill()
    assert status == "ok" and text.startswith("the microphone hears sound (loudest ")
