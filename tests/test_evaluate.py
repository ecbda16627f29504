"""The scorer the benchmarks use: numbers compare as said, real word errors still count."""

from collections import Counter

import pytest

from mock_interview.core.evaluate import reference_tokens, score


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Accuracy dropped from 91% to 84%.", "accuracy dropped from ninety-one percent to eighty four percent"),
        ("We had 30,000 users.", "we had thirty thousand users"),
        ("It cost $5 a month.", "it cost five dollars a month"),
        ("It took 2.5 seconds.", "it took two point five seconds"),
        ("The 3rd step and the 21st day.", "the third step and the twenty-first day"),
        ("We trained 1 model on 12 tables.", "we trained one model on twelve tables"),
        ("Latency went from 80 to 400 milliseconds.", "latency went from eighty to four hundred milliseconds"),
    ],
)
def test_a_number_written_in_digits_is_the_number_said(written, said):
    assert reference_tokens(written) == reference_tokens(said)
    assert score(said, written.split(), Counter()).word_errors == 0


def test_a_wrong_number_is_still_an_error():
    assert score("accuracy fell to 84 percent", "accuracy fell to 48%".split(), Counter()).word_errors == 2
    assert score("we lost 3 days", "we lost free days".split(), Counter()).word_errors == 1


def test_fillers_survive_the_scorer():
    got = score("so um we uh fixed it", "so um we uh fixed it".split(), Counter(hesitation=2))
    assert (got.ref_fillers, got.matched_fillers, got.word_errors) == (2, 2, 0)


@pytest.mark.parametrize(
    ("british", "american"),
    [("We labelled the data.", "we labeled the data"), ("Personalisation models", "personalization models"),
     ("I prioritised it", "i prioritized it"), ("OK, we analysed it", "okay we analyzed it")],
)
def test_british_and_american_spellings_are_one_word(british, american):
    assert reference_tokens(british) == reference_tokens(american)


def test_parity_counts_a_lost_word_only_if_someone_said_it():
    """``bench/parity.py``'s ``lost``: the one call's loop over noise ("I'm not thrilled for it"
    where "Montreal forced aligner" was said) is no speech the stream lost; a word said is."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from parity import unsaid

    from mock_interview.core.speech.words import Word

    said = "so this one montreal is going to be forced very bad aligner but it works"
    whole = [Word(" " + t, k * 0.3, k * 0.3 + 0.2) for k, t in enumerate(
        "so this one I'm not thrilled for it, I'm not thrilled for it, aligner but it works".split())]
    nobody = {whole[i].text.strip(" ,") for i in unsaid(whole, said)}
    assert nobody == {"I'm", "not", "thrilled", "for", "it"}
    assert not {whole[i].text.strip() for i in unsaid(whole, said)} & {"so", "this", "one", "aligner", "but", "works"}
