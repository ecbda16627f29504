"""The first-version rubric matcher: phrasings, inflection, misspellings, evidence."""

from mock_interview.core.analysis import split_sentences
from mock_interview.core.questions import Question, RubricPoint
from mock_interview.core.rubric import judge, phrase_in, stems
from helpers import timeline


def question(*points: RubricPoint) -> Question:
    return Question(id="q", text="?", kind="technical", guideline_s=120, bank="t", rubric=points)


ROLLBACK = RubricPoint("rollback", "Can roll back fast", ("roll back", "revert to the previous version"), "Keep the old model warm.")
PSI = RubricPoint("psi", "Uses a drift statistic", ("population stability index", "psi", "ks test"))


def judged(text: str, *points: RubricPoint):
    return judge(question(*points), split_sentences(timeline(text)))


def test_inflection_and_case_are_ignored():
    (r,) = judged("Then we Rolled it BACK within minutes.", ROLLBACK)
    assert r.covered
    assert r.evidence.text == "Then we Rolled it BACK within minutes."


def test_words_in_between_are_allowed_but_not_too_many():
    assert phrase_in(stems("roll back"), stems("roll the new model back"))
    assert not phrase_in(stems("roll back"), stems("roll out the model and then much later go back"))


def test_small_misspellings_are_tolerated():
    (r,) = judged("we tracked the populaton stabilty index daily", PSI)
    assert r.covered


def test_missed_point_keeps_what_a_strong_answer_says():
    (r,) = judged("we just retrained it every week", ROLLBACK)
    assert not r.covered
    assert r.evidence is None
    assert r.strong == "Keep the old model warm."


def test_evidence_is_the_covering_sentence_with_its_time():
    words = timeline("We watch latency. Drift is checked with PSI scores. Done.")
    (r,) = judge(question(PSI), split_sentences(words))
    assert r.evidence.text == "Drift is checked with PSI scores."
    assert r.evidence.start == words[3].start


def test_no_question_no_rubric():
    assert judge(None, split_sentences(timeline("anything"))) == []
