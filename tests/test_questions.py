"""Question banks: the shipped ones load; broken ones are reported with file, entry and field."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mock_interview.core.errors import BankError
from mock_interview.core.judge.questions import KINDS, check_bank, find_question, load_bank
from mock_interview.core.store.banks import load_banks

ROOT = Path(__file__).resolve().parents[1]


def test_mlops_bank_has_the_articles_ten_questions():
    bank = load_bank(ROOT / "questions" / "mlops.toml")
    assert len(bank.questions) == 10
    kinds = [q.kind for q in bank.questions]
    assert kinds.count("behavioral") == 2
    assert kinds.count("technical") + kinds.count("design") == 8
    for q in bank.questions:
        assert q.kind in KINDS
        assert 60 <= q.guideline_s <= 300
        assert len(q.rubric) >= 3
        assert all(p.phrasings for p in q.rubric)


def test_every_shipped_bank_validates():
    for path in sorted((ROOT / "questions").glob("*.toml")):
        bank, problems = check_bank(path)
        assert problems == [], [str(p) for p in problems]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_QUESTION = """
[[questions]]
id = "q1"
text = "Why?"
kind = "technical"
[[questions.rubric]]
id = "p1"
point = "Says why"
phrasings = ["because"]
"""


def problems_of(tmp_path, text) -> list[str]:
    return [str(p) for p in check_bank(write(tmp_path, text))[1]]


def test_toml_syntax_error_names_the_file_and_line(tmp_path):
    (msg,) = problems_of(tmp_path, "[[questions]]\nid = \n")
    assert "mine.toml" in msg and "TOML syntax error" in msg and "line 2" in msg


def test_unknown_kind_names_entry_and_field(tmp_path):
    (msg,) = problems_of(tmp_path, GOOD_QUESTION.replace('"technical"', '"trivia"'))
    assert "questions[1] (id 'q1')" in msg and "'kind'" in msg and "trivia" in msg


def test_duplicate_ids_are_reported(tmp_path):
    msgs = problems_of(tmp_path, GOOD_QUESTION + GOOD_QUESTION)
    assert any("duplicate id 'q1'" in m and "questions[2]" in m for m in msgs)


def test_empty_rubric_is_reported(tmp_path):
    text = '[[questions]]\nid = "q1"\ntext = "Why?"\nkind = "design"\nrubric = []\n'
    (msg,) = problems_of(tmp_path, text)
    assert "rubric" in msg and "empty" in msg


def test_missing_field_and_bad_guideline(tmp_path):
    text = GOOD_QUESTION.replace('text = "Why?"\n', "guideline_s = -5\n")
    msgs = problems_of(tmp_path, text)
    assert any("field 'text' is missing" in m for m in msgs)
    assert any("guideline_s" in m for m in msgs)


def test_unknown_field_is_reported(tmp_path):
    (msg,) = problems_of(tmp_path, GOOD_QUESTION.replace('kind = "technical"', 'kind = "technical"\ncolour = "red"'))
    assert "unknown field 'colour'" in msg


def test_unreadable_phrasing_names_entry_field_and_reason(tmp_path):
    text = GOOD_QUESTION.replace('phrasings = ["because"]', 'phrasings = ["because", "@nonsense + reason"]')
    (msg,) = problems_of(tmp_path, text)
    assert "questions[1] (id 'q1') rubric[1] (id 'p1')" in msg
    assert "field 'phrasings' entry 2" in msg and "unknown vocabulary term '@nonsense'" in msg


def test_empty_alternative_is_reported(tmp_path):
    (msg,) = problems_of(tmp_path, GOOD_QUESTION.replace('["because"]', '["because||since"]'))
    assert "entry 1" in msg and "empty alternative" in msg


def test_generic_must_be_true_or_false(tmp_path):
    (msg,) = problems_of(tmp_path, GOOD_QUESTION.replace('point = "Says why"', 'point = "Says why"\ngeneric = "yes"'))
    assert "field 'generic' must be true or false" in msg


def test_generic_and_phrasing_syntax_load(tmp_path):
    text = GOOD_QUESTION.replace('phrasings = ["because"]', 'generic = true\nphrasings = ["roll back|revert + @previous-model"]')
    bank, problems = check_bank(write(tmp_path, text))
    assert problems == []
    (point,) = bank.questions[0].rubric
    assert point.generic and point.phrasings == ("roll back|revert + @previous-model",)


def test_behavioral_bank_has_the_six_stories_in_soar():
    bank = load_bank(ROOT / "questions" / "behavioral.toml")
    assert [q.id for q in bank.questions] == ["failure", "conflict", "pushback", "incident", "influence", "deadline"]
    for q in bank.questions:
        assert q.kind == "behavioral"
        ids = {p.id for p in q.rubric}
        assert {"situation", "obstacle", "actions", "result", "measured", "lesson"} <= ids, q.id
        assert any(not p.generic for p in q.rubric), q.id


def test_load_bank_raises_one_line(tmp_path):
    path = write(tmp_path, GOOD_QUESTION.replace('"technical"', '"trivia"'))
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert "\n" not in str(err.value)


def test_find_question_by_id_and_by_bank_id():
    banks = load_banks()
    assert find_question(banks, "drift").bank == "mlops"
    assert find_question(banks, "mlops:drift").id == "drift"
    with pytest.raises(BankError, match="unknown question id 'nope'"):
        find_question(banks, "nope")


def test_user_banks_in_config_dir_are_loaded(isolated_home):
    folder = isolated_home / "config" / "questions"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('[bank]\nid = "mine"\n' + GOOD_QUESTION, encoding="utf-8")
    assert find_question(load_banks(), "mine:q1").text == "Why?"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_interview", *args], capture_output=True, text=True)


def test_questions_json_lists_every_question():
    out = run_cli("questions", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    ids = {(q["bank"], q["id"]) for q in data}
    assert ("mlops", "drift") in ids and len([q for q in data if q["bank"] == "mlops"]) == 10
    q = data[0]
    assert set(q) >= {"id", "text", "kind", "guideline_s", "bank", "rubric"}
    assert set(q["rubric"][0]) == {"id", "point"}


def test_questions_validate_reports_every_problem(tmp_path):
    path = write(tmp_path, GOOD_QUESTION.replace('"technical"', '"trivia"') + GOOD_QUESTION)
    out = run_cli("questions", "validate", str(path))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 2 and all("mine.toml" in line for line in lines)
    ok = run_cli("questions", "validate", str(ROOT / "questions" / "mlops.toml"))
    assert ok.returncode == 0 and "10 questions" in ok.stdout


def test_a_point_says_which_story_phase_it_is_named_after(tmp_path):
    text = GOOD_QUESTION.replace('point = "Says why"', 'point = "Obstacle and root cause"\nphase = "obstacle"')
    (point,) = check_bank(write(tmp_path, text))[0].questions[0].rubric
    assert point.phase == "obstacle"
    # Without the field, the ids the banks use for phase points still say it; other ids name no phase.
    (point,) = check_bank(write(tmp_path, GOOD_QUESTION.replace('id = "p1"', 'id = "owned-actions"')))[0].questions[0].rubric
    assert point.phase == "action"
    (point,) = check_bank(write(tmp_path, GOOD_QUESTION))[0].questions[0].rubric
    assert point.phase is None


def test_a_phase_that_is_no_story_phase_is_reported(tmp_path):
    (msg,) = problems_of(tmp_path, GOOD_QUESTION.replace('point = "Says why"', 'point = "Says why"\nphase = "conclusion"'))
    assert "field 'phase' must be one of situation, obstacle, action, result, lesson, not 'conclusion'" in msg
