"""Which question an answer answers (core/judge/topic.py) and how the rubric uses it."""

import numpy as np

from helpers import timeline
from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.judge import topic
from mock_interview.core.judge.questions import Question, RubricPoint, find_question
from mock_interview.core.judge.rubric import judge
from mock_interview.core.judge.topic import TopicModel, read, terms
from mock_interview.core.report import build_report
from mock_interview.core.store.banks import load_banks


def tiny_model() -> TopicModel:
    """Two questions, told apart by two words."""
    vocab = {"deadline": 0, "outage": 1}
    weights = np.array([[4.0, -4.0], [-4.0, 4.0], [0.0, 0.0]], dtype=np.float32)
    return TopicModel(("deadline", "incident"), vocab, np.ones(2, np.float32), weights)


def test_terms_are_words_and_neighbouring_pairs():
    assert terms("I got it WRONG.") == ["i", "got", "it", "wrong", "i_got", "got_it", "it_wrong"]
    assert terms("I got it", pairs=False) == ["i", "got", "it"]


def test_the_closest_question_is_the_one_answered():
    m = tiny_model()
    assert m.answers("incident", "The outage lasted an hour.") is True
    assert m.answers("deadline", "The outage lasted an hour.") is False
    p = m.probabilities("We made the deadline.")
    assert p["deadline"] > 0.9 and abs(sum(p.values()) - 1) < 1e-6


def test_an_own_phrasing_counts_unless_the_model_rules_the_question_out():
    m = tiny_model()
    text = "The outage lasted an hour, and the deadline slipped."  # both words: neither question ruled out
    p = m.probabilities(text)
    assert 0.1 < p["incident"] <= p["deadline"] < 0.9
    assert m.answers("incident", text) is False  # not its closest question ...
    assert m.answers("incident", text, says_own_point=True) is True  # ... but it says the question's own point
    assert m.answers("deadline", "The outage lasted an hour.", says_own_point=True) is False  # p < VETO


def test_no_say_on_unknown_words():
    m = tiny_model()
    assert m.answers("incident", "Nothing it knows here.") is None
    assert m.answers("conflict", "Nothing it knows here.") is None


