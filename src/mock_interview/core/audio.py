"""Reading audio files and bringing them to what Whisper expects: 16 kHz mono float32."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mock_interview.core.errors import AudioError

SAMPLE_RATE = 16_000
"""The rate every later stage works at."""


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray
    """Mono float32 at :data:`SAMPLE_RATE`."""
    source_rate: int
    source_channels: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def to_mono(frames: np.ndarray) -> np.ndarray:
    """Average the channels of a (frames, channels) or (frames,) array."""
    if frames.ndim == 1:
        return frames.astype(np.float32, copy=False)
    return frames.mean(axis=1, dtype=np.float32)


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Resample with soxr's band-limited (anti-aliasing) high-quality filter."""
    if rate == target or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    import soxr

    return soxr.resample(samples, rate, target, quality="HQ").astype(np.float32, copy=False)


def _read_soundfile(path: Path) -> tuple[np.ndarray, int] | None:
    import soundfile

    try:
        frames, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    return frames, rate


def _read_av(path: Path) -> tuple[np.ndarray, int] | None:
    """Fallback for formats libsndfile does not read, through PyAV (FFmpeg)."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            rate = stream.codec_context.sample_rate or stream.rate
            chunks = []
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, ValueError, OSError, UnicodeDecodeError):
        return None
    if not chunks or not rate:
        return None
    return np.concatenate(chunks).astype(np.float32)[:, None], int(rate)


def load_audio(path: str | Path) -> Audio:
    """Read any wav, flac, mp3 or ogg file at its own rate and channel count.

    Raises :class:`AudioError` with a one-line, actionable message on bad input.
    """
    path = Path(path)
    if not path.exists():
        raise AudioError(f"audio file not found: {path}")
    if path.is_dir():
        raise AudioError(f"{path} is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path} is empty (0 bytes): record the answer again or pick another file")
    decoded = _read_soundfile(path) or _read_av(path)
    if decoded is None:
        raise AudioError(
            f"{path} is not an audio file that can be read: use wav, flac, mp3 or ogg"
        )
    frames, rate = decoded
    if frames.shape[0] == 0:
        raise AudioError(f"{path} holds no audio (0 samples): record the answer again")
    channels = frames.shape[1] if frames.ndim == 2 else 1
    samples = resample(to_mono(frames), rate)
    samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    return Audio(samples=samples, source_rate=rate, source_channels=channels)
