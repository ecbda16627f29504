"""The VAD: faster-whisper's Silero speech regions, the model run once per piece of audio."""

import numpy as np
import pytest
from faster_whisper.vad import VadOptions, get_speech_timestamps

from mock_interview.core.speech import vad
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio
from mock_interview.core.speech.vad import Region, speech_regions

SETTINGS = [(0.5, 300, 200), (0.5, 200, 100), (0.35, 100, 30), (0.6, 1000, 0)]
"""(threshold, min_silence_ms, pad_ms): the transcriber's gate, the chunker's, and others."""


def library_regions(samples, threshold, min_silence_ms, pad_ms):
    options = VadOptions(threshold=threshold, min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms)
    return [Region(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in get_speech_timestamps(samples, options)]


def recordings(speech_dir):
    return sorted(p for p in [*speech_dir.glob("*.*"), *speech_dir.glob("clips/*.*")] if p.suffix in {".wav", ".flac"})


def test_regions_are_faster_whispers_on_every_real_recording(speech_dir):
    paths = recordings(speech_dir)
    assert len(paths) >= 10
    checked = 0
    for path in paths:
        samples = load_audio(path).samples
        # The whole recording, a piece cut mid-speech, and a short one: how a take is heard.
        third = len(samples) // 3
        for piece in (samples, samples[third : third + 7 * SAMPLE_RATE], samples[: 2 * SAMPLE_RATE]):
            for setting in SETTINGS:
                assert speech_regions(piece, *setting) == library_regions(piece, *setting), (path.name, setting)
                checked += 1
    assert checked >= 10 * 3 * len(SETTINGS)


def test_the_model_runs_once_per_piece_however_often_it_is_asked(speech_dir, monkeypatch):
    samples = load_audio(speech_dir / "mfa_acoustic_corpus.wav").samples
    runs = []
    from faster_whisper import vad as fw_vad

    real = fw_vad.get_vad_model()

    def counting(audio):
        runs.append(len(audio))
        return real(audio)

    monkeypatch.setattr(fw_vad, "get_vad_model", lambda: counting)
    vad._probabilities.clear()
    first = speech_regions(samples)
    assert speech_regions(samples, pad_ms=100, min_silence_ms=200)  # other settings: the same run
    assert speech_regions(samples.copy()) == first  # same audio, another array
    assert len(runs) == 1
    speech_regions(samples[: 5 * SAMPLE_RATE])  # other audio runs the model
    assert len(runs) == 2


def test_silence_and_a_blip_have_no_speech():
    assert speech_regions(np.zeros(3 * SAMPLE_RATE, dtype=np.float32)) == []
    assert speech_regions(np.zeros(SAMPLE_RATE // 20, dtype=np.float32)) == []
