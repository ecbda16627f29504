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


BLOCK_FRAMES = 1 << 16


class StreamResampler:
    """Downmix and resample block by block (soxr, anti-aliased), keeping its filter state."""

    def __init__(self, rate: int) -> None:
        self._stream = None
        if rate != SAMPLE_RATE:
            import soxr

            self._stream = soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32", quality="HQ")

    def __call__(self, frames: np.ndarray, last: bool = False) -> np.ndarray:
        mono = np.ascontiguousarray(to_mono(frames), dtype=np.float32)
        return self._stream.resample_chunk(mono, last=last) if self._stream else mono.copy()


class _Collector:
    """Memory holds only the 16 kHz result, never the whole file at its own rate."""

    def __init__(self, rate: int) -> None:
        self.resample = StreamResampler(rate)
        self.out: list[np.ndarray] = []

    def add(self, frames: np.ndarray, last: bool = False) -> None:
        self.out.append(self.resample(frames, last))

    def result(self) -> np.ndarray:
        return np.concatenate(self.out) if self.out else np.zeros(0, dtype=np.float32)


def _read_soundfile(path: Path) -> tuple[np.ndarray, int, int] | None:
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as f:
            rate, channels = f.samplerate, f.channels
            resampler = _Collector(rate)
            for block in f.blocks(blocksize=BLOCK_FRAMES, dtype="float32", always_2d=True):
                resampler.add(block)
            resampler.add(np.zeros((0, channels), dtype=np.float32), last=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    return resampler.result(), rate, channels


def _read_av(path: Path) -> tuple[np.ndarray, int, int] | None:
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
            channels = stream.codec_context.channels or 1
            if not rate:
                return None
            to_float = av.AudioResampler(format="flt", layout="mono", rate=rate)
            resampler = _Collector(rate)
            for frame in container.decode(stream):
                for out in to_float.resample(frame):
                    resampler.add(out.to_ndarray().reshape(-1))
            for out in to_float.resample(None):
                resampler.add(out.to_ndarray().reshape(-1))
            resampler.add(np.zeros(0, dtype=np.float32), last=True)
    except (av.error.FFmpegError, ValueError, OSError, UnicodeDecodeError):
        return None
    samples = resampler.result()
    return (samples, int(rate), int(channels)) if len(samples) else None


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
        raise AudioError(f"{path} is not an audio file that can be read: use wav, flac, mp3 or ogg")
    samples, rate, channels = decoded
    if len(samples) == 0:
        raise AudioError(f"{path} holds no audio (0 samples): record the answer again")
    samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    return Audio(samples=samples, source_rate=rate, source_channels=channels)
