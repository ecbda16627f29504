"""Hedges, crutch words and openers from hand-made timelines."""

from __future__ import annotations

from helpers import timeline

from mock_interview.core.delivery.habits import find_habits
from mock_interview.core.report import build_report


def habits_of(text: str):
    return build_report(timeline(text), 60).habits


def hedges(text: str) -> list[str]:
    return [h.text for h in habits_of(text).hedges]


def test_just_softening_a_claim_is_a_hedge_but_just_in_time_is_not():
    assert hedges("I just think we should retrain weekly.") == ["i just think"]
    assert hedges("We just wanted a quick fix.") == ["just"]
    assert hedges("The fix landed just in time for the launch.") == []
    assert hedges("We shipped it just before the freeze and just now it paged.") == []


def test_i_think_with_an_object_or_asked_is_not_a_hedge():
    assert hedges("I think about drift every day.") == []
    assert hedges("What do I think matters most?") == []
    assert hedges("I think the cache was stale.") == ["i think"]


def test_maybe_in_a_quoted_question_is_someone_elses_word():
    assert hedges('My manager asked, "maybe we should roll back?" and I said no.') == []
    assert hedges("Maybe we should have rolled back sooner.") == ["maybe"]


def test_hedges_are_apart_from_fillers_and_counted_per_minute():
    report = build_report(timeline("Um, I guess it was, you know, probably the feature pipeline."), 30)
    assert [f.text for f in report.analysis.fillers] == ["um", "you know"]
    assert [h.text for h in report.habits.hedges] == ["i guess", "probably"]
    d = report.to_dict()
    assert d["filler_count"] == 2 and d["habits"]["hedge_count"] == 2
    assert d["habits"]["hedges_per_min"] > 0
    # "kind of" is a filler already: not a hedge as well.
    assert hedges("It was kind of slow.") == []


def test_crutch_words_are_the_habits_leaned_on_not_the_answers_subject():
    text = ("Honestly the pipeline was slow. Honestly we actually fixed the pipeline. "
            "The pipeline is fast now, honestly, and the model is actually good, in terms of latency. "
            "The model is actually cheaper in terms of cost. The model, the model, the model.")
    crutch = habits_of(text).crutch_words
    assert crutch == [("actually", 3), ("honestly", 3), ("in terms of", 2)]
    # The subject of the answer, said most of all, is no habit.
    assert all(word not in {"model", "pipeline", "the", "is"} for word, _ in crutch)


def test_a_crutch_word_said_twice_is_not_a_habit_nor_one_counted_as_a_filler_or_hedge():
    assert habits_of("It was actually fine. We actually shipped it.").crutch_words == []
    # "basically" is always a filler, "probably" a hedge: counted there, not again here.
    assert habits_of("Basically it broke. Basically we fixed it. Basically done. Probably fine, "
                     "probably, probably.").crutch_words == []


def test_openers_at_sentence_starts_only():
    h = habits_of("So, we retrained. Basically, the data moved. We did it so the alerts stopped. Well, that was it.")
    assert [o.text for o in h.openers] == ["so", "basically", "well"]
    assert h.opener_counts()[0] == ("so", 1)


def test_no_words_no_habits():
    h = find_habits([], [], [], 0.0)
    assert h.to_dict() == {"hedges": [], "hedge_count": 0, "hedges_per_min": 0.0, "crutch_words": [], "openers": []}
