"""Pilot tests of follow-up questions, the mock interview with its summary, and the story timeline."""

from __future__ import annotations


from rich.console import Console
from textual.widgets import DataTable, Input, Static

from fakes import SIZE, FakeRecorder, FakeTranscriber, answer_audio, answer_words, make_app, pilot, text_of, wait_for
from helpers import timeline
from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.judge.questions import load_bank
from mock_interview.core.judge.summary import work_on_first
from mock_interview.tui.screens.dialogs import AskCount
from mock_interview.tui.screens.interview import InterviewScreen, Phase
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.summary import SummaryScreen
from mock_interview.tui.widgets import ElapsedClock, StoryTimeline
from mock_interview.tui.widgets.timeline import layout

BANK = """
[bank]
id = "practice"
title = "Practice"
guideline_s = 180

[[questions]]
id = "failure"
text = "Tell me about a time you failed."
kind = "behavioral"
follow_ups = ["How is that team doing today?", "What did you do yourself to fix it?"]

[[questions.rubric]]
id = "situation"
point = "Sets the scene"
phrasings = ["at my last job"]

[[questions.rubric]]
id = "mistake"
point = "Owns the mistake"
phrasings = ["i assumed"]

[[questions.rubric]]
id = "actions"
point = "Says what they did to recover"
strong = "Describes in the first person how they fixed it."
phrasings = ["i fixed", "fix it"]

[[questions.rubric]]
id = "result"
point = "Says how it ended"
phrasings = ["in the end"]

[[questions.rubric]]
id = "lesson"
point = "Names the lesson"
phrasings = ["i learned"]

[[questions]]
id = "pipeline"
text = "How would you keep a nightly training pipeline healthy?"
kind = "technical"
guideline_s = 120
follow_ups = ["What would you alert on?"]

[[questions.rubric]]
id = "pipeline"
point = "Talks about the training pipeline"
phrasings = ["training pipeline"]
"""

PROMPT = "What did you do yourself to fix it?"
REPLY = "I fixed the loader myself, and I told my manager the same day."
REPLY_WORDS = timeline(REPLY, start=0.6)
REPLY_AUDIO = answer_audio(REPLY_WORDS, seconds=6.0, seed=3)
ANSWER_S = len(answer_audio()) / SAMPLE_RATE


