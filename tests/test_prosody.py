"""Prosody on synthesized tones (the truth is known) and on recorded speech."""

from __future__ import annotations

import numpy as np
import pytest

from mock_interview.core.delivery import prosody as P
from mock_interview.core.report import build_report
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio
from mock_interview.core.speech.words import Word

RATE = SAMPLE_RATE


def voice(f0: np.ndarray, amp: np.ndarray | float = 0.3) -> np.ndarray:
    """A buzz with harmonics following the pitch track ``f0`` (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 6))
    return (amp * wave / 2).astype(np.float32)


def steady(hz: float, seconds: float) -> np.ndarray:
    return np.full(int(seconds * RATE), hz)


def glide(a: float, b: float, seconds: float) -> np.ndarray:
    return np.geomspace(a, b, int(seconds * RATE))


def words_over(start: float, end: float, n: int, text: str = "word") -> list[Word]:
    step = (end - start) / n
    return [Word(f" {text}{'.' if i == n - 1 else ''}", round(start + i * step, 3), round(start + (i + 1) * step, 3))
            for i in range(n)]


def test_a_flat_tone_is_flat_and_a_glide_is_not():
    flat = P.contour_of(voice(steady(150, 3)))
    lv = P.levels(flat.pitch, flat.intensity)
    assert lv.pitch_median_hz == pytest.approx(150, rel=0.02)
    assert lv.pitch_range_st < 0.5
    wide = P.contour_of(voice(glide(110, 220, 3)))
    lw = P.levels(wide.pitch, wide.intensity)
    assert 8.0 < lw.pitch_range_st < 12.0  # an octave, 10th to 90th percentile: about 9.6 semitones
    assert P.measure_prosody(flat, [], []).flat is True
    assert P.measure_prosody(wide, [], []).flat is False


def test_an_ending_that_rises_is_heard_and_one_that_falls_is_not():
    rise = voice(np.concatenate([steady(140, 1.5), glide(140, 200, 0.5)]))
    fall = voice(np.concatenate([steady(140, 1.5), glide(140, 100, 0.5)]))
    words = words_over(0.0, 2.0, 5)
    for audio, rising in ((rise, True), (fall, False)):
        report = build_report(words, 2.0, contour=P.contour_of(audio))
        assert bool(report.prosody.rising_statements) is rising
        assert report.prosody.trailing_off == []
    # A question is expected to rise: not reported.
    question = words[:-1] + [Word(" word?", words[-1].start, words[-1].end)]
    assert build_report(question, 2.0, contour=P.contour_of(rise)).prosody.rising_statements == []


def test_a_last_word_much_quieter_trails_off():
    amp = np.full(int(2.5 * RATE), 0.3)
    amp[int(2.0 * RATE):] = 0.3 * 10 ** (-20 / 20)  # the last half second 20 dB down
    words = words_over(0.0, 2.5, 5)
    quiet = build_report(words, 2.5, contour=P.contour_of(voice(steady(120, 2.5), amp))).prosody
    even = build_report(words, 2.5, contour=P.contour_of(voice(steady(120, 2.5)))).prosody
    assert [round(t.start, 1) for t in quiet.trailing_off] == [2.0]
    assert quiet.trailing_off[0].amount == pytest.approx(20, abs=3)
    assert even.trailing_off == []


def test_silence_gives_null_values_not_errors():
    for audio in (np.zeros(RATE * 2, np.float32), np.zeros(0, np.float32),
                  np.random.default_rng(0).normal(0, 0.01, RATE).astype(np.float32)):
        d = build_report([], len(audio) / RATE, contour=P.contour_of(audio)).to_dict()["prosody"]
        assert d["pitch_median_hz"] is None and d["pitch_range_st"] is None
        assert d["intensity_db"] is None and d["flat"] is None
        assert d["windows"] == [] and d["trailing_off"] == [] and d["rising_statements"] == []
        assert P.observations(d) == ["no voiced speech to measure pitch or loudness"]
    assert build_report([], 1.0).to_dict()["prosody"] is None  # words alone: no audio to measure


def test_windows_of_thirty_seconds_and_a_track_per_second():
    audio = voice(np.concatenate([steady(120, 30), glide(120, 240, 30), steady(240, 5)]))
    words = words_over(0.0, 65.0, 100)
    p = build_report(words, 65.0, contour=P.contour_of(audio)).prosody
    assert [(w.start, w.end) for w in p.windows] == [(0.0, 30.0), (30.0, 60.0), (60.0, 65.0)]
    first, second, third = (w.levels for w in p.windows)
    assert first.pitch_range_st < 0.5 and second.pitch_range_st > 8 and third.pitch_median_hz == pytest.approx(240, rel=0.02)
    assert len(p.pitch_track) == 65 and p.pitch_track[0] == pytest.approx(120, rel=0.02)


def test_live_measurement_in_pieces_equals_the_whole_file():
    audio = voice(glide(100, 200, 12))
    whole = P.contour_of(audio)
    live = P.LiveProsody()
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
    pieces = live.finish()
    assert len(whole.pitch) == len(pieces.pitch) == 1200
    np.testing.assert_array_equal(whole.pitch, pieces.pitch)
    np.testing.assert_array_equal(whole.intensity, pieces.intensity)


def test_recorded_speech_is_not_flat(speech_dir):
    for name in ("mfa_acoustic_corpus.wav", "jfk.flac", "asterisk_allison_demo_instruct.wav"):
        audio = load_audio(speech_dir / name).samples
        d = build_report([], len(audio) / RATE, contour=P.contour_of(audio)).to_dict()["prosody"]
        assert P.TYPICAL_RANGE_ST[0] <= d["pitch_range_st"] <= 15, name
        assert d["flat"] is False
        assert 60 < d["pitch_median_hz"] < 300 and d["intensity_range_db"] > 3
        assert P.observations(d)[0].startswith(f"pitch range {d['pitch_range_st']:.1f} semitones: ")


def test_a_live_take_measures_its_voice_while_recording(tmp_path):
    """Second by second through the take session: the same contour as the whole recording."""
    from fakes import FakeRecorder, FakeTranscriber, voiced_audio
    from mock_interview.core.session import TakeSession

    audio = voiced_audio()
    session = TakeSession(FakeRecorder(audio=audio), FakeTranscriber(audio=audio), None, tmp_path / "take.wav")
    session.start()
    for _ in range(16):
        session.poll()
    finished = session.stop()
    p = finished.report.prosody
    a = finished.report.analysis
    expected = P.measure_prosody(P.contour_of(audio), a.words, [(s.first, s.last) for s in a.sentences])
    assert p.levels == expected.levels and p.pitch_track == expected.pitch_track
    assert p.levels.pitch_range_st > P.FLAT_RANGE_ST and len(p.pitch_track) == round(a.speaking_s + 0.499)


def test_an_abandoned_take_stops_measuring(tmp_path):
    from fakes import FakeRecorder, FakeTranscriber
    from mock_interview.core.session import TakeSession

    session = TakeSession(FakeRecorder(), FakeTranscriber(), None, tmp_path / "take.wav")
    session.start()
    session.poll()
    session.abandon()
    session.prosody._thread.join(timeout=5)
    assert not session.prosody._thread.is_alive()
