"""Reading audio files and bringing them to what Whisper expects: 16 kHz mono float32."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

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


def _clean(block: np.ndarray) -> np.ndarray:
    block = np.nan_to_num(block, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(block, -1.0, 1.0, out=block)


@dataclass
class AudioStream:
    """An opened audio file, read block by block as 16 kHz mono (see :func:`open_audio`)."""

    path: Path
    source_rate: int
    source_channels: int
    _decode: Callable[[], Iterator[np.ndarray]]

    def blocks(self) -> Iterator[np.ndarray]:
        """16 kHz mono float32 blocks, clamped to [-1, 1]; memory holds one block at a time."""
        resample = StreamResampler(self.source_rate)
        for frames in self._decode():
            out = resample(frames)
            if len(out):
                yield _clean(out)
        tail = resample(np.zeros(0, dtype=np.float32), last=True)
        if len(tail):
            yield _clean(tail)


def _soundfile_stream(path: Path) -> AudioStream | None:
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as f:
            rate, channels = f.samplerate, f.channels
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None

    def decode() -> Iterator[np.ndarray]:
        with soundfile.SoundFile(str(path)) as f:
            try:
                yield from f.blocks(blocksize=BLOCK_FRAMES, dtype="float32", always_2d=True)
            except (soundfile.LibsndfileError, RuntimeError):
                return  # a damaged end: keep what was read

    return AudioStream(path, rate, channels, decode)


def _av_stream(path: Path) -> AudioStream | None:
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
    except (av.error.FFmpegError, ValueError, OSError, UnicodeDecodeError):
        return None
    if not rate:
        return None

    def decode() -> Iterator[np.ndarray]:
        to_float = av.AudioResampler(format="flt", layout="mono", rate=rate)
        try:
            with av.open(str(path), metadata_errors="ignore") as container:
                for frame in container.decode(container.streams.audio[0]):
                    for out in to_float.resample(frame):
                        yield out.to_ndarray().reshape(-1)
                for out in to_float.resample(None):
                    yield out.to_ndarray().reshape(-1)
        except (av.error.FFmpegError, ValueError, OSError):
            return  # a damaged end: keep what was decoded

    return AudioStream(path, int(rate), int(channels), decode)


def open_audio(path: str | Path) -> AudioStream:
    """Open any wav, flac, mp3 or ogg file at its own rate and channel count.

    Raises :class:`AudioError` with a one-line, actionable message on bad input.
    """
    path = Path(path)
    if not path.exists():
        raise AudioError(f"audio file not found: {path}")
    if path.is_dir():
        raise AudioError(f"{path} is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path} is empty (0 bytes): record the answer again or pick another file")
    stream = _soundfile_stream(path) or _av_stream(path)
    if stream is None:
        raise AudioError(f"{path} is not an audio file that can be read: use wav, flac, mp3 or ogg")
    return stream


def load_audio(path: str | Path) -> Audio:
    """The whole file as 16 kHz mono (for short files; long ones are better streamed)."""
    stream = open_audio(path)
    blocks = list(stream.blocks())
    samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
    del blocks
    if len(samples) == 0:
        raise AudioError(f"{stream.path} holds no audio (0 samples): record the answer again")
    return Audio(samples=samples, source_rate=stream.source_rate, source_channels=stream.source_channels)
