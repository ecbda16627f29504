"""Replaying a saved take through PortAudio (sounddevice), with pause and seek.

The whole file is loaded and resampled to the output device's own rate (asking
PortAudio for another rate through ALSA's pulse plugin is what garbled recording);
the stream's callback copies the next frames and moves the position on. The position
is counted in frames played, not by the clock, so the highlighted word follows what
is heard even when the device starts late.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from pathlib import Path
from typing import Protocol

import numpy as np

from mock_interview.core.errors import UserError


class PlaybackError(UserError):
    """The take's audio cannot be read (deleted, moved, not audio)."""


class Player(Protocol):
    """Plays one file at a time; ``load`` it, then ``play``, ``pause`` and ``seek``."""

    def load(self, path: Path) -> None:
        """Open ``path`` at position 0, paused. Raises a UserError it cannot be read."""
        ...

    def play(self) -> None:
        """Play from the position; at the end, from the start again."""
        ...

    def pause(self) -> None: ...

    def seek(self, seconds: float) -> None:
        """Move to ``seconds`` (clamped to the file), playing or not."""
        ...

    @property
    def position_s(self) -> float:
        """Seconds of the file played so far, counted in frames."""
        ...

    @property
    def playing(self) -> bool: ...

    @property
    def duration_s(self) -> float: ...

    def stop(self) -> None:
        """Stop and close the device; ``load`` opens it again."""
        ...


def read_mono(path: Path, rate: int) -> np.ndarray:
    """The file as float32 mono at ``rate``."""
    import soundfile
    import soxr

    if not path.is_file():
        raise PlaybackError(f"the audio of this take is gone ({path}); its transcript is still here")
    try:
        data, file_rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError, OSError) as exc:
        raise PlaybackError(f"cannot read the audio of this take ({path}): {exc}") from None
    mono = data.mean(axis=1).astype(np.float32)
    if file_rate != rate and len(mono):
        mono = soxr.resample(mono, file_rate, rate).astype(np.float32)
    return mono


class SoundDevicePlayer:
    """The real speaker, for replaying takes.

    The stream starts when a file is loaded and runs, silent, until :meth:`stop`:
    play and pause only say whether the callback hands out the file's frames or
    silence. Starting a stream can stall for a second or more (ALSA's pulse plugin
    does), which a user would otherwise wait through at every press of play.
    """

    def __init__(self, device: int | str | None = None, rate: int | None = None) -> None:
        self.device = device
        self.rate = rate
        self._samples = np.zeros(0, dtype=np.float32)
        self._frame = 0
        self._playing = False
        self._lock = threading.Lock()
        self._stream = None

    # -- the PortAudio thread: copy the next frames (or silence), nothing else
    def _callback(self, outdata, frames, time, status) -> None:  # noqa: ARG002
        with self._lock:
            if not self._playing:
                outdata.fill(0.0)
                return
            start = self._frame
            chunk = self._samples[start : start + frames]
            self._frame = start + len(chunk)
            if self._frame >= len(self._samples):
                self._playing = False
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :, 0] = 0.0

    def load(self, path: Path) -> None:
        from mock_interview.core.recorder import DeviceError, default_output, import_sounddevice

        self.stop()
        sd = import_sounddevice()
        device, default_rate = default_output() if self.device is None else (self.device, None)
        rate = self.rate or default_rate or int(sd.query_devices(self.device, "output")["default_samplerate"])
        samples = read_mono(path, rate)
        with self._lock:
            self.rate = rate
            self._samples = samples
            self._frame = 0
            self._playing = False
        try:
            stream = sd.OutputStream(device=device, samplerate=rate, channels=1, dtype="float32", callback=self._callback)
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise DeviceError(f"cannot open the speaker to replay the take: {exc}") from None
        self._stream = stream

    def play(self) -> None:
        if self._stream is None:
            return
        with self._lock:
            if self._frame >= len(self._samples):
                self._frame = 0
            self._playing = True

    def pause(self) -> None:
        with self._lock:
            self._playing = False

    def seek(self, seconds: float) -> None:
        if not self.rate:
            return
        with self._lock:
            self._frame = int(min(max(0.0, seconds) * self.rate, len(self._samples)))

    @property
    def position_s(self) -> float:
        return self._frame / self.rate if self.rate else 0.0

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def duration_s(self) -> float:
        return len(self._samples) / self.rate if self.rate else 0.0

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        with self._lock:
            self._playing = False
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:  # the device went away: nothing left to close
                pass


# -- where in the transcript replay is (pure: times in, indices out)
LEAD_IN_S = 0.3
"""Jumps land this long before a filler or a pause, so its start is heard; the
highlight moves on to a word this long before it starts, which also makes up for
the output device's latency."""


def spoken_at(starts: list[float], ends: list[float], pauses: dict[int, float], position_s: float) -> tuple[str, int] | None:
    """What is heard at ``position_s``: ("word", i) from just before a word starts until
    the next one, ("pause", i) from just before the long pause after word i, or None
    before the first word and after the last. "Just before" is :data:`LEAD_IN_S`."""
    ahead = position_s + LEAD_IN_S
    if not starts or ahead < starts[0]:
        return None
    i = bisect_right(starts, ahead) - 1
    if i in pauses and ahead >= ends[i]:
        return ("pause", i)
    if i == len(starts) - 1 and position_s > ends[i] + LEAD_IN_S:
        return None
    return ("word", i)


def next_jump(times: list[float], position_s: float, lead_in_s: float = LEAD_IN_S) -> float | None:
    """Where to seek for the next of ``times`` (filler or pause starts) after the position."""
    for t in sorted(times):
        target = max(0.0, t - lead_in_s)
        if target > position_s + 0.05:
            return target
    return None
