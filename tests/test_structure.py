"""SOAR phase detection and the flags interviewers care about, on stories the team wrote."""

from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.judge.phases import continuations
from mock_interview.core.judge.structure import analyze_structure, split_clauses
from helpers import timeline

FULL = (
    "Last year I was the on-call engineer for our search ranking service. "
    "One Friday the click rate started to drop and nobody could say why. "
    "The problem was that the dashboards all looked green. "
    "So I pulled the feature logs and traced it to a stale embedding table. "
    "I rolled back the table and added a freshness check to the pipeline. "
    "Then I wrote an alert that pages us when the table is more than a day old. "
    "As a result the click rate recovered within two hours. "
    "I learned to monitor the inputs and not just the service."
)

NO_RESULT = (
    "At my last company we were building a fraud model for card payments. "
    "The issue was that the labels arrived six weeks late. "
    "I proposed a proxy label from chargebacks. "
    "I wrote the job that joined them every night. "
    "I also set up a dashboard for the fraud team."
)

LONG_SITUATION = (
    "A few years ago I was working at a small logistics startup. "
    "Our team had four engineers and we owned every service. "
    "We were running the routing model on one big machine in the office. "
    "It was a strange place with a lot of history and many old scripts. "
    "At the time the company had just raised money and hired a lot of people. "
    "Everyone had opinions about the model and the roadmap and the tools. "
    "Our system was also used by the warehouse for its planning. "
    "Then the model failed during a peak week. "
    "I moved it to the cloud. "
    "In the end latency went down to 200 milliseconds. "
    "I learned to plan capacity early."
)

WE_STORY = (
    "Our platform team owned the feature store. "
    "The problem was that training and serving disagreed. "
    "So we rebuilt the joins, we added tests, we rewrote the backfill and we shipped it together. "
    "As a result skew went from twelve percent to one percent. "
    "I learned that shared definitions matter."
)


def structure_of(text):
    words = timeline(text, step=0.4)
    sentences = split_sentences(words)
    units = split_clauses(words, sentences)
    return analyze_structure(units, words[-1].end - words[0].start, continues=continuations(units, sentences))


def names(structure):
    return [p.name for p in structure.phases]


def test_a_full_story_has_every_phase_in_order():
    s = structure_of(FULL)
    assert names(s) == ["situation", "obstacle", "action", "result", "lesson"]
    assert s.missing == []
    assert s.flags == []
    # Phases follow one another without gaps and cover the answer.
    for a, b in zip(s.phases, s.phases[1:]):
        assert a.end == b.start
    assert abs(sum(s.shares.values()) - 1.0) < 0.02


def test_a_story_without_a_result_is_flagged():
    s = structure_of(NO_RESULT)
    assert "result" in s.missing and "lesson" in s.missing
    assert names(s)[:3] == ["situation", "obstacle", "action"]
    ids = [f.id for f in s.flags]
    assert "no-result" in ids and "no-lesson" in ids


def test_a_story_that_spends_most_of_its_time_on_the_set_up():
    s = structure_of(LONG_SITUATION)
    assert names(s)[0] == "situation"
    assert s.shares["situation"] + s.shares.get("obstacle", 0.0) > 0.5
    long = [f for f in s.flags if f.id == "long-setup"]
    assert long and "%" in long[0].message and "cut about" in long[0].message
    assert "result-unmeasured" not in [f.id for f in s.flags]  # "200 milliseconds" is a measure


def test_we_instead_of_i_in_the_action_and_an_unmeasured_result():
    s = structure_of(WE_STORY)
    assert "we-not-i" in [f.id for f in s.flags]
    unmeasured = structure_of(WE_STORY.replace("skew went from twelve percent to one percent", "skew went away"))
    assert "result-unmeasured" in [f.id for f in unmeasured.flags]


def test_no_one_and_a_second_version_are_no_measure():
    flags = lambda story: [f.id for f in structure_of(story).flags]  # noqa: E731
    base = WE_STORY.replace("skew went from twelve percent to one percent", "{}")
    assert "result-unmeasured" in flags(base.format("no one complained after that"))
    assert "result-unmeasured" in flags(base.format("the second version shipped after that"))
    assert "result-unmeasured" not in flags(base.format("the cost fell by about forty dollars a unit"))
    assert "result-unmeasured" not in flags(base.format("the queue drained within the hour"))


def test_hedging_is_flagged():
    s = structure_of(FULL.replace("So I pulled", "I think maybe I sort of pulled").replace("I rolled", "I guess I rolled"))
    assert "hedging" in [f.id for f in s.flags]


def test_empty_answer_misses_everything():
    s = analyze_structure([], 0)
    assert s.phases == [] and s.missing == ["situation", "obstacle", "action", "result", "lesson"]


def test_a_sentence_is_split_at_a_comma_and_a_clause_word():
    words = timeline("In the end we lost two days, and I learned to check the data first.")
    units = split_clauses(words, split_sentences(words))
    assert [u.text for u in units] == ["In the end we lost two days,", "and I learned to check the data first."]
    assert continuations(units, split_sentences(words)) == [False, True]


def test_a_sentence_with_a_result_and_a_lesson_is_split_at_the_clause():
    words = timeline("In the end we lost two days, and I learned to check the data first.")
    units = split_clauses(words, split_sentences(words))
    assert [u.text for u in units] == ["In the end we lost two days,", "and I learned to check the data first."]
    s = analyze_structure(units, words[-1].end - words[0].start, continues=[False, True])
    assert names(s) == ["result", "lesson"]


def test_structure_agrees_with_the_rubric_on_a_behavioral_answer():
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.store.banks import load_banks
    from mock_interview.core.report import build_report

    question = find_question(load_banks(), "behavioral:failure")
    report = build_report(timeline(FULL.replace("As a result", "In the end")), 60, question)
    covered = {r.id for r in report.rubric if r.covered}
    phases = {p.name for p in report.structure.phases}
    if "result" in covered:
        assert "result" in phases
    if "lesson" in covered:
        assert "lesson" in phases
    assert report.to_dict()["structure"]["phases"][0]["name"] == "situation"
