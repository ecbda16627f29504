"""Recording from the microphone through PortAudio (sounddevice).

The stream runs at the input device's own sample rate (asking PortAudio for 16 kHz
through ALSA's pulse plugin garbled speech here); audio is resampled to 16 kHz for
the model. Every block goes to a WAV file as it arrives, so a crash or a kill loses at
most a fraction of a second. The PortAudio callback only copies the block into a
queue; a writer thread does the file, the level and the resampling.
"""

from __future__ import annotations

import errno
import os
import queue
import threading
from time import monotonic
from pathlib import Path

import numpy as np

from mock_interview.core.speech.audio import StreamResampler, to_mono
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


def _default_device(kind: str, missing: str) -> tuple[int | None, int]:
    sd = import_sounddevice()
    try:
        info = sd.query_devices(kind=kind)
    except (sd.PortAudioError, ValueError):
        raise DeviceError(missing) from None
    return info.get("index"), int(info["default_samplerate"])


def default_input() -> tuple[int | None, int]:
    """The default input device and its own sample rate; DeviceError if there is none."""
    return _default_device(
        "input", "no microphone found: plug one in (or check the sound settings), or answer from an audio file"
    )


def default_output() -> tuple[int | None, int]:
    """The default output device and its own sample rate; DeviceError if there is none."""
    return _default_device(
        "output",
        "no speaker or headphones found: plug some in (or check the sound settings); the questions are shown as text",
    )


SOUNDLESS = 1e-4
"""A sample no louder than this (-80 dBFS, a few steps of 16-bit audio) is no sound at all: what a
muted input or an idle one sends. Any microphone's own hiss in a quiet room is louder."""


def sound_until(samples: np.ndarray) -> int:
    """How many of ``samples`` run up to and include the last with any sound (:data:`SOUNDLESS`); 0: none has."""
    loud = np.flatnonzero(np.abs(samples) > SOUNDLESS)
    return int(loud[-1]) + 1 if len(loud) else 0


def sends_sound(samples: np.ndarray) -> bool:
    """Whether ``samples`` hold any sound at all."""
    return sound_until(samples) > 0


STALL_S = 3.0
"""No audio from the device for this long means it has gone away."""


def _with_errno(exc: Exception) -> Exception:
    """libsndfile says only "System error."; the C errno (through cffi) says which."""
    if isinstance(exc, OSError) and exc.errno:
        return exc
    try:
        import soundfile

        code = soundfile._ffi.errno
    except (ImportError, AttributeError):
        return exc
    return OSError(code, os.strerror(code)) if code else exc


def _describe_write_error(exc: BaseException, path: Path | None) -> UserError:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return UserError(f"the disk is full: recording stopped; the audio so far is kept in {path}")
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return UserError(f"cannot write to {path}: recording stopped ({exc.strerror})")
    return UserError(f"recording stopped: cannot write the audio ({exc}); what was saved is kept in {path}")


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
        self._started = 0.0
        self._last_block = 0.0

    # -- the PortAudio thread: copy and hand over, nothing else
    def _callback(self, indata, frames, time, status) -> None:  # noqa: ARG002
        if status.input_overflow:
            self._overflows += 1
        self._last_block = monotonic()
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
        self._started = self._last_block = monotonic()
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
                self._error = _with_errno(exc)
                break

    def stop(self) -> Recording:
        if self._stream is not None:
            try:
                # A device that has gone away can hang a graceful stop: abort it instead.
                (self._stream.abort if self.error else self._stream.stop)()
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
            try:
                self._file.close()
            except Exception:  # the disk filled: what was flushed is on disk
                pass
            self._file = None
        return Recording(path=self._path, rate=self.rate or 0, frames=self._frames, overflows=self._overflows)

    @property
    def error(self) -> UserError | None:
        """Why recording cannot go on (the disk is full, the microphone went away), or None."""
        if self._error is not None:
            return _describe_write_error(self._error, self._path)
        if self._stream is None:
            return None
        if not self._stream.active:
            return DeviceError("the microphone stopped working: recording stopped, what was said so far is kept")
        if monotonic() - self._last_block > STALL_S:
            return DeviceError(
                f"the microphone sent no audio for {STALL_S:.0f} s (unplugged?): "
                "recording stopped, what was said so far is kept"
            )
        return None

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
