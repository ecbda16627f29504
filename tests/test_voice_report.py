"""Prosody and habits wherever the report goes: text report, Markdown export, progress."""

from __future__ import annotations

from dataclasses import replace

from fakes import voiced_audio
from helpers import timeline
from mock_interview.core.delivery.prosody import TYPICAL_RANGE_ST, contour_of
from mock_interview.core.report import build_report
from mock_interview.core.store.export import take_markdown
from mock_interview.core.store.progress import progress
from mock_interview.core.textreport import format_report

TEXT = "So, I just think the pipeline was really slow. Maybe the pipeline was really slow. Honestly the pipeline was really slow."


def voiced_report(swing_st: float = 3.0):
    words = timeline(TEXT)
    return build_report(words, 16.0, contour=contour_of(voiced_audio(words, swing_st=swing_st)))


def test_text_report_says_what_was_measured_with_numbers():
    report = voiced_report()
    text = format_report(report)
    rng = report.prosody.levels.pitch_range_st
    assert f"Voice           pitch range {rng:.1f} semitones: " in text
    assert "most speakers vary 4 to 10" in text
    assert "Habits          2 hedges" in text and "“i just think” ×1" in text and "“maybe” ×1" in text
    assert "said most: “really” ×3" in text and "pipeline" not in text.split("said most")[1].split("\n")[0]
    assert "sentences opened with “so” ×1" in text
    # A report made from words alone (no audio): no Voice line, the habits still.
    words_only = format_report(build_report(timeline(TEXT), 16.0))
    assert "Voice" not in words_only and "Habits" in words_only


def test_markdown_export_has_voice_and_habits():
    report = voiced_report()
    from test_compare import BASE

    md = take_markdown(BASE, report.to_dict())
    assert "## Voice and habits" in md
    assert f"- **Voice**: pitch range {report.prosody.levels.pitch_range_st:.1f} semitones" in md
    assert "- **Habits**: 2 hedges" in md


def test_progress_reads_pitch_range_and_hedges_from_saved_reports():
    from test_compare import BASE

    takes = [replace(BASE, id=i, created_at=f"2025-03-0{i}T10:00:00+00:00") for i in (1, 2, 3)]
    flat, lively = voiced_report(0.3).to_dict(), voiced_report(4.0).to_dict()
    old = build_report(timeline(TEXT), 16.0).to_dict()
    old.pop("prosody"), old.pop("habits")  # saved before these existed
    p = progress(takes, {1: flat, 2: old, 3: lively})
    assert p.pitch.x == [1, 3] and p.pitch.values[0] < 2 < TYPICAL_RANGE_ST[0] < p.pitch.values[1]
    assert p.pitch.band == TYPICAL_RANGE_ST
    assert p.hedges.x == [1, 3] and p.hedges.values == [flat["habits"]["hedges_per_min"]] * 2
    assert progress(takes).pitch.values == []  # no reports: nothing drawn, nothing invented


def test_text_report_of_a_recording_without_speech_says_so_first():
    from mock_interview.core.speech.vad import Region
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.store.banks import load_banks

    incident = find_question(load_banks(), "incident")
    silent = format_report(build_report([], 5.0, incident))
    assert silent.splitlines()[2] == "No speech heard: the recording is silent or holds no voice, so nothing below is about an answer."
    assert "No speech heard" not in format_report(build_report(timeline(TEXT), 16.0, incident))
    # Speech heard but not transcribed is something heard: the report marks it, not "no speech".
    bare = build_report([], 5.0, incident, uncovered=[Region(1.0, 3.0)])
    assert "No speech heard" not in format_report(bare) and "[not transcribed" in format_report(bare)


def test_json_and_markdown_of_a_recording_without_speech_say_so():
    from test_compare import BASE

    silent = build_report([], 5.0).to_dict()
    assert silent["heard_nothing"] is True
    assert build_report(timeline(TEXT), 16.0).to_dict()["heard_nothing"] is False
    md = take_markdown(BASE, silent)
    assert "**No speech heard: the recording is silent or holds no voice" in md.splitlines()[4]
    assert "No speech heard" not in take_markdown(BASE, voiced_report().to_dict())
