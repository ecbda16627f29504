"""Comparing two takes, and the progress series: stored takes in, verdicts and numbers out."""

from __future__ import annotations

from dataclasses import replace

from mock_interview.core.judge.compare import BETTER, SAME, WORSE, compare_takes, previous_take, rubric_changes
from mock_interview.core.player import next_jump, spoken_at
from mock_interview.core.store.progress import FILLERS_TARGET_PER_MIN, PACE_TARGET_WPM, pace_verdict, progress
from mock_interview.core.store.storage import Take

BASE = Take(
    id=1, question_id="drift", bank="mlops", question_text="What is model drift?", number=1,
    created_at="2025-03-01T10:00:00+00:00", audio_path=None, duration_s=150.0, speaking_s=140.0,
    guideline_s=120.0, wpm=175.0, filler_count=10, fillers_per_min=4.3, rubric_covered=2, rubric_total=4,
    transcript="",
)


def take(**changes) -> Take:
    return replace(BASE, **changes)


def report(covered: dict[str, bool], pauses: int = 0) -> dict:
    return {
        "rubric": [{"id": i, "point": f"Point {i}", "covered": c} for i, c in covered.items()],
        "pauses": [{"start": 1.0, "duration_s": 2.5, "after_word": 0}] * pauses,
    }


def test_a_tighter_calmer_take_is_better_on_every_count():
    before = take()
    after = take(id=2, number=2, created_at="2025-03-02T10:00:00+00:00", speaking_s=115.0, wpm=150.0,
                 filler_count=3, fillers_per_min=1.5, rubric_covered=3)
    c = compare_takes(before, after, report({"a": True, "b": True, "c": False, "d": False}, pauses=2),
                      report({"a": True, "b": False, "c": True, "d": True}, pauses=1))
    assert {ch.name: ch.verdict for ch in c.changes} == {
        "Speaking time": BETTER, "Pace": BETTER, "Fillers per minute": BETTER, "Fillers": BETTER,
        "Long pauses": BETTER, "Rubric points": BETTER,
    }
    assert c.change("Speaking time").delta == -25.0
    assert c.gained == ["Point c", "Point d"]
    assert c.lost == ["Point b"]
    assert c.kept == ["Point a"] and c.missed == []


def test_speaking_time_is_judged_against_the_guideline_not_by_length():
    within = take(speaking_s=100.0)
    shorter = take(id=2, speaking_s=60.0)
    over = take(id=3, speaking_s=130.0)
    empty = report({})
    assert compare_takes(within, shorter, empty, empty).change("Speaking time").verdict == SAME
    assert compare_takes(within, over, empty, empty).change("Speaking time").verdict == WORSE
    assert compare_takes(over, within, empty, empty).change("Speaking time").verdict == BETTER


def test_pace_is_better_nearer_the_target_band_from_either_side():
    low, high = PACE_TARGET_WPM
    empty = report({})
    slow, good, fast = take(wpm=low - 30), take(id=2, wpm=(low + high) / 2), take(id=3, wpm=high + 40)
    assert compare_takes(slow, good, empty, empty).change("Pace").verdict == BETTER
    assert compare_takes(good, fast, empty, empty).change("Pace").verdict == WORSE
    assert compare_takes(good, take(id=4, wpm=low + 1), empty, empty).change("Pace").verdict == SAME
    assert pace_verdict(low - 1) == "slow" and pace_verdict(high + 1) == "fast" and pace_verdict(low) == "good"


def test_rubric_points_are_matched_by_id_even_when_the_bank_changed():
    changes = rubric_changes(report({"a": True, "gone": True}), report({"new": True, "a": False}))
    assert [(p.id, p.status) for p in changes] == [("new", "gained"), ("a", "lost"), ("gone", "lost")]


