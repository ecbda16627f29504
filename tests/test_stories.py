"""The user's stories: checking the form, hearing the talking points, the diff with the last take."""

import pytest

from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.judge.stories import (
    StoryError,
    compare_points,
    cover_points,
    make_story,
    parse_points,
    parse_target,
    point_phrasings,
)
from helpers import timeline

POINTS = (
    "stale embedding table",
    "rolled back the table and added a freshness check",
    "click rate recovered in two hours",
    "no alerts on the inputs",
    "monitor inputs + not just the service | really",
)

TAKE_1 = (
    "Last year the click rate on our search page dropped. "
    "I traced it to an embedding table that had gone stale. "
    "I rolled the table back and I added a check for freshness. "
    "We had no alerts on the inputs."
)
TAKE_2 = (
    "Last year the click rate on our search page dropped. "
    "I rolled the table back. "
    "The click rate recovered within 2 hours. "
    "We had no alerts on the inputs."
)


def story(points=POINTS, **kw):
    return make_story("Stale embeddings", ["mlops:model-underperformed"], points, **kw)


def coverage(text, s=None):
    return cover_points(s or story(), split_sentences(timeline(text)))


def test_the_form_is_checked_with_one_line_per_problem():
    with pytest.raises(StoryError, match="title"):
        make_story("  ", ["mlops:drift"], ["a point"])
    with pytest.raises(StoryError, match="at least one question"):
        make_story("Drift", [], ["a point"])
    with pytest.raises(StoryError, match="at least one talking point"):
        make_story("Drift", ["mlops:drift"], ["", "  "])
    with pytest.raises(StoryError, match="talking point 2 .* no words"):
        make_story("Drift", ["mlops:drift"], ["psi alerts", "+ | …"])


def test_target_length_in_seconds_or_minutes():
    assert story().target_s == 180
    assert parse_target("2:30") == 150 and parse_target("90") == 90 and parse_target(240) == 240
    for bad in ("soon", "0:10", "20:00"):
        with pytest.raises(StoryError, match="target length"):
            parse_target(bad)


def test_points_one_per_line_with_bullets_dropped():
    assert parse_points("- first point\n\n  * second\n• third  \n") == ("first point", "second", "third")


def test_signs_of_the_phrasing_language_are_plain_text_in_a_point():
    phrasings = point_phrasings("monitor inputs + not just the service | really")
    assert phrasings == ("monitor inputs not just the service really",)  # says "not": only the whole point
    assert point_phrasings("rolled back the table and added a freshness check")[1] == "rolled + table + added + freshness"


def test_talking_points_are_heard_in_other_words_and_order():
    c = coverage(TAKE_1)
    covered = {p.point: p.covered for p in c.points}
    assert covered == {
        "stale embedding table": True,  # "an embedding table that had gone stale"
        "rolled back the table and added a freshness check": True,
        "click rate recovered in two hours": False,
        "no alerts on the inputs": True,
        "monitor inputs + not just the service | really": False,
    }
    assert c.covered == 3
    d = c.to_dict()
    assert (d["covered"], d["total"], d["title"]) == (3, 5, "Stale embeddings")
    assert d["points"][0]["evidence"].startswith("I traced it")


def test_a_negated_point_is_not_heard_from_its_opposite():
    c = coverage("We had alerts on the inputs.", story(points=("no alerts on the inputs",)))
    assert not c.points[0].covered


def test_points_that_appeared_or_disappeared_since_the_previous_take():
    first = coverage(TAKE_1)
    second = coverage(TAKE_2)
    diff = compare_points(second, first.to_dict())
    assert diff.appeared == ("click rate recovered in two hours",)
    assert diff.disappeared == ("stale embedding table", "rolled back the table and added a freshness check")
    assert diff.kept == ("no alerts on the inputs",)
    assert diff.changed
    assert compare_points(second, None) is None


def test_a_point_added_since_the_previous_take_is_neither_new_nor_lost():
    before = coverage(TAKE_1).to_dict()
    edited = story(points=POINTS + ("wrote a postmortem",))
    diff = compare_points(coverage(TAKE_1, edited), before)
    assert not diff.changed and "wrote a postmortem" not in diff.still_missing
