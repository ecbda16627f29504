"""The small interfaces the app talks to devices through, so tests can hand in fakes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Recording:
    path: Path
    """The WAV written while recording, at the device's own rate."""
    rate: int
    frames: int
    overflows: int = 0

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


class Recorder(Protocol):
    """A microphone. ``start`` begins writing ``path`` at once; ``stop`` closes it."""

    def start(self, path: Path) -> None: ...

    def stop(self) -> Recording: ...

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio received so far, counted in frames, not by the clock."""
        ...

    @property
    def level(self) -> float:
        """Input level of the latest audio, 0.0 (silence) to 1.0 (full scale)."""
        ...

    def read_new(self) -> np.ndarray:
        """The 16 kHz mono audio received since the last call (for live transcription)."""
        ...


class Speaker(Protocol):
    """The interviewer's voice and the cues."""

    def say(self, text: str) -> None:
        """Speak ``text``; returns when it has been spoken or :meth:`stop` was called."""
        ...

    def cue(self, name: str) -> None:
        """Play a short cue sound ("start", "wrap-up", "stop")."""
        ...

    def stop(self) -> None: ...