def test_previous_take_is_the_one_just_before_of_the_same_question():
    t1 = take(id=1, created_at="2025-03-01T10:00:00+00:00")
    t2 = take(id=5, number=2, created_at="2025-03-02T10:00:00+00:00")
    other = take(id=6, question_id="ci-cd", created_at="2025-03-02T11:00:00+00:00")
    t3 = take(id=7, number=3, created_at="2025-03-03T10:00:00+00:00")
    takes = [t3, other, t2, t1]
    assert previous_take(t3, takes) == t2
    assert previous_take(t2, takes) == t1
    assert previous_take(t1, takes) is None
    assert previous_take(other, takes) is None


def test_progress_is_oldest_first_with_the_guideline_and_bands():
    t1 = take(id=1, created_at="2025-03-01T10:00:00+00:00", fillers_per_min=6.0, rubric_covered=1)
    t2 = take(id=2, created_at="2025-03-02T10:00:00+00:00", fillers_per_min=2.0, rubric_covered=4)
    p = progress([t2, t1])
    assert [t.id for t in p.takes] == [1, 2]
    assert p.speaking.guideline == 120.0 and p.speaking.unit == "s"
    assert p.fillers.values == [6.0, 2.0] and p.fillers.band == (None, FILLERS_TARGET_PER_MIN)
    assert [p.fillers.on_target(v) for v in p.fillers.values] == [False, True]
    assert p.pace.band == PACE_TARGET_WPM
    assert p.rubric.values == [25.0, 100.0] and p.rubric.on_target(100.0)
    assert p.speaking.x == [1, 2]


def test_progress_leaves_out_a_take_in_which_no_speech_was_heard():
    t1 = take(id=1, created_at="2025-03-01T10:00:00+00:00", wpm=150.0, transcript="we rolled back")
    muted = take(id=2, created_at="2025-03-02T10:00:00+00:00", speaking_s=0.0, wpm=0.0, fillers_per_min=0.0,
                 rubric_covered=0, transcript="")
    t3 = take(id=3, created_at="2025-03-03T10:00:00+00:00", wpm=140.0, transcript="we rolled back")
    p = progress([t3, muted, t1])
    assert [t.id for t in p.takes] == [1, 3] and p.silent == 1
    assert p.pace.values == [150.0, 140.0], "no fall to 0 words a minute"
    assert progress([t1]).silent == 0


def test_overall_progress_of_questions_with_different_guidelines_is_in_shares():
    short = take(id=1, guideline_s=120.0, speaking_s=60.0)
    long = take(id=2, question_id="failure", guideline_s=180.0, speaking_s=270.0, created_at="2025-03-02T10:00:00+00:00")
    s = progress([short, long]).speaking
    assert s.unit == "% of guideline" and s.values == [50.0, 150.0] and s.guideline == 100.0
    assert not s.on_target(150.0)


def test_the_word_being_heard_and_the_next_jump():
    starts, ends = [0.5, 0.8, 4.0], [0.7, 1.0, 4.2]
    pauses = {1: 3.0}
    assert spoken_at(starts, ends, pauses, 0.1) is None
    assert spoken_at(starts, ends, pauses, 0.3) == ("word", 0), "a word lights up just before it is heard"
    assert spoken_at(starts, ends, pauses, 0.6) == ("word", 1)
    assert spoken_at(starts, ends, pauses, 0.8) == ("pause", 1), "the pause lights up as the word before it ends"
    assert spoken_at(starts, ends, pauses, 2.0) == ("pause", 1)
    assert spoken_at(starts, ends, pauses, 3.8) == ("word", 2)
    assert spoken_at(starts, ends, pauses, 9.0) is None
    fillers = [3.0, 8.0]
    assert next_jump(fillers, 0.0) == 2.7, "a moment before, to hear it start"
    assert spoken_at([1.0, 3.0], [1.2, 3.2], {0: 1.8}, 2.7) == ("word", 1), "and a jump lights up what it jumped to"
    assert next_jump(fillers, 2.7) == 7.7, "from a jump, the next one"
    assert next_jump(fillers, 7.7) is None
