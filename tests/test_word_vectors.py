"""The story judge's static word vectors (scripts/make_word_vectors.py): the committed table loads with
its documented shape, means something, and a clause of words it lacks is judged as without it."""

import dataclasses

import numpy as np

from mock_interview.core.judge import phases
from mock_interview.core.judge.phases import VECTORS_PATH, Settings, WordVectors, features, load, load_vectors


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


def test_the_table_loads_with_its_documented_shape():
    table = load_vectors(VECTORS_PATH)
    assert table.vectors.dtype == np.float32 and table.vectors.ndim == 2
    assert 20000 <= len(table.index) == table.vectors.shape[0] == table.freq.shape[0]
    assert 32 <= table.dims <= 128
    assert VECTORS_PATH.stat().st_size < 6_000_000
    assert np.all(table.freq > 0) and np.all(np.isfinite(table.vectors))
    for word in ("result", "learned", "outage", "because"):
        assert word in table.index


def test_the_committed_model_uses_the_table_it_was_fitted_with():
    model = load()
    assert model.settings.uses_vectors
    x = features(["We rolled the model back within ten minutes."], settings=model.settings)
    assert x.shape[1] == model.weights.shape[0]


def test_words_alike_in_meaning_lie_closer_than_unrelated_ones():
    table = load_vectors(VECTORS_PATH)

    def v(word: str) -> np.ndarray:
        return table.vectors[table.index[word]]

    assert _cos(v("fixed"), v("repaired")) > _cos(v("fixed"), v("banana"))
    assert _cos(v("learned"), v("lesson")) > _cos(v("learned"), v("tomato"))


def test_a_clause_of_unknown_words_is_judged_as_without_the_table():
    model = load()
    texts = ["Zorblat quexing vrimpled.", "Flumoxt gribbles snorked plarnily."]
    empty = WordVectors({}, np.zeros((0, load_vectors().dims), np.float32), np.zeros(0, np.float32))
    with_table = model.probabilities(texts)
    saved = phases._vectors
    try:
        phases._vectors = empty
        without = model.probabilities(texts)
        x = features(texts, settings=model.settings)
    finally:
        phases._vectors = saved
    np.testing.assert_allclose(with_table, without, rtol=1e-6)
    plain = dataclasses.replace(model.settings, vectors=0.0, vector_context=0.0, vector_neighbours=0.0,
                                embed=0.0, embed_neighbours=0.0)
    base = features(texts, settings=plain)
    np.testing.assert_array_equal(x[:, : base.shape[1]], base)
    words = dataclasses.replace(model.settings, embed=0.0, embed_neighbours=0.0)
    assert not x[:, base.shape[1] : features(texts, settings=words).shape[1]].any()  # the word vectors' columns


def test_a_known_word_moves_the_clause_vector_and_an_unknown_one_does_not():
    table = load_vectors(VECTORS_PATH)
    a = table.mean(["we", "fixed", "the", "outage"], Settings().sif)
    b = table.mean(["we", "fixed", "the", "outage", "zorblat"], Settings().sif)
    c = table.mean(["we", "fixed", "the", "outage", "yesterday"], Settings().sif)
    np.testing.assert_allclose(a, b)
    assert abs(float(np.sqrt(a @ a)) - 1.0) < 1e-5
    assert not np.allclose(a, c)
