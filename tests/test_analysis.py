"""Timing, pauses, pace and bursts from hand-made word timelines."""

import pytest

from mock_interview.core.delivery.analysis import AnalysisOptions, analyze_words, find_bursts, mark_fillers
from mock_interview.core.speech.words import Word
from helpers import timeline


def test_long_pause_is_found_in_place():
    words = timeline("we saw drift then we retrained", gaps={2: 2.5})
    a = analyze_words(words, duration_s=10)
    assert len(a.pauses) == 1
    p = a.pauses[0]
    assert p.after == 2  # after "drift"
    assert p.duration == pytest.approx(2.56, abs=0.01)


def test_pause_just_under_threshold_is_not_long():
    words = timeline("we saw drift then", gaps={1: 1.7})
    assert analyze_words(words, 10).pauses == []


def test_pause_threshold_is_configurable():
    words = timeline("we saw drift then", gaps={1: 1.7})
    assert len(analyze_words(words, 10, options=AnalysisOptions(pause_s=1.0)).pauses) == 1


def test_timing_first_word_and_speaking_time():
    words = [Word("Hello", 3.0, 3.4), Word("there.", 3.5, 4.0), Word("Done.", 63.0, 63.5)]
    a = analyze_words(words, duration_s=70.0, guideline_s=60)
    assert a.first_word_s == 3.0
    assert a.speaking_s == 60.5
    assert a.duration_s == 70.0
    assert a.guideline_s == 60
    assert a.over_guideline is True


def test_default_guideline_is_three_minutes():
    a = analyze_words(timeline("short answer"), 5)
    assert a.guideline_s == 180
    assert a.over_guideline is False


def test_wpm_counts_words_over_speaking_time_without_fillers():
    # 30 words, one every 0.5 s, 3 of them "um": 27 content words over ~14.9 s.
    text = " ".join(["um" if i % 10 == 0 else "word" for i in range(30)])
    words = timeline(text, start=0.0, step=0.5)
    a = analyze_words(words, 20)
    assert a.speaking_s == pytest.approx(14.9)
    assert a.wpm == pytest.approx(27 * 60 / 14.9, abs=0.1)
    assert a.fillers_per_min == pytest.approx(3 * 60 / 14.9, abs=0.1)


def test_pace_per_30_second_window():
    # 60 words in the first 30 s (two a second), then 15 in the next 30 s.
    words = [Word("fast", i * 0.5, i * 0.5 + 0.4) for i in range(60)]
    words += [Word("slow", 30 + i * 2.0, 30 + i * 2.0 + 0.4) for i in range(15)]
    a = analyze_words(words, 60)
    # The last window is partial: 15 words over 28.4 s.
    assert [round(w.wpm, 1) for w in a.pace] == [120.0, round(15 * 60 / 28.4, 1)]
    assert a.pace[0].start == 0.0 and a.pace[0].end == 30.0


def test_bursts_three_fillers_within_ten_seconds():
    words = timeline("um so uh we er did it and then much later um", start=0, step=1.0, gaps={8: 20})
    _, fillers = mark_fillers(words)
    bursts = find_bursts(fillers)
    assert len(bursts) == 1
    assert bursts[0].count == 3
    assert bursts[0].start == 0.0


def test_fillers_spread_out_are_no_burst():
    words = timeline("um a b c d e f g h i j k uh l m n o p q r s t u v er", start=0, step=1.0)
    assert analyze_words(words, 30).bursts == []


def test_empty_take():
    a = analyze_words([], duration_s=10)
    assert a.transcript == ""
    assert a.fillers == [] and a.pauses == []
    assert a.first_word_s is None and a.speaking_s == 0 and a.wpm == 0


def test_sentences_split_at_punctuation_and_gaps():
    words = timeline("We retrain weekly. Then we deploy it", gaps={5: 1.5})
    a = analyze_words(words, 10)
    assert [s.text for s in a.sentences] == ["We retrain weekly.", "Then we deploy", "it"]
