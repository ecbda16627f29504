"""Recording from the microphone through PortAudio (sounddevice).

The stream runs at the input device's own sample rate (asking PortAudio for 16 kHz
through ALSA's pulse plugin garbled speech here); audio is resampled to 16 kHz for
the model. Every block goes to a WAV file as it arrives, so a crash or a kill loses at
most a fraction of a second. The PortAudio callback only copies the block into a
queue; a writer thread does the file, the level and the resampling.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np

from mock_interview.core.audio import StreamResampler, to_mono
from mock_interview.core.devices import Recording
from mock_interview.core.errors import UserError


class DeviceError(UserError):
    """No microphone, no PortAudio, or the device went away."""


def import_sounddevice():
    try:
        import sounddevice
    except OSError:
        raise DeviceError(
            "PortAudio is not installed, so there is no microphone or speaker: "
            "install it with `sudo apt-get install libportaudio2` (or run `make setup`)"
        ) from None
    except ImportError:
        raise DeviceError("the sounddevice package is missing: run `make setup`") from None
    return sounddevice


def default_input() -> tuple[int | None, int]:
    """The default input device and its own sample rate; DeviceError if there is none."""
    sd = import_sounddevice()
    try:
        info = sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError):
        raise DeviceError(
            "no microphone found: plug one in (or check the sound settings), "
            "or answer from an audio file"
        ) from None
    return info.get("index"), int(info["default_samplerate"])


def default_output() -> tuple[int | None, int]:
    """The default output device and its own sample rate; DeviceError if there is none."""
    sd = import_sounddevice()
    try:
        info = sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError):
        raise DeviceError(
            "no speaker or headphones found: plug some in (or check the sound settings); "
            "the questions are shown as text"
        ) from None
    return info.get("index"), int(info["default_samplerate"])


class SoundDeviceRecorder:
    """The real microphone. One take at a time: ``start`` then ``stop``."""

    def __init__(self, device: int | str | None = None, rate: int | None = None) -> None:
        self.device = device
        self.rate = rate
        self._stream = None
        self._queue: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._file = None
        self._path: Path | None = None
        self._frames = 0
        self._overflows = 0
        self._level = 0.0
        self._new: list[np.ndarray] = []
        self._new_lock = threading.Lock()
        self._resampler: StreamResampler | None = None
        self._error: BaseException | None = None

    # -- the PortAudio thread: copy and hand over, nothing else
    def _callback(self, indata, frames, time, status) -> None:  # noqa: ARG002
        if status.input_overflow:
            self._overflows += 1
        self._queue.put(indata.copy())

    def start(self, path: Path) -> None:
        import soundfile

        sd = import_sounddevice()
        device, default_rate = default_input() if self.device is None else (self.device, None)
        rate = self.rate or default_rate or int(sd.query_devices(self.device, "input")["default_samplerate"])
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._frames = 0
        self._overflows = 0
        self._error = None
        self._resampler = StreamResampler(rate)
        self._file = soundfile.SoundFile(str(path), mode="w", samplerate=rate, channels=1, subtype="PCM_16")
        try:
            self._stream = sd.InputStream(
                device=device, samplerate=rate, channels=1, dtype="float32", callback=self._callback
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._file.close()
            raise DeviceError(f"cannot open the microphone: {exc}") from None
        self.rate = rate
        self._writer = threading.Thread(target=self._write_loop, name="recorder-writer", daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        while True:
            block = self._queue.get()
            if block is None:
                break
            try:
                mono = to_mono(block)
                self._file.write(mono)
                self._file.flush()
                self._frames += len(mono)
                self._level = min(1.0, float(np.sqrt(np.mean(mono**2))) * 4.0) if len(mono) else 0.0
                out = self._resampler(mono)
                if len(out):
                    with self._new_lock:
                        self._new.append(out)
            except Exception as exc:  # disk full, device gone: keep what we have
                self._error = exc
                break

    def stop(self) -> Recording:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:
                pass
            self._stream = None
        self._queue.put(None)
        if self._writer is not None:
            self._writer.join(timeout=5)
        tail = self._resampler(np.zeros(0, dtype=np.float32), last=True) if self._resampler else None
        if tail is not None and len(tail):
            with self._new_lock:
                self._new.append(tail)
        if self._file is not None:
            self._file.close()
            self._file = None
        return Recording(path=self._path, rate=self.rate or 0, frames=self._frames, overflows=self._overflows)

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def elapsed_s(self) -> float:
        return self._frames / self.rate if self.rate else 0.0

    @property
    def level(self) -> float:
        return self._level

    @property
    def overflows(self) -> int:
        return self._overflows

    def read_new(self) -> np.ndarray:
        with self._new_lock:
            chunks, self._new = self._new, []
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
