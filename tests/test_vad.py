"""The VAD's regions are faster-whisper's, computed once per piece of audio however often it is asked."""

import numpy as np
import pytest

from mock_interview.core.speech import vad
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio

SETTINGS = [(0.5, 300, 200), (0.5, 200, 100), (0.3, 100, 0), (0.7, 500, 30)]
"""The decode's gate, the chunker's cut, and two more that exercise the padding and the thresholds."""


def _pieces(speech_dir):
    """Real recordings, whole and cut at places that are not whole frames, with and without silence
    around them: what the stream hands the VAD."""
    rng = np.random.default_rng(7)
    for path in sorted(speech_dir.glob("*.wav")) + sorted((speech_dir / "clips").glob("*.flac"))[:6]:
        samples = load_audio(path).samples
        yield path.name, samples
        a = int(rng.integers(0, len(samples) // 3))
        b = a + int(rng.integers(SAMPLE_RATE // 5, max(SAMPLE_RATE // 5 + 1, len(samples) - a)))
        yield f"{path.name}[{a}:{b}]", samples[a:b]
        gap = np.zeros(int(0.7 * SAMPLE_RATE) + 37, dtype=np.float32)
        yield f"{path.name} padded", np.concatenate([gap, samples[a:b], gap])


def test_regions_are_faster_whispers_on_real_speech(speech_dir):
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    checked = 0
    for name, samples in _pieces(speech_dir):
        for threshold, silence_ms, pad_ms in SETTINGS:
            theirs = get_speech_timestamps(
                samples.astype(np.float32),
                VadOptions(threshold=threshold, min_silence_duration_ms=silence_ms, speech_pad_ms=pad_ms),
            )
            ours = vad.speech_regions(samples, threshold=threshold, min_silence_ms=silence_ms, pad_ms=pad_ms)
            assert [(r.start, r.end) for r in ours] == [
                (s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in theirs
            ], (name, threshold, silence_ms, pad_ms)
            checked += bool(theirs)
    assert checked > 20


def test_the_same_audio_is_heard_once(speech_dir, monkeypatch):
    samples = load_audio(speech_dir / "jfk.flac").samples
    vad._probs.clear()
    vad.speech_regions(samples[: 3 * SAMPLE_RATE])  # the model loaded before counting
    calls = []
    from faster_whisper.vad import get_vad_model

    model = get_vad_model()
    monkeypatch.setattr("faster_whisper.vad.get_vad_model", lambda: lambda audio: calls.append(len(audio)) or model(audio))
    first = vad.speech_regions(samples, min_silence_ms=300, pad_ms=200)
    other = vad.speech_regions(samples.copy(), min_silence_ms=200, pad_ms=100)
    assert len(calls) == 1 and first and other and first != other
    vad.speech_regions(samples[1:])  # other audio is heard anew
    assert len(calls) == 2


@pytest.mark.parametrize("n", [0, 100, SAMPLE_RATE // 10 - 1])
def test_too_short_to_hear(n):
    assert vad.speech_regions(np.ones(n, dtype=np.float32)) == []
