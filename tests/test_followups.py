"""Which follow-up the interviewer asks, and how the reply counts for the take."""

from dataclasses import replace

import pytest

from mock_interview.core.judge.followups import (
    FOLLOW_UP_GUIDELINE_S, Gap, attach_follow_up, choose_follow_up, follow_up_for, gaps, relevance,
)
from mock_interview.core.judge.questions import find_question
from mock_interview.core.store.banks import load_banks
from mock_interview.core.report import build_report
from mock_interview.core.judge.stories import cover_points, make_story
from helpers import timeline

BANKS = load_banks()

SCENE = "At my last job I was responsible for the nightly training pipeline. "
OBSTACLE = "The problem was that I assumed the schema would never change. "
ACTION = "I told my manager and I fixed the loader. "
RESULT = "In the end we lost two days. "
LESSON = "I learned to check the data first."


def report(qid, text):
    return build_report(timeline(text), 60, find_question(BANKS, qid))


def test_a_story_without_a_result_is_asked_for_one_in_numbers():
    r = report("behavioral:failure", SCENE + OBSTACLE + ACTION + LESSON)
    choice = choose_follow_up(r)
    # The bank's prompts for this question do not ask how it ended: the built-in one does.
    assert choice.prompt == "What was the result, in numbers?" and not choice.from_bank
    assert choice.gap.name == "result"


def test_a_story_without_a_lesson_gets_the_banks_prompt_about_the_lesson():
    r = report("behavioral:failure", SCENE + OBSTACLE + ACTION + RESULT)
    choice = choose_follow_up(r)
    assert choice.prompt == "Can you give an example of applying that lesson later?" and choice.from_bank


def test_the_result_comes_before_the_lesson():
    r = report("behavioral:failure", SCENE + OBSTACLE + ACTION)
    assert [g.name for g in gaps(r)][:2] == ["result", "lesson"]
    assert choose_follow_up(r).gap.name == "result"


def test_a_result_without_a_measure_is_asked_for_the_number():
    r = report("mlops:model-underperformed",
               "We deployed a recommendation model. The click rate started to drop. "
               "I traced it to seasonality and I added seasonal features. As a result the click rate recovered. "
               "I learned to monitor diversity.")
    assert "result-unmeasured" in [f.id for f in r.structure.flags]
    choice = choose_follow_up(r)
    assert choice.gap.name == "measure" and choice.prompt == "What was the result, in numbers?"


def test_a_missing_phase_is_not_asked_with_a_prompt_that_only_shares_words_with_it():
    # "rolling back" and "fixing forward" share "back" and "fix" with the incident's result
    # ("back to normal", "we fixed it"): it was asked of a story whose result the judge missed.
    q = find_question(load_banks(), "incident")
    result = Gap("phase", "result", "no result stated")
    assert relevance("How did you decide between rolling back and fixing forward?", result, q) == 0
    assert follow_up_for(result, q).prompt == "What was the result, in numbers?"
    # A prompt that says the result's own phrasing is asked for it.
    asks = replace(q, follow_ups=["Was the service back to normal, and for how long?"])
    assert follow_up_for(result, asks).prompt == "Was the service back to normal, and for how long?"


def test_every_own_point_of_the_bundled_banks_has_a_follow_up_that_probes_it():
    # A missed point with no such prompt got no follow-up at all: 60 of 508 train and dev stories
    # ("owns the mistake", an influence story's evidence and allies, a data science team's goal).
    # Points named after a phase are asked about through the phase (PHASE_PROMPTS).
    unprobed = [
        f"{q.id}:{p.id}"
        for bank in load_banks() for q in bank.questions for p in q.rubric
        if not p.generic and p.phase is None
        and max((relevance(f, Gap("point", p.id, p.point), q) for f in q.follow_ups), default=0.0) <= 0
    ]
    assert unprobed == []


def test_a_measured_point_and_the_no_measure_flag_never_disagree():
    # The delay is measured in the actions ("two weeks"), which the bank counts; the result says no number.
    r = report("behavioral:failure",
               "At my last job I owned the nightly export to our partners. "
               "I changed the file format without telling them and their import broke. "
               "I had to rebuild the old format and it cost us two weeks of work. "
               "In the end the partner stayed with us. "
               "I learned to announce every format change.")
    measured = next(p for p in r.rubric if p.id == "measured")
    assert measured.covered, measured
    assert "result-unmeasured" not in [f.id for f in r.structure.flags]
    told = report("behavioral:failure",
                  "At my last job I owned the nightly export to our partners. "
                  "I changed the file format without telling them and their import broke. "
                  "I rebuilt the old format and wrote to every partner. "
                  "In the end we lost two days of exports and the partner stayed with us. "
                  "I learned to announce every format change.")
    measured = next(p for p in told.rubric if p.id == "measured")
    assert measured.covered and "two days" in measured.evidence.text  # the result's own clause
    assert "result-unmeasured" not in [f.id for f in told.structure.flags]


@pytest.mark.parametrize(
    ("answer", "prompt"),
    [
        # Everything but the alert thresholds: the prompt about the PSI threshold.
        ("There is data drift and concept drift. I compare the features against the training baseline with PSI. "
         "I watch the prediction distribution. Small drift I investigate, big drift I retrain. "
         "The retrained model must pass an evaluation gate before promotion. I keep the previous model warm to roll back.",
         "What PSI value would make you act, and how would you choose that threshold?"),
        # Nothing but the two kinds and thresholds: the first gap a prompt probes is the retraining gate.
        ("There is data drift and concept drift. I compare the features against the training baseline with PSI. "
         "I watch the prediction distribution. I set a threshold on the PSI and alert on it. "
         "Small drift I investigate, big drift I retrain. I keep the previous model warm to roll back.",
         "How do you stop an automatic retraining job from shipping a model that is worse than the one in production?"),
    ],
)
def test_a_technical_answer_is_probed_on_the_point_it_missed(answer, prompt):
    assert choose_follow_up(report("mlops:drift", answer)).prompt == prompt


