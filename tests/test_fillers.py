"""The filler rules: hesitations always, discourse fillers by context."""

import pytest

from mock_interview.core.delivery.analysis import mark_fillers
from helpers import timeline


def fillers_in(text: str, gaps=None) -> list[str]:
    _, fillers = mark_fillers(timeline(text, gaps=gaps))
    return [f.text for f in fillers]


@pytest.mark.parametrize("word", ["um", "Um,", "umm", "uh", "Uhh...", "er", "erm", "ah", "hm", "Hmm,", "mmm", "uhm"])
def test_hesitations_are_fillers(word):
    assert fillers_in(f"so {word} we shipped it") == [word.strip(",.").lower().rstrip(".")]


@pytest.mark.parametrize(
    "text",
    [
        "I like Python for this",
        "I would like to talk about drift",
        "I'd like to add one thing",
        "a model like BERT works well",
        "it looks like the cache was cold",
        "we like to keep alerts few",
    ],
)
def test_like_as_verb_or_preposition_is_not_a_filler(text):
    assert fillers_in(text) == []


@pytest.mark.parametrize(
    "text",
    ["it was, like, three weeks of work", "Like, we had no rollback at all", "we used, like, Kafka and Redis"],
)
def test_like_set_off_by_commas_is_a_filler(text):
    assert fillers_in(text) == ["like"]


def test_like_after_a_pause_is_a_filler():
    # "the model was [0.6 s] like broken": the pause sets it off as a comma would.
    assert fillers_in("the model was like broken", gaps={2: 0.6}) == ["like"]


@pytest.mark.parametrize("text", ["a kind of model", "what kind of drift", "this sort of thing happens"])
def test_kind_of_after_a_determiner_is_a_noun(text):
    assert fillers_in(text) == []


@pytest.mark.parametrize("text", ["it kind of broke", "we sort of fixed it"])
def test_kind_of_as_a_hedge_is_a_filler(text):
    assert len(fillers_in(text)) == 1


@pytest.mark.parametrize(
    "text,expected",
    [
        ("we were, you know, stuck", ["you know"]),
        ("You know, the pipeline failed", ["you know"]),
        ("do you know the answer", []),
        ("if you know what broke you fix it", []),
        ("you know the drill", []),
        ("we're just yknow there's more", ["yknow"]),
    ],
)
def test_you_know(text, expected):
    assert fillers_in(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("I mean, it worked", ["i mean"]),
        ("what I mean is drift", []),
        ("Basically we retrain weekly", ["basically"]),
        ("it literally never fired", ["literally"]),
        ("Actually, the alert was wrong", ["actually"]),
        ("the model actually improved", []),
        ("that is the right model", []),
        ("we retrain weekly, right? and then", ["right"]),
        ("That's right.", []),
    ],
)
def test_discourse_markers(text, expected):
    assert fillers_in(text) == expected


def test_filler_times_are_the_words_times():
    words = timeline("so um we you know shipped", start=1.0, step=0.5)
    _, fillers = mark_fillers(words)
    assert [(f.text, f.start) for f in fillers] == [("um", 1.5), ("you know", 2.5)]
    assert fillers[1].end == words[4].end
