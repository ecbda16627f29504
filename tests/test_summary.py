"""The mock interview: mixing the kinds of question, and the three things to work on first."""

import random
from collections import Counter

from mock_interview.core.judge.followups import attach_follow_up, choose_follow_up
from mock_interview.core.judge.questions import find_question
from mock_interview.core.store.banks import load_banks
from mock_interview.core.report import build_report
from mock_interview.core.judge.summary import answer_line, pick_mixed, rank_issues, work_on_first
from helpers import timeline

BANKS = load_banks()
QUESTIONS = [q for b in BANKS for q in b.questions]

GOOD_STORY = (
    "Last year I was the on-call engineer for the ranking service of a travel search site, which served every "
    "query on the home page and sorted hotels for about two million visitors a day. "
    "One Monday our ranking service went down in the sense that mattered: bookings fell by a fifth in an hour. "
    "The problem was the dashboards looked green, latency was normal and no errors were logged anywhere. "
    "I rolled back the model to the version from the week before and then found the root cause in the feature "
    "logs: a partner had changed the currency of their prices, so every price feature was off by a factor. "
    "I posted updates in the incident channel every half hour and wrote the postmortem the next morning. "
    "I added a range check on every price feature and a canary that compares bookings with the old model. "
    "As a result the click rate recovered in two hours and bookings were back to normal by the evening. "
    "I learned to monitor the inputs and not only the service, and I have added input checks to every model since."
)
GOOD_DRIFT = (
    "There is data drift and concept drift. I compare the features against the training baseline with PSI. "
    "I watch the prediction distribution. I set a threshold on the PSI and alert on it. "
    "Small drift I investigate, big drift I retrain. The retrained model must pass an evaluation gate before "
    "promotion. I keep the previous model warm to roll back."
)


def report(qid, text, step=0.4, duration=None):
    words = timeline(text, step=step)
    return build_report(words, duration or words[-1].end + 1, find_question(BANKS, qid))


def test_a_mock_interview_mixes_the_kinds_from_every_bank():
    for seed in range(20):
        picked = pick_mixed(QUESTIONS, 3, random.Random(seed))
        assert len({q.qualified_id for q in picked}) == 3
        assert {q.kind for q in picked} == {"technical", "design", "behavioral"}
    kinds = Counter(q.kind for q in pick_mixed(QUESTIONS, 6, random.Random(1)))
    assert kinds == {"technical": 2, "design": 2, "behavioral": 2}
    banks = {q.bank for seed in range(10) for q in pick_mixed(QUESTIONS, 4, random.Random(seed))}
    assert banks == {"behavioral", "mlops"}
    assert len(pick_mixed(QUESTIONS, 99, random.Random(0))) == len(QUESTIONS)


def test_clean_answers_leave_nothing_to_work_on():
    assert work_on_first([report("behavioral:incident", GOOD_STORY), report("mlops:drift", GOOD_DRIFT)]) == []


def test_a_habit_across_answers_comes_before_a_single_slip():
    fillers = "Um, " * 6
    reports = [
        # Fillers in both answers, about 7 a minute.
        report("behavioral:incident", fillers + GOOD_STORY, step=0.5),
        report("mlops:drift", fillers + GOOD_DRIFT, step=0.5),
        # One story without a lesson.
        report("behavioral:failure", "At my last job I was responsible for the nightly training pipeline. "
               "The problem was that I assumed the schema would never change. I told my manager and I fixed "
               "the loader. In the end we lost two days of training, which cost us a release.", step=0.5),
    ]
    first = work_on_first(reports)
    assert first[0].id == "fillers" and len(first[0].details) == 2
    assert "a minute" in first[0].text
    assert "no-lesson" in [i.id for i in rank_issues(reports)]


def test_the_three_things_name_the_answers_they_come_from():
    over = report("mlops:drift", GOOD_DRIFT, step=2.6)  # the same answer, spoken far too slowly: over 2:00
    assert over.analysis.over_guideline
    thin = report("mlops:ci-cd", "I would use Jenkins.")
    rambling = report("behavioral:failure",
                      "A few years ago I was working at a small logistics startup. Our team had four engineers. "
                      "We were running the routing model on one big machine. At the time the company had just "
                      "raised money. Our system was used by the warehouse for its planning. Then the model failed. "
                      "I moved it to the cloud.")
    first = work_on_first([over, thin, rambling])
    assert len(first) == 3
    ids = [i.id for i in first]
    # Two answers that miss most of the rubric outweigh one that ran long; then the story without an end.
    assert ids == ["coverage", "over-guideline", "no-result"]
    assert first[0].details[0].startswith("0 of 7 on “Walk me through how you would")
    assert first[1].details == ["“What is model drift, and how do y…” ran 0:35 over 2:00"]
    assert "long-setup" in [i.id for i in rank_issues([over, thin, rambling])]


def test_an_answer_line_counts_the_points_the_follow_up_won():
    main = report("behavioral:failure", "At my last job I was responsible for the nightly training pipeline. "
                  "The problem was that I assumed the schema would never change. I told my manager and I fixed "
                  "the loader. I learned to check the data first.")
    take = attach_follow_up(main, choose_follow_up(main), timeline("In the end we cut failed runs by half."), 5.0)
    line = answer_line(take)
    assert line.covered == main.covered + line.in_follow_up and line.in_follow_up >= 1
    assert line.follow_up == "What was the result, in numbers?"
    assert "result" in line.missing  # the story itself still left it out
    no_result = next(i for i in rank_issues([take]) if i.id == "no-result")
    assert "only when asked" in no_result.details[0]


def test_silence_is_the_first_thing_to_fix():
    silent = build_report([], 30, find_question(BANKS, "mlops:drift"))
    first = work_on_first([silent, report("behavioral:incident", GOOD_STORY)])[0]
    assert first.id == "silent"
    assert first.details == ["nothing heard on “What is model drift, and how do y…” (if you spoke: a muted microphone?)"]


def test_speech_heard_but_not_made_out_is_not_called_silence():
    from mock_interview.core.speech.vad import Region

    bare = build_report([], 30, find_question(BANKS, "mlops:drift"), uncovered=[Region(2.0, 9.0)])
    issue = work_on_first([bare])[0]
    assert issue.id == "silent" and issue.details[0].startswith("no words made out on")
    assert "microphone" not in issue.details[0]