def test_nothing_missed_means_no_follow_up():
    r = report("behavioral:incident",
               "Last year our ranking service went down. The problem was the dashboards looked green. "
               "I rolled back the model and then found the root cause. I posted updates and wrote the postmortem. "
               "As a result the click rate recovered in two hours. I learned to monitor the inputs.")
    assert gaps(r) == [] and choose_follow_up(r) is None


def test_an_answer_with_no_words_gets_no_follow_up():
    assert choose_follow_up(build_report([], 30, find_question(BANKS, "behavioral:failure"))) is None


def test_a_prompt_already_asked_is_not_asked_again():
    r = report("mlops:drift", "I look at dashboards.")
    first = choose_follow_up(r)
    second = choose_follow_up(r, asked=[first.prompt])
    assert second is not None and second.prompt != first.prompt


def test_a_point_said_in_the_reply_counts_for_the_take_and_is_marked():
    main = report("behavioral:failure", SCENE + OBSTACLE + ACTION + LESSON)
    assert not next(r for r in main.rubric if r.id == "result").covered
    choice = choose_follow_up(main)
    reply = timeline("In the end we cut the failed runs by eighty percent within a week.", start=0.8)
    take = attach_follow_up(main, choice, reply, duration_s=6.0)
    result = next(r for r in take.rubric if r.id == "result")
    assert result.covered and take.covered > main.covered
    # The evidence sits after the whole main recording on the take's timeline.
    assert result.evidence.start >= main.analysis.duration_s
    d = take.to_dict()
    assert d["rubric_covered"] == take.covered
    assert next(r for r in d["rubric"] if r["id"] == "result")["in_follow_up"] is True
    assert next(r for r in d["rubric"] if r["id"] == "situation")["in_follow_up"] is False
    fu = d["follow_up"]
    assert fu["prompt"] == "What was the result, in numbers?" and fu["guideline_s"] == FOLLOW_UP_GUIDELINE_S
    assert fu["transcript"].startswith("In the end we cut") and "result" in fu["covered"]
    assert "result" in fu["phases"]
    # The main answer's own numbers are untouched by the reply.
    assert d["transcript"] == main.analysis.transcript and d["structure"] == main.to_dict()["structure"]


def test_a_point_the_answer_partly_earned_stays_partly_after_a_reply_that_does_not_cover_it():
    from test_story_judge import BIKES  # a story told for another question: its points only partly earned

    main = report("behavioral:failure", BIKES)
    partly = {r.id for r in main.rubric if r.status == "partly"}
    assert {"situation", "result", "measured", "lesson"} <= partly
    choice = choose_follow_up(main)
    take = attach_follow_up(main, choice, timeline("I am not sure, to be honest.", start=0.5), duration_s=3.0)
    after = {r.id: r for r in take.rubric}
    assert {i for i, r in after.items() if r.status == "partly"} == partly
    assert all(after[r.id].evidence == r.evidence for r in main.rubric if r.id in partly)


def test_a_talking_point_said_in_the_reply_counts_too():
    story = make_story("Schema", ["behavioral:failure"], ["wrote a postmortem", "cut failed runs by eighty percent"])
    main = report("behavioral:failure", SCENE + OBSTACLE + ACTION + LESSON)
    main.story = cover_points(story, main.analysis.sentences)
    assert [p.covered for p in main.story.points] == [False, False]
    reply = timeline("In the end we cut the failed runs by eighty percent.")
    take = attach_follow_up(main, choose_follow_up(main), reply, duration_s=5.0)
    assert [p.covered for p in take.story.points] == [False, True]
    assert take.to_dict()["story"]["points"][1]["in_follow_up"] is True


def test_a_number_given_only_in_the_set_up_is_no_measured_result():
    # Found as a user: "Puts a number on the result" was ticked with the request as its evidence.
    r = report("behavioral:pushback",
               "A product manager asked me to ship a fraud model two weeks early, for a launch. "
               "The model had not been tested on the new country's transactions. "
               "I offered a shadow run instead, so the model scored payments but blocked nothing. "
               "He agreed, and we launched later with fewer blocked payments. "
               "I learned to offer a safer way to say yes.")
    measured = next(p for p in r.rubric if p.id == "measured")
    assert not measured.covered, measured.evidence
    assert "result-unmeasured" in [f.id for f in r.structure.flags]  # and the flag says the same


def test_a_result_that_gives_a_figure_puts_a_number_on_it():
    # Found as a user: a figure in the result ("under one percent"), a share ("by around a fifth")
    # and "within the hour" were no number on the result.
    for result in ("We launched ten days later with a false block rate under one percent. ",
                   "Bookings came back within the hour. ",
                   "The queue shrank by around a fifth. ",
                   "The category shipped five weeks later with ninety percent precision. "):
        r = report("behavioral:pushback",
                   "A product manager asked me to ship a fraud model early, for a launch. "
                   "The model had not been tested on the new country's transactions. "
                   "I offered a shadow run instead, so the model scored payments but blocked nothing. "
                   + result + "I learned to offer a safer way to say yes.")
        measured = next(p for p in r.rubric if p.id == "measured")
        assert measured.covered and measured.evidence.text.strip() in result, (result, measured.evidence)
        assert "result-unmeasured" not in [f.id for f in r.structure.flags]
