import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]
SPEECH_DIR = Path(os.environ.get("MOCK_INTERVIEW_SPEECH_DIR", ROOT.parent / "shared" / "speech"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own data and config folders; nothing touches the user's files."""
    home = tmp_path / "home"
    monkeypatch.setenv("MOCK_INTERVIEW_HOME", str(home))
    for name in ("MOCK_INTERVIEW_DATA_DIR", "MOCK_INTERVIEW_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    """The shared real recordings; they must be there under CI, may be absent elsewhere."""
    if not SPEECH_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the real recordings at {SPEECH_DIR}")
        pytest.skip(f"real recordings not found at {SPEECH_DIR} (set MOCK_INTERVIEW_SPEECH_DIR)")
    return SPEECH_DIR


@pytest.fixture(scope="session")
def whisper():
    from mock_interview.core.speech.transcribe import WhisperTranscriber

    t = WhisperTranscriber()
    t.load()
    return t


@pytest.fixture
def sound(tmp_path):
    """A private PulseAudio server: a virtual speaker and a virtual microphone."""
    from e2e_support import need
    from mock_interview.virtual_audio import VirtualAudio, available

    need(available(), "pulseaudio and pulseaudio-utils")
    with VirtualAudio(tmp_path / "pulse") as va:
        yield va


@pytest.fixture
def tmux():
    import shutil

    from e2e_support import need

    need(shutil.which("tmux") is not None, "tmux")
