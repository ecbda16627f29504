"""Every malformed bank, generated, gives problems naming the file and where: never a crash."""

import string

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_interview.core.judge.questions import check_bank

text = st.text(alphabet=string.ascii_letters + " -_:'é", max_size=12)
scalar = st.one_of(text, st.integers(-10, 5000), st.floats(allow_nan=False, allow_infinity=False), st.booleans())
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)), max_leaves=6)

point = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(text, value),
        "point": st.one_of(text, value),
        "phrasings": st.one_of(st.lists(st.one_of(text, value), max_size=3), value),
        "strong": value,
        "generic": value,
        "colour": value,
    },
)
question = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["q1", "q2"]), value),
        "text": st.one_of(text, value),
        "kind": st.one_of(st.sampled_from(["technical", "design", "behavioral", "trivia"]), value),
        "guideline_s": st.one_of(st.integers(-5, 5000), value),
        "tips": value,
        "follow_ups": value,
        "rubric": st.one_of(st.lists(point, max_size=3), value),
        "extra": value,
    },
)
bank = st.fixed_dictionaries(
    {},
    optional={
        "bank": st.one_of(st.fixed_dictionaries({}, optional={"id": value, "title": value, "guideline_s": value}), value),
        "questions": st.one_of(st.lists(question, max_size=3), value),
        "other": value,
    },
)


def assert_reported(path, result):
    parsed, problems = result
    if parsed is None:
        assert problems
        for p in problems:
            line = str(p)
            assert line.startswith(str(path)) and "\n" not in line
            assert "Traceback" not in line
    else:
        assert problems == []
        assert all(q.rubric for q in parsed.questions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=bank)
def test_generated_banks_are_checked_without_crashing(tmp_path, data):
    path = tmp_path / "gen.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert_reported(path, check_bank(path))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_are_reported_not_raised(tmp_path, raw):
    path = tmp_path / "junk.toml"
    path.write_bytes(raw)
    assert_reported(path, check_bank(path))
