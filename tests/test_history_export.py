"""history, export and purge from the command line, on takes saved in a real SQLite file."""

import json
import subprocess
import sys

import pytest

from mock_interview.core.judge.questions import find_question
from mock_interview.core.store.banks import load_banks
from mock_interview.core.report import build_report
from mock_interview.core.store.storage import Store
from helpers import timeline


def run_cli(*args, input=None):
    return subprocess.run([sys.executable, "-m", "mock_interview", *args], capture_output=True, text=True, input=input)


@pytest.fixture
def saved():
    drift = find_question(load_banks(), "drift")
    words = timeline("Um, we watch PSI against a baseline. you know, we retrain it.", gaps={6: 2.5})
    with Store.open() as store:
        for _ in range(2):
            audio = store.new_audio_path(drift)
            audio.write_bytes(b"RIFF....")
            store.save_take(build_report(words, 12, drift), drift, audio)
        return [t.id for t in store.takes()]


def test_history_json_has_the_documented_keys(saved):
    out = run_cli("history", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["take"] for r in rows] == [2, 1]
    for key in ("id", "question_id", "take", "created_at", "speaking_s", "wpm", "fillers_per_min", "rubric_covered", "rubric_total"):
        assert key in rows[0]
    assert rows[0]["question_id"] == "drift" and rows[0]["rubric_total"] >= 3


def test_history_table_and_filters(saved):
    out = run_cli("history", "--question", "drift")
    assert out.returncode == 0 and out.stdout.count("drift") == 2
    assert "no saved takes" in run_cli("history", "--question", "ci-cd").stdout
    assert len(json.loads(run_cli("history", "--search", "baseline", "--json").stdout)) == 2


def test_export_markdown_marks_fillers_and_pauses(saved):
    out = run_cli("export", str(saved[0]))
    assert out.returncode == 0, out.stderr
    md = out.stdout
    assert md.startswith("# Take 2: What is model drift")
    assert "**\\[Um,\\]**" in md and "**\\[you know,\\]**" in md
    assert "*(pause 2.6 s)*" in md  # 2.5 s of silence plus the gap between words
    assert "- [x] **Compares live features to a training baseline" in md
    assert "- [ ] " in md and "missed." in md
    assert "- `0:00.5` " in md  # each sentence with its time
    assert md.index("Fillers are shown") < md.index("- `0:00.5` "), "the legend comes before the transcript"


@pytest.fixture
def paused_mid_sentence():
    drift = find_question(load_banks(), "drift")
    words = timeline("We watch PSI, uh, against a training baseline. Then we retrain it.", gaps={1: 3.0})
    with Store.open() as store:
        return store.save_take(build_report(words, 12, drift), drift, None).id


def test_export_markdown_renders_as_a_reader_expects(paused_mid_sentence):
    """Rendered as GitHub would (tables, task lists): fillers bold, the pause in place, points ticked."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = run_cli("export", str(paused_mid_sentence)).stdout
    html = MarkdownIt("gfm-like").use(tasklists_plugin).render(md)
    assert "<h1>Take 1: What is model drift, and how do you detect and handle it in production?</h1>" in html
    assert "<td>Fillers</td>\n<td>1 (" in html, "the measures are a table"
    # The pause sits between the words it fell between, not at the end of a line.
    assert "<li><code>0:00.5</code> We watch <em>(pause 3.1 s)</em> PSI, <strong>[uh,]</strong> against a training baseline.</li>" in html
    assert "<li><code>0:05.9</code> Then we retrain it.</li>" in html
    assert html.count('<li class="task-list-item">') == 7, "every rubric point is a checkbox"
    assert html.count('checked="checked"') == 1, "only the covered point is ticked"
    assert "<strong>Compares live features to a training baseline with a statistic</strong>: “PSI, uh, against a training baseline.” (said at 0:04.1)" in html
    assert "\\" not in html and "\\[" not in html, "no escape characters show"


def test_export_json_and_by_question(saved):
    one = json.loads(run_cli("export", str(saved[0]), "--format", "json").stdout)
    assert one["take"]["take"] == 2 and one["report"]["filler_count"] == 2
    both = json.loads(run_cli("export", "--question", "drift", "--format", "json").stdout)
    assert [x["take"]["take"] for x in both] == [1, 2]


def test_export_unknown_take_is_one_line():
    out = run_cli("export", "999")
    assert out.returncode == 2 and out.stderr.strip() == "mock-interview: error: no take with id 999"


def test_purge_needs_confirmation(saved):
    refused = run_cli("purge")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert len(json.loads(run_cli("history", "--json").stdout)) == 2
    done = run_cli("purge", "--yes")
    assert done.returncode == 0 and "deleted 2 takes" in done.stdout
    assert json.loads(run_cli("history", "--json").stdout) == []
