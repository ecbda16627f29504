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


def test_a_stream_heard_piece_by_piece_is_heard_as_one_pass_over_it(speech_dir):
    """However the audio arrives, the stream's speech is what one pass over the whole hears, and
    not what a piece heard on its own hears (Silero's state runs from frame to frame)."""
    rng = np.random.default_rng(3)
    samples = np.concatenate([load_audio(p).samples for p in sorted(speech_dir.glob("*.wav"))[:4]])
    stream = vad.StreamVad()
    at = 0
    while at < len(samples):
        n = int(rng.integers(1, 3 * SAMPLE_RATE))
        stream.feed(samples[at : at + n])
        at += n
    whole = vad.speech_regions(samples, min_silence_ms=200, pad_ms=100)
    ours = stream.regions(0, len(samples), min_silence_ms=200, pad_ms=100)
    assert len(whole) > 10 and [(r.start, r.end) for r in ours] == [(r.start, r.end) for r in whole]
    # A window later in the stream, starting between frames: the whole pass's regions there.
    start = whole[len(whole) // 2].start - 0.37
    start_n = int(start * SAMPLE_RATE)
    later = stream.regions(start_n, start_n + 10 * SAMPLE_RATE, min_silence_ms=200, pad_ms=100)
    at = start_n / SAMPLE_RATE
    inside = [t for r in whole if start < r.start and r.end < start + 9.5 for t in (r.start - at, r.end - at)]
    ours_inside = [t for r in later if r.start > 0.0 and r.end < 9.5 for t in (r.start, r.end)]
    assert inside and ours_inside == pytest.approx(inside, abs=vad.FRAME / SAMPLE_RATE)
    # Heard on its own from there, the same audio is heard otherwise.
    first = vad.FRAME * (start_n // vad.FRAME + 1)
    alone = vad.speech_probabilities(samples[first:])[:200]
    assert np.abs(alone - vad.speech_probabilities(samples)[first // vad.FRAME :][:200]).max() > 0.05


def test_regions_united_merge_what_overlaps():
    a = [vad.Region(0.0, 1.0), vad.Region(3.0, 4.0)]
    b = [vad.Region(0.5, 2.0), vad.Region(5.0, 6.0), vad.Region(3.5, 3.8)]
    assert vad.united(a, b) == [vad.Region(0.0, 2.0), vad.Region(3.0, 4.0), vad.Region(5.0, 6.0)]
    assert vad.united([], []) == []


def test_a_stream_nobody_asks_about_holds_at_most_a_minute_of_audio():
    stream = vad.StreamVad()
    piece = np.zeros(SAMPLE_RATE, dtype=np.float32)
    for _ in range(200):  # 200 s of a file whose coverage is not checked
        stream.feed(piece)
    held = sum(len(a) for a in stream._unheard)
    assert held <= (vad.UNHEARD_MAX_S + 1) * SAMPLE_RATE
    assert stream.regions(0, 200 * SAMPLE_RATE) == []  # silence, heard in full all the same
