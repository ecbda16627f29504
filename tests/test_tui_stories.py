"""Pilot tests of My stories: adding, rehearsing, comparing takes, editing and deleting a story."""

from __future__ import annotations

from fakes import (
    SIZE,
    FakeRecorder,
    FakeTranscriber,
    answer_audio,
    make_app,
    pilot,
    text_of,
    wait_for,
)
from helpers import timeline
from rich.console import Console
from textual.widgets import DataTable, Input, SelectionList, Static, TextArea

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.tui.screens.dialogs import ConfirmDelete
from mock_interview.tui.screens.home import HomeScreen
from mock_interview.tui.screens.interview import InterviewScreen, Phase
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.stories import EMPTY, StoriesScreen, StoryForm

POINTS = ["assumed the schema would never change", "lost two days", "rolled back the loader", "check the data first"]
SECOND = (
    "At my last job I owned the nightly training pipeline. "
    "I rolled back the loader within an hour. I learned to check the data first."
)
SECOND_WORDS = timeline(SECOND, start=0.5)
SECOND_AUDIO = answer_audio(SECOND_WORDS, seconds=10.0, seed=5)


def plain(renderable) -> str:
    console = Console(width=200, record=True)
    console.print(renderable)
    return console.export_text()


def story_app(tmp_path):
    return make_app(tmp_path, recorder=FakeRecorder(),
                    transcriber=FakeTranscriber(also=[(SECOND_WORDS, SECOND_AUDIO)]))


async def rehearse(app, pilot, keys: tuple[str, ...]) -> ResultsScreen:
    await pilot.press(*keys)
    await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING)
    seconds = len(app.recorder.current) / SAMPLE_RATE
    await wait_for(pilot, lambda: app.recorder.elapsed_s >= seconds, what="the whole answer")
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
    await pilot.pause()
    return app.screen


@pilot
async def test_a_story_is_added_rehearsed_compared_edited_and_deleted(tmp_path):
    app = story_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.focused, DataTable))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen))
        assert text_of(app.screen, "#stories-empty") == EMPTY
        assert app.screen.check_action("rehearse", ()) is False, "nothing to rehearse yet"

        # -- add: the form says what is missing, in one line
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryForm))
        form = app.screen
        await pilot.press(*"Schema night")
        await pilot.press("tab")  # to the questions
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, StoryForm)
        assert text_of(form, "#story-error") == "⚠ Pick at least one question the story answers"
        assert form.query_one(SelectionList).has_focus
        await pilot.press("space")  # ticks the first: "Tell me about a time you failed."
        await pilot.press("tab")
        assert form.query_one(TextArea).has_focus
        for n, point in enumerate(POINTS):
            await pilot.press(*point)
            if n < len(POINTS) - 1:
                await pilot.press("enter")
        form.query_one("#story-target", Input).value = "2:00"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen) and app.screen.query_one(DataTable).row_count == 1,
                       what="the saved story in the list")
        [story] = app.store.stories()
        assert (story.title, story.questions, story.points, story.target_s) == (
            "Schema night", ("behavioral:failure",), tuple(POINTS), 120)
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert row[0].plain == "Schema night" and row[2:] == ["4", "2:00", "none yet"]
        assert "Talking points: assumed the schema would never change · lost two days" in text_of(app.screen, "#story-details")

        # -- rehearse: the interviewer asks the question the story answers, timed to its target
        results = await rehearse(app, pilot, ("enter",))
        assert results.result.question.id == "failure"
        assert app.speaker.said == ["Tell me about a time you failed."]
        subtitle = text_of(results, "#results-subtitle")
        assert subtitle.startswith("Story “Schema night” · ") and subtitle.endswith("First take of this story")
        rubric = plain(results.query_one("#rubric", Static).content)
        assert "Talking points: 3 of 4 · story “Schema night”, target 2:00" in rubric
        assert "✘ rolled back the loader" in rubric and "First take of this story." in rubric
        assert _stat(results, "Speaking time").endswith("/ 2:00")
        [take] = app.store.story_takes(story.id)
        assert app.store.report_json(take.id)["story"]["covered"] == 3

        # -- retry, telling it differently: what appeared and what disappeared
        app.recorder.audio = SECOND_AUDIO
        results = await rehearse(app, pilot, ("r",))
        assert text_of(results, "#results-subtitle").endswith(
            f"last take of this story: Take 1 was 0:14, 1 fillers, {take.rubric_covered} of {take.rubric_total} points")
        rubric = plain(results.query_one("#rubric", Static).content)
        assert "Talking points: 2 of 4" in rubric
        assert "+ now said: rolled back the loader" in rubric
        assert "− no longer said: assumed the schema would never change" in rubric
        assert "− no longer said: lost two days" in rubric
        assert "check the data first" not in rubric.split("Since the previous take of this story:")[1].split("\n\n")[0]
        assert len(app.store.story_takes(story.id)) == 2

        # -- the list shows the takes; edit the target; delete the story
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen))
        assert app.screen.query_one(DataTable).get_row_at(0)[4] == "2, last 2/4"
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryForm))
        assert app.screen.query_one("#story-title", Input).value == "Schema night"
        assert app.screen.query_one(SelectionList).selected == ["behavioral:failure"]
        assert app.screen.query_one(TextArea).text == "\n".join(POINTS)
        app.screen.query_one("#story-target", Input).value = "150"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen)
                       and app.screen.query_one(DataTable).get_row_at(0)[3] == "2:30", what="the edited target")
        assert app.store.get_story(story.id).target_s == 150

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen) and app.store.stories() == [])
        await wait_for(pilot, lambda: app.screen.query_one("#stories-empty").display, what="the empty list")
        assert len(app.store.takes()) == 2, "the takes stay in the history"


@pilot
async def test_a_story_whose_questions_are_not_loaded_says_so(tmp_path):
    from mock_interview.core.judge.stories import make_story

    app = story_app(tmp_path)
    app.store.add_story(make_story("Old bank", ["gone:question"], ["a point"]))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.focused, DataTable))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen) and app.screen.query_one(DataTable).row_count == 1)
        assert "(not loaded)" in text_of(app.screen, "#story-details")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("None of the questions" in n.message for n in app._notifications))
        assert isinstance(app.screen, StoriesScreen)


def _stats(results):
    from mock_interview.tui.format import stats_rows

    return stats_rows(results.result.report)


def _stat(results, label):
    return next(value for name, value, _ in _stats(results) if name == label)