def storyteller() -> TopicModel:
    """Two questions and no story: "deadline" and "outage" tell stories, "means" an explanation."""
    vocab = {"deadline": 0, "outage": 1, "means": 2}
    weights = np.array([[4.0, -4.0, -4.0], [-4.0, 4.0, -4.0], [-4.0, -4.0, 4.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    return TopicModel(("deadline", "incident", topic.OFF_TOPIC), vocab, np.ones(3, np.float32), weights)


def test_a_question_it_does_not_know_takes_any_story_but_no_explanation():
    m = storyteller()
    assert m.answers("my-own-question", "The outage lasted an hour.") is True  # a story, whichever it is
    assert m.answers("my-own-question", "Drift means the inputs moved.") is False  # no story
    assert m.answers("my-own-question", "Drift means the inputs moved.", says_own_point=True) is True
    assert m.answers("incident", "The outage lasted an hour.") is True
    assert m.answers("deadline", "The outage lasted an hour.") is False  # known: another question's story


def test_a_saved_model_reads_back_the_same(tmp_path):
    m = tiny_model()
    m.save(tmp_path / "m.npz")
    back = read(tmp_path / "m.npz")
    assert back.questions == m.questions and back.vocab == m.vocab
    assert back.probabilities("the outage") == m.probabilities("the outage")


def story_question(qid: str = "failure") -> Question:
    return Question(qid, "Tell me about it.", "behavioral", 180, "behavioral", (
        RubricPoint("owns", "Owns the mistake", ("my mistake",)),
        RubricPoint("lesson", "Lesson", ("@lesson",), generic=True),
    ))


class Verdict:
    """A topic model that answers as told."""

    questions = ("failure", topic.OFF_TOPIC)

    def __init__(self, verdict):
        self.verdict = verdict

    def answers(self, question_id, text, says_own_point=False, veto=topic.VETO):
        return self.verdict(question_id, says_own_point)


def test_the_topic_model_opens_the_generic_points_when_no_own_point_is_said(monkeypatch):
    said = split_sentences(timeline("The rule deleted the wrong files. I learned to review cleanup jobs."))
    monkeypatch.setattr(topic, "load", lambda: Verdict(lambda qid, own: qid == "failure"))
    assert [r.id for r in judge(story_question(), said) if r.covered] == ["lesson"]
    monkeypatch.setattr(topic, "load", lambda: Verdict(lambda qid, own: False))  # the model places it elsewhere
    assert not any(r.covered for r in judge(story_question(), said))
    monkeypatch.setattr(topic, "load", lambda: Verdict(lambda qid, own: None))  # no word it knows: phrasings alone
    assert not any(r.covered for r in judge(story_question(), said))
    owned = split_sentences(timeline("It was my mistake. I learned to review cleanup jobs."))
    assert {r.id for r in judge(story_question(), owned) if r.covered} == {"owns", "lesson"}
    monkeypatch.setattr(topic, "load", lambda: Verdict(lambda qid, own: False))  # it says "my mistake", the model rules it out
    assert {r.id for r in judge(story_question(), owned) if r.covered} == {"owns"}
    monkeypatch.setattr(topic, "load", lambda: None)  # no packaged model: phrasings alone
    assert {r.id for r in judge(story_question(), owned) if r.covered} == {"owns", "lesson"}
    assert not any(r.covered for r in judge(story_question(), said))


# ------------------------------------------------------------ the packaged model, on stories written for this test

FAILURE = (
    "At a logistics company I ran the nightly job that refreshed our demand forecasts. "
    "I changed how the feature code handled time zones and shipped it on a Friday with no comparison against the old output. "
    "On Monday every warehouse's forecast was a day off, and planners had already ordered the wrong stock. "
    "I rolled the change back within the hour, wrote to the planners with the list of orders to recheck, "
    "and added an old against new forecast comparison to our release checklist. "
    "We caught most orders in time, and the extra shipping cost about two thousand dollars. "
    "What I learned is that a quiet change to time handling deserves the same review as a new model."
)


def test_a_complete_failure_story_in_its_own_words_earns_its_phase_points():
    question = find_question(load_banks(), "behavioral:failure")
    report = build_report(timeline(FAILURE, step=0.4), 60.0, question)
    status = {r.id: r.status for r in report.rubric}
    assert status["owns-mistake"] == "missed"  # none of its phrasings is said ...
    assert topic.load().answers("failure", FAILURE) is True  # ... but it is a failure story
    assert {status["result"], status["lesson"]} == {"covered"}, status


EXPLANATION = (
    "Data drift means the inputs a model sees in production move away from what it was trained on. "
    "You compare each feature's distribution with the training data, for example with a population stability index, "
    "and you alert when it passes a threshold you agreed on. The result is that you retrain before accuracy falls, "
    "and the lesson most teams learn is to log the inputs from the first day."
)


def test_a_question_of_the_users_own_bank_takes_a_story_in_its_own_words():
    from dataclasses import replace

    question = replace(find_question(load_banks(), "behavioral:failure"), id="my-worst-week")  # unknown to the model
    status = {r.id: r.status for r in build_report(timeline(FAILURE, step=0.4), 60.0, question).rubric}
    assert status["owns-mistake"] == "missed"
    assert {status["result"], status["lesson"]} == {"covered"}, status  # the phrasings alone withheld them
    explained = {r.id: r.status for r in build_report(timeline(EXPLANATION, step=0.4), 60.0, question).rubric}
    assert not any(v == "covered" for v in explained.values()), explained  # no story, no story points


def test_the_packaged_model_knows_every_story_question():
    model = topic.load()
    assert model is not None
    story_ids = {q.id for b in load_banks() for q in b.questions if any(p.generic for p in q.rubric)}
    assert story_ids <= set(model.questions)


def test_a_take_reads_the_topic_model_while_the_user_speaks(tmp_path, monkeypatch):
    import threading

    from fakes import FakeRecorder, FakeTranscriber
    from mock_interview.core import session as session_module

    loaded = threading.Event()
    monkeypatch.setattr(topic, "load", loaded.set)
    take = session_module.TakeSession(FakeRecorder(), FakeTranscriber(), None, tmp_path / "none.wav")
    take.start()
    take.stop()
    assert not loaded.wait(0.2)  # no question, no rubric: nothing to read
    take = session_module.TakeSession(FakeRecorder(), FakeTranscriber(), find_question(load_banks(), "behavioral:failure"),
                                      tmp_path / "take.wav")
    take.start()
    assert loaded.wait(5)  # before stop
    take.stop()