def practice(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(BANK, encoding="utf-8")
    return [load_bank(path)]


def follow_up_app(tmp_path, **kwargs):
    """An app whose microphone hears the answer, then the reply when the follow-up is recorded."""
    return make_app(
        tmp_path,
        recorder=FakeRecorder(follow_up_audio=REPLY_AUDIO),
        transcriber=FakeTranscriber(also=[(REPLY_WORDS, REPLY_AUDIO)]),
        banks=practice(tmp_path),
        follow_ups=True,
        **kwargs,
    )


def phase_is(app, phase: Phase, follow_up: bool | None = None) -> bool:
    screen = app.screen
    return (
        isinstance(screen, InterviewScreen)
        and screen.phase is phase
        and (follow_up is None or (screen.follow_up is not None) == follow_up)
    )


async def answer(app, pilot, seconds: float = ANSWER_S) -> None:
    """Let the fake microphone play ``seconds`` of the answer, then stop."""
    await wait_for(pilot, lambda: phase_is(app, Phase.RECORDING), what="recording")
    await wait_for(pilot, lambda: app.recorder.elapsed_s >= seconds, what="the whole answer")
    await pilot.press("space")


def plain(renderable) -> str:
    console = Console(width=200, record=True)
    console.print(renderable)
    return console.export_text()


# ---------------------------------------------------------------- one follow-up
@pilot
async def test_a_missed_point_is_followed_up_aloud_and_the_reply_counts_for_the_take(tmp_path):
    app = follow_up_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the behavioral question, first row
        await answer(app, pilot)
        # The answer never said what was done about it: the interviewer asks, aloud.
        await wait_for(pilot, lambda: phase_is(app, Phase.RECORDING, follow_up=True), what="the follow-up")
        screen = app.screen
        assert app.speaker.said == ["Tell me about a time you failed.", PROMPT]
        assert text_of(screen, "#question-text") == PROMPT
        assert text_of(screen, "#question-meta").startswith("Follow-up to “Tell me about a time you failed.”")
        assert screen.query_one(ElapsedClock).text.endswith("/ 1:00")
        assert app.recorder.path.name.endswith("-follow-up.wav")
        await answer(app, pilot, seconds=5.5)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        await pilot.pause()

        results = app.screen
        report = results.result.report
        actions = next(r for r in report.rubric if r.id == "actions")
        assert actions.covered and report.follow_up.covered == ["actions"]
        rubric = plain(results.query_one("#rubric", Static).content)
        assert "in the follow-up: “I fixed the loader myself" in rubric
        assert f"Follow-up (asked because: no action of your own): “{PROMPT}”" in rubric
        assert results.query_one("#rubric-box").border_title == "Rubric: 5 of 5 points covered"

        [take] = app.store.takes()
        assert (take.rubric_covered, take.rubric_total) == (5, 5), "the saved take counts the reply"
        saved = app.store.report_json(take.id)
        assert saved["follow_up"]["prompt"] == PROMPT
        assert saved["follow_up"]["transcript"] == REPLY
        assert next(r for r in saved["rubric"] if r["id"] == "actions")["in_follow_up"] is True
        assert saved["transcript"] == " ".join(w.text for w in answer_words()), "the answer's own transcript"
        # Each recording's decoder was told what was read aloud before it.
        told = app.transcriber.contexts
        assert told[0] == "Tell me about a time you failed.".split() and PROMPT.split() in told


@pilot
async def test_escape_skips_the_follow_up_and_shows_the_answer_alone(tmp_path):
    app = follow_up_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await answer(app, pilot)
        await wait_for(pilot, lambda: phase_is(app, Phase.RECORDING, follow_up=True), what="the follow-up")
        reply_audio = app.recorder.path
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        assert app.screen.result.report.follow_up is None
        assert app.screen.query_one("#rubric-box").border_title == "Rubric: 4 of 5 points covered"
        [take] = app.store.takes()
        assert take.rubric_covered == app.screen.result.report.covered == 4
        assert app.store.report_json(take.id)["follow_up"] is None
        assert not reply_audio.exists(), "the skipped reply's audio is deleted"


@pilot
async def test_follow_ups_can_be_switched_off(tmp_path):
    app = follow_up_app(tmp_path)
    app.follow_ups = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await answer(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        assert app.speaker.said == ["Tell me about a time you failed."]
        assert app.recorder.starts == 1


@pilot
async def test_an_answer_that_missed_nothing_gets_no_follow_up(tmp_path):
    app = follow_up_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")  # the technical question: the answer covers its one point
        await answer(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        assert app.recorder.starts == 1 and app.screen.result.report.follow_up is None


# ---------------------------------------------------------------- the mock interview
@pilot
async def test_a_two_question_mock_interview_with_a_follow_up_ends_in_one_summary(tmp_path):
    app = follow_up_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, AskCount))
        app.screen.query_one(Input).value = "2"
        await pilot.press("enter")
        kinds = []
        for n in (1, 2):
            await wait_for(pilot, lambda: phase_is(app, Phase.RECORDING, follow_up=False), what=f"question {n}")
            assert text_of(app.screen, "#question-meta").startswith(f"Question {n} of 2 · ")
            question = app.screen.question
            kinds.append(question.kind)
            await answer(app, pilot)
            if question.kind == "behavioral":
                await wait_for(pilot, lambda: phase_is(app, Phase.RECORDING, follow_up=True), what="the follow-up")
                assert text_of(app.screen, "#question-meta").startswith(f"Question {n} of 2 · Follow-up to")
                await answer(app, pilot, seconds=5.5)
            await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what=f"results {n}")
            await pilot.press("n")
        assert sorted(kinds) == ["behavioral", "technical"], "the kinds are mixed"
        assert app.speaker.said.count(PROMPT) == 1

        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="the summary")
        await pilot.pause()
        summary = app.screen
        assert text_of(summary, "#summary-title") == "Mock interview finished: 2 of 2 questions answered"
        table = summary.query_one(DataTable)
        rows = {table.get_row_at(i)[1].plain: table.get_row_at(i) for i in range(table.row_count)}
        [story] = [row for text, row in rows.items() if text.startswith("Tell me about a time you f")]
        assert story[2].plain == "0:14 / 3:00"
        assert story[4] == "5 of 5" and story[5].plain == "no action" and story[6] == "asked, +1"
        [technical] = [row for text, row in rows.items() if text.startswith("How would you keep a nightly")]
        assert technical[4] == "1 of 1" and technical[5] == "-" and technical[6] == "-"

        work_on = text_of(summary, "#work-on")
        expected = work_on_first([r.report for r in summary.session.results.values()])
        assert expected, "the fake answers leave something to work on"
        assert [line for line in work_on.splitlines() if line[:2] in ("1.", "2.", "3.")] == [
            f"{n}. {issue.title}" for n, issue in enumerate(expected, start=1)
        ]
        # The story said what was done only when asked, and its set-up was long.
        assert "Say what you did yourself" in work_on and "(you gave it only when asked)" in work_on
        assert "Get through the set-up faster" in work_on

        saved = [app.store.report_json(t.id) for t in app.store.takes()]
        assert sum(1 for r in saved if r["follow_up"]) == 1


# ---------------------------------------------------------------- the story timeline
def test_the_timeline_puts_phases_and_the_guideline_in_proportion():
    from mock_interview.core.judge.structure import Phase as StoryPhase

    phases = [StoryPhase("situation", 10.0, 70.0, 0, 2), StoryPhase("action", 70.0, 100.0, 3, 4),
              StoryPhase("result", 100.0, 130.0, 5, 5)]
    plan = layout(phases, 180, 90)  # 180 s on 90 columns: 2 s a column
    assert [(s.name, s.first, s.end) for s in plan.segments] == [("situation", 0, 30), ("action", 30, 45), ("result", 45, 60)]
    assert plan.marker == 89 and plan.spoken == 60
    over = layout(phases, 60, 60)  # 120 s spoken against 60: the marker half way along
    assert over.marker == 30 and over.segments[-1].end == 60


@pilot
async def test_the_results_of_a_story_show_its_timeline(tmp_path):
    app = follow_up_app(tmp_path)
    app.follow_ups = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await answer(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        await pilot.pause()
        timeline_widget = app.screen.query_one(StoryTimeline)
        bar, scale, note = timeline_widget.render().plain.split("\n")
        names = [p.name for p in app.screen.result.report.structure.phases]
        assert names == ["situation", "obstacle", "result", "lesson"]
        # 14 s of a 3:00 guideline: each phase too narrow for its name shows its initial, in story order,
        # then the time left runs to the guideline's marker at the end.
        assert "".join(ch for ch in bar if ch.isalpha()) == "SORL"
        assert bar.endswith("░┃") and bar.count("┃") == 1
        assert bar.index("L") < len(bar) * 14.2 / 180 + 1
        assert scale.startswith("0:00") and "0:14" in scale and scale.rstrip().endswith("guideline 3:00 ▲")
        assert scale.index("▲") == bar.index("┃")
        # Beside it: who acted, and where the minutes went against the story's budget.
        assert note.startswith("set-up ") and "(at most a third)" in note  # no action phase: no I/we count
