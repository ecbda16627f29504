"""Audio a user might hand in: odd rates and channel counts, truncated, clipped, very long."""

import json
import subprocess
import sys

import numpy as np
import pytest
import soundfile

from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio
from mock_interview.core.errors import AudioError


def tone(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.3 * np.sin(2 * np.pi * 440 * t)
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


@pytest.mark.parametrize("rate,channels", [(8000, 1), (11025, 2), (22050, 1), (44100, 2), (96000, 6)])
def test_any_rate_and_channel_count_becomes_16k_mono_of_the_same_length(tmp_path, rate, channels):
    path = tmp_path / f"a{rate}x{channels}.wav"
    soundfile.write(path, tone(3.0, rate, channels), rate)
    audio = load_audio(path)
    assert (audio.source_rate, audio.source_channels) == (rate, channels)
    assert audio.samples.ndim == 1 and audio.samples.dtype == np.float32
    assert audio.duration_s == pytest.approx(3.0, abs=0.01)


def test_resampling_does_not_alias(tmp_path):
    """A 12 kHz tone at 48 kHz is above 16 kHz's Nyquist: it must vanish, not fold down to 4 kHz."""
    rate = 48_000
    t = np.arange(rate * 2) / rate
    path = tmp_path / "high.wav"
    soundfile.write(path, (0.5 * np.sin(2 * np.pi * 12_000 * t)).astype(np.float32), rate)
    out = load_audio(path).samples
    assert np.sqrt(np.mean(out[SAMPLE_RATE // 4 : -SAMPLE_RATE // 4] ** 2)) < 0.005


def test_truncated_wav_gives_what_is_there(tmp_path):
    path = tmp_path / "cut.wav"
    soundfile.write(path, tone(4.0, 16000), 16000, subtype="PCM_16")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy that stopped half way
    audio = load_audio(path)
    assert 1.8 < audio.duration_s < 2.1


def test_a_file_cut_inside_its_header_is_reported(tmp_path):
    path = tmp_path / "stub.wav"
    soundfile.write(path, tone(1.0, 16000), 16000)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(AudioError, match="not an audio file"):
        load_audio(path)


def test_clipped_and_out_of_range_samples_are_clamped(tmp_path):
    path = tmp_path / "loud.wav"
    loud = tone(1.0, 16000) * 10  # float WAV: values far beyond full scale
    loud[100] = np.nan
    soundfile.write(path, loud, 16000, subtype="FLOAT")
    samples = load_audio(path).samples
    assert np.isfinite(samples).all() and np.abs(samples).max() <= 1.0


def test_half_an_hour_stays_within_bounded_memory(tmp_path):
    """30 minutes of 48 kHz stereo (about 700 MB as float32) is read block by block."""
    path = tmp_path / "long.flac"
    rate = 48_000
    rng = np.random.default_rng(3)
    with soundfile.SoundFile(path, "w", samplerate=rate, channels=2, format="FLAC") as f:
        for _ in range(30):
            f.write((rng.standard_normal((rate * 60, 2)) * 0.01).astype(np.float32))
    code = (
        "import resource, sys, json\n"
        "from mock_interview.cli import main\n"
        "rc = main(['analyze', sys.argv[1], '--json'])\n"
        "print(json.dumps({'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["duration_s"] == pytest.approx(1800, abs=0.1)
    assert report["words"] == []  # quiet noise: no invented words
    rss = json.loads(out.stderr.strip().splitlines()[-1])["rss_mb"]
    assert rss < 400, f"peak memory {rss:.0f} MB"  # reading it whole takes about 690 MB
