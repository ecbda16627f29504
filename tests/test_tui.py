"""Pilot tests: every screen driven by keys, with fake microphone, voice and model."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile
from textual.widgets import DataTable, Input, Static

from fakes import SIZE, FakeRecorder, FakeSpeaker, FakeTranscriber, answer_audio, answer_words, make_app, pilot, text_of, wait_for
from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.errors import ModelError
from mock_interview.core.store.banks import load_banks
from mock_interview.core.recorder import DeviceError
from mock_interview.core.store.recovery import find_unfinished, write_marker
from mock_interview.core.report import build_report
from mock_interview.core.voice import VoiceError
from mock_interview.tui.app import LOADING, READY
from mock_interview.tui.screens.dialogs import AskAudioFile, AskCount, ConfirmAbandon, OfferRecovery
from mock_interview.tui.screens.home import HomeScreen
from mock_interview.tui.screens.interview import InterviewScreen, Phase
from mock_interview.tui.screens.results import ResultsScreen
from mock_interview.tui.screens.summary import SummaryScreen
from mock_interview.tui.widgets import ElapsedClock, LevelMeter

FIRST = load_banks()[0].questions[0]  # behavioral:failure, the first row on the home screen
ANSWER_S = len(answer_audio()) / SAMPLE_RATE


def recording(app) -> bool:
    return isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING


async def record_and_stop(app, pilot, keys: tuple[str, ...] = ("enter",)) -> ResultsScreen:
    """From home: start a take, let the whole answer play, stop, wait for the report."""
    await pilot.press(*keys)
    await wait_for(pilot, lambda: recording(app), what="recording")
    await wait_for(pilot, lambda: app.recorder.elapsed_s >= ANSWER_S, what="the whole answer")
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
    return app.screen


# ---------------------------------------------------------------- home
@pilot
async def test_home_lists_every_question_of_the_builtin_banks(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#questions", DataTable)
        assert table.row_count == 16
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        shown = [r[1].plain for r in rows]
        assert shown[0] == "Tell me about a time you failed."
        for text, question in zip(shown, app.questions):
            assert text == question.text or (text.endswith("…") and question.text.startswith(text[:-1]))
        drift = next(r for r in rows if r[1].plain.startswith("What is model drift"))
        assert drift[2:] == ["technical", "2:00"]
        assert sum(1 for r in rows if r[0]) == 2, "each bank's title once"


@pilot
async def test_home_appears_before_the_model_has_loaded(tmp_path):
    gate = threading.Event()
    app = make_app(tmp_path, transcriber=FakeTranscriber(gate=gate))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
        assert text_of(app.screen, "#model-status") == LOADING
        gate.set()
        await wait_for(pilot, lambda: text_of(app.screen, "#model-status") == READY, what="model ready")


@pilot
async def test_a_model_that_fails_to_load_is_said_in_one_line(tmp_path):
    class Broken(FakeTranscriber):
        def load(self) -> None:
            raise ModelError("the bundled speech model is not installed: run `make setup`")

    app = make_app(tmp_path, transcriber=Broken())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "not installed" in text_of(app.screen, "#model-status"))
        assert text_of(app.screen, "#model-status").startswith("Speech model not loaded: ")
        assert isinstance(app.screen, HomeScreen)


# ---------------------------------------------------------------- interview
@pilot
async def test_practising_reads_the_question_then_cues_then_records(tmp_path):
    log: list[str] = []
    app = make_app(tmp_path, log=log)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app), what="recording")
        assert log == [f"say:{FIRST.text}", "cue:start", "record:start"]
        assert text_of(app.screen, "#question-text") == FIRST.text
        assert app.recorder.path.parent == tmp_path / "audio"


@pilot
async def test_recording_shows_the_clock_the_level_and_the_words_so_far(tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: "pipeline." in text_of(app.screen, "#live-transcript"), what="live words")
        # The first sentence is in before the answer is over: it was transcribed while recording.
        assert app.recorder.recording
        clock = app.screen.query_one(ElapsedClock)
        assert clock.text.endswith(" / 3:00") and clock.elapsed > 0
        assert clock.has_class("calm")
        await wait_for(pilot, lambda: app.screen.query_one(LevelMeter).level > 0, what="a level")


@pytest.mark.parametrize(
    ("frozen_at", "zone", "cues"),
    [(100.0, "calm", []), (155.0, "wrap-up", ["wrap-up"]), (185.0, "over", ["wrap-up"])],
)
@pilot
async def test_clock_colours_and_the_wrap_up_cue(tmp_path, frozen_at, zone, cues):
    speaker = FakeSpeaker()
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=frozen_at), speaker=speaker)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app))
        clock = app.screen.query_one(ElapsedClock)
        await wait_for(pilot, lambda: clock.elapsed == frozen_at)
        await pilot.pause(0.3)  # several more ticks: the cue still plays only once
        assert clock.has_class(zone) and sum(clock.has_class(z) for z in ("calm", "wrap-up", "over")) == 1
        assert [c for c in speaker.cues if c != "start"] == cues


@pilot
async def test_the_wrap_up_cue_can_be_switched_off(tmp_path):
    speaker = FakeSpeaker()
    app = make_app(tmp_path, recorder=FakeRecorder(frozen_at=160.0), speaker=speaker)
    app.wrap_up_cue_s = None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app) and app.screen.query_one(ElapsedClock).elapsed == 160.0)
        await pilot.pause(0.3)
        assert app.screen.query_one(ElapsedClock).has_class("wrap-up")
        assert speaker.cues == ["start"]


@pilot
async def test_space_while_the_question_is_read_starts_recording_at_once(tmp_path):
    log: list[str] = []
    speaker = FakeSpeaker(log=log, hold=True)
    app = make_app(tmp_path, speaker=speaker, log=log)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, speaker.speaking.is_set, what="the question being read")
        assert app.screen.phase is Phase.READING
        await pilot.press("space")
        await wait_for(pilot, lambda: recording(app), timeout=2.0, what="recording")
        assert speaker.stops >= 1
        assert log == [f"say:{FIRST.text}", "record:start"]


@pilot
async def test_p_replays_the_question(tmp_path):
    speaker = FakeSpeaker()
    app = make_app(tmp_path, speaker=speaker)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app))
        await pilot.press("p")
        await wait_for(pilot, lambda: len(speaker.said) == 2)
        assert speaker.said == [FIRST.text, FIRST.text]


@pilot
async def test_escape_abandons_the_take_after_confirming_and_deletes_its_audio(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app) and app.recorder.elapsed_s > 0.3)
        audio = app.recorder.path
        assert audio.exists()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAbandon))
        await pilot.press("n")
        await pilot.pause(0.2)
        assert recording(app), "n keeps recording"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAbandon))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        assert not audio.exists()
        assert not app.recorder.recording
        assert app.store.takes() == []
        assert find_unfinished(tmp_path / "audio") == []


# ---------------------------------------------------------------- results
@pilot
async def test_stop_shows_the_report_and_saves_the_take(tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder())
    async with app.run_test(size=SIZE) as pilot:
        results = await record_and_stop(app, pilot)
        await pilot.pause()
        expected = build_report(answer_words(), results.result.report.analysis.duration_s, FIRST)
        assert 0 < expected.covered < len(expected.rubric), "the fake answer covers some points, not all"
        assert text_of(results, "#results-title") == f"Take 1 · {FIRST.text}"
        assert results.query_one("#rubric-box").border_title == (
            f"Rubric: {expected.covered} of {len(expected.rubric)} points covered"
        )
        stats = results.result.report.analysis
        assert len(stats.fillers) == 1 and stats.fillers[0].text.lower() == "um"
        transcript = results.query_one("#transcript", Static).content
        assert "⏸ 2.6s" in transcript.plain and transcript.plain.startswith("At my last job")
        filler_spans = [transcript.plain[s.start : s.end] for s in transcript.spans if s.style]
        assert "Um," in filler_spans

        [take] = app.store.takes()
        assert list((tmp_path / "audio").glob("*.recording")) == [], "a saved take is not an interrupted one"
        assert (take.number, take.question_id, take.filler_count) == (1, "failure", 1)
        assert (take.rubric_covered, take.rubric_total) == (expected.covered, len(expected.rubric))
        info = soundfile.info(take.audio_path)
        assert info.samplerate == SAMPLE_RATE and info.frames == app.recorder.elapsed_s * SAMPLE_RATE


@pilot
async def test_the_stats_panel_shows_fillers_and_pace(tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder())
    async with app.run_test(size=SIZE) as pilot:
        results = await record_and_stop(app, pilot)
        await pilot.pause()
        rows = {label: value for label, value, _ in _stats(results)}
        assert rows["Fillers"].startswith("1 (")
        assert rows["Pace"].endswith("words per minute")
        assert rows["Speaking time"].endswith("/ 3:00")
        assert "heard by" not in rows["Recording"]  # the fake transcriber names no model


@pilot
async def test_the_stats_panel_names_the_speech_model(tmp_path):
    transcriber = FakeTranscriber()
    transcriber.name = "base"
    app = make_app(tmp_path, recorder=FakeRecorder(), transcriber=transcriber)
    async with app.run_test(size=SIZE) as pilot:
        results = await record_and_stop(app, pilot)
        await pilot.pause()
        rows = {label: value for label, value, _ in _stats(results)}
        assert rows["Recording"].endswith(", heard by base")


@pilot
async def test_a_behavioral_answer_shows_its_story_phases(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        results = await record_and_stop(app, pilot)
        await pilot.pause()
        structure = results.result.report.structure
        story = results.query_one("#rubric", Static).content.renderables[0]
        assert story.plain.startswith("Story: ")
        for phase in structure.phases:
            assert phase.name in story.plain
        for flag in structure.flags:
            assert flag.message in story.plain
        assert not results.query_one("#results-nothing").display, "speech was heard: no muted-microphone notice"
        assert text_of(results, "#results-nothing") == ""


@pilot
async def test_a_take_in_which_no_speech_was_heard_says_so_and_why(tmp_path):
    silence = np.zeros(int(ANSWER_S * SAMPLE_RATE), dtype=np.float32)  # a muted microphone
    app = make_app(tmp_path, recorder=FakeRecorder(audio=silence))
    async with app.run_test(size=SIZE) as pilot:
        results = await record_and_stop(app, pilot)
        await pilot.pause()
        assert results.query_one("#results-nothing").display
        notice = text_of(results, "#results-nothing")
        assert notice.startswith("No speech was heard in this take. If you spoke, the microphone may be muted")
        assert "mock-interview doctor" in notice
        first = results.query_one("#rubric", Static).content.renderables[0]
        assert first.plain.startswith("Nothing to judge: no speech was heard."), "not 'you missed every point'"
        shown = "\n".join(getattr(r, "plain", str(r)) for r in results.query_one("#rubric", Static).content.renderables)
        assert "missing:" not in shown, "no story phases said to be missing from silence"
        assert [t.number for t in app.store.takes(question_id="failure")] == [1], "the take is kept all the same"


@pilot
async def test_recording_from_an_input_that_sends_no_sound_asks_whether_it_is_muted(tmp_path):
    silence = np.zeros(int(ANSWER_S * SAMPLE_RATE), dtype=np.float32)
    app = make_app(tmp_path, recorder=FakeRecorder(audio=silence))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app), what="recording")
        await wait_for(pilot, lambda: app.recorder.elapsed_s >= 7, what="seven silent seconds")
        await wait_for(pilot, lambda: "no sound from the microphone" in text_of(app.screen, "#interview-status"),
                       what="the muted-microphone hint")
        assert text_of(app.screen, "#interview-status").startswith("● Recording, but no sound from the microphone for ")


@pilot
async def test_recording_an_answer_never_asks_whether_the_microphone_is_muted(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app), what="recording")
        said = []
        while app.recorder.elapsed_s < ANSWER_S - 1:
            said.append(text_of(app.screen, "#interview-status"))
            await pilot.pause(0.05)
        assert said and not any("no sound" in line for line in said)


def _stats(results: ResultsScreen):
    from mock_interview.tui.format import stats_rows

    return stats_rows(results.result.report)


@pilot
async def test_retry_records_the_next_take(tmp_path):
    app = make_app(tmp_path, recorder=FakeRecorder())
    async with app.run_test(size=SIZE) as pilot:
        first = (await record_and_stop(app, pilot)).result.report
        results = await record_and_stop(app, pilot, keys=("r",))
        assert text_of(results, "#results-title") == f"Take 2 · {FIRST.text}"
        assert text_of(results, "#results-subtitle").endswith(
            f"Take 1 was 0:14, 1 fillers, {first.covered} of {len(first.rubric)} points"
        )
        assert [t.number for t in app.store.takes(question_id="failure")] == [2, 1]


@pilot
async def test_next_goes_to_the_next_question_of_the_bank_and_home_goes_home(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await record_and_stop(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.question.id == "conflict"
        await wait_for(pilot, lambda: recording(app))
        await pilot.press("escape")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await record_and_stop(app, pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(app.screen_stack) == 1


# ---------------------------------------------------------------- more ways in
@pilot
async def test_random_question(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.question in app.questions


@pilot
async def test_a_mock_interview_asks_n_questions_and_sums_them_up(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, AskCount))
        assert app.screen.query_one(Input).value == "3"
        await pilot.press("backspace", "2", "enter")
        asked = []
        for n in (1, 2):
            await wait_for(pilot, lambda: recording(app))
            assert text_of(app.screen, "#question-meta").startswith(f"Question {n} of 2 · ")
            asked.append(app.screen.question)
            await pilot.press("space")
            await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert [table.get_row_at(i)[4] for i in range(2)] == [
            f"{r.report.covered} of {len(r.report.rubric)}" for r in app.screen.session.results.values()
        ]
        assert len({q.qualified_id for q in asked}) == 2


@pilot
async def test_the_command_palette_offers_the_same_actions(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"mock int")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AskCount), what="the mock interview dialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p")
        await pilot.press(*"model drift")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.question.id == "drift"


# ---------------------------------------------------------------- missing parts, failures
@pilot
async def test_without_microphone_and_voice_the_app_starts_and_answers_from_a_file(tmp_path):
    wav = tmp_path / "answer.wav"
    soundfile.write(wav, answer_audio(), SAMPLE_RATE)
    transcriber = FakeTranscriber()
    app = make_app(tmp_path, recorder=None, speaker=None, transcriber=transcriber)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        problems = text_of(app.screen, "#problems").splitlines()
        assert len(problems) == 2
        assert problems == [
            "⚠ No microphone: answer from an audio file with f",
            "⚠ No interviewer voice: the questions are shown as text",
        ]

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert text_of(app.screen, "#question-text") == FIRST.text
        assert app.screen.phase is Phase.NO_MIC
        assert "press f to answer from an audio file" in text_of(app.screen, "#interview-status")
        assert not app.screen.query_one("#meters").display, "no clock when nothing can be recorded"
        await pilot.press("space")  # nothing to start
        assert app.screen.phase is Phase.NO_MIC

        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskAudioFile))
        app.screen.query_one(Input).value = str(wav)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), what="the results")
        report = app.screen.result.report
        assert report.analysis.transcript == " ".join(w.text for w in answer_words())
        assert app.screen.query_one("#rubric-box").border_title.startswith(f"Rubric: {report.covered} of ")
        [take] = app.store.takes()
        assert take.audio_path != str(wav) and soundfile.info(take.audio_path).frames == len(answer_audio())


@pilot
async def test_f_on_home_answers_the_selected_question_from_a_file(tmp_path):
    wav = tmp_path / "answer.flac"
    soundfile.write(wav, answer_audio(), SAMPLE_RATE)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskAudioFile))
        app.screen.query_one(Input).value = str(wav)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.screen.result.question.id == "conflict"
        assert app.speaker.said == [], "answering from a file does not read the question"


@pilot
async def test_a_silent_file_says_it_holds_no_voice(tmp_path):
    wav = tmp_path / "silence.wav"
    soundfile.write(wav, np.zeros(5 * SAMPLE_RATE), SAMPLE_RATE)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskAudioFile))
        app.screen.query_one(Input).value = str(wav)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.pause()
        notice = text_of(app.screen, "#results-nothing")
        assert notice.startswith("No speech was heard in this file: it is silent or holds no voice.")
        assert "microphone" not in notice, "a file has no microphone to blame"


@pilot
async def test_a_bad_audio_file_is_one_line_and_the_app_goes_on(tmp_path):
    app = make_app(tmp_path, recorder=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.NO_MIC)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, AskAudioFile))
        app.screen.query_one(Input).value = str(tmp_path / "nothing.wav")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.phase is Phase.FAILED, what="the failure")
        status = text_of(app.screen, "#interview-status")
        assert status.startswith(f"audio file not found: {tmp_path / 'nothing.wav'}")
        assert "\n" not in status
        assert any("audio file not found" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


@pilot
async def test_a_microphone_that_fails_to_open_is_said_and_a_file_offered(tmp_path):
    class Unplugged(FakeRecorder):
        def start(self, path):
            raise DeviceError("cannot open the microphone: device unavailable")

    app = make_app(tmp_path, recorder=Unplugged())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.FAILED)
        assert text_of(app.screen, "#interview-status").startswith("cannot open the microphone: device unavailable")
        assert app.screen.check_action("answer_file", ()) is True


@pilot
async def test_a_voice_that_fails_is_dropped_and_the_take_goes_on(tmp_path):
    class Mute(FakeSpeaker):
        def say(self, text: str) -> None:
            raise VoiceError("no speech engine (RuntimeError): install espeak-ng")

    app = make_app(tmp_path, speaker=Mute())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app), what="recording without a voice")
        await wait_for(pilot, lambda: app.speaker is None)
        assert app.problems["voice"].startswith("no speech engine")
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "⚠ No speech engine (RuntimeError): install espeak-ng" in text_of(app.screen, "#problems")


@pilot
async def test_a_transcription_failure_is_shown_and_nothing_crashes(tmp_path):
    class Failing(FakeTranscriber):
        def transcribe(self, samples: np.ndarray, context=()):
            raise ModelError("cannot load speech model: out of memory")

    app = make_app(tmp_path, transcriber=Failing())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app) and app.recorder.elapsed_s >= ANSWER_S)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.screen.phase is Phase.FAILED)
        assert "out of memory" in text_of(app.screen, "#interview-status")
        assert app.is_running


@pilot
async def test_quitting_mid_take_closes_the_microphone_and_keeps_the_take_recoverable(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, lambda: recording(app) and app.recorder.elapsed_s > 2)
    assert not app.recorder.recording
    [unfinished] = find_unfinished(tmp_path / "audio")
    assert unfinished.audio == app.recorder.path and unfinished.question == FIRST.qualified_id


def _interrupted_take(tmp_path) -> Path:
    audio = tmp_path / "audio" / "behavioral-failure-interrupted.wav"
    audio.parent.mkdir(parents=True)
    soundfile.write(audio, answer_audio(), SAMPLE_RATE, subtype="PCM_16")
    write_marker(audio, FIRST.qualified_id)
    return audio


@pilot
async def test_a_take_interrupted_last_time_is_offered_and_recovered(tmp_path):
    audio = _interrupted_take(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OfferRecovery) and app.screen.query(".dialog-list"), what="the offer")
        assert FIRST.text in text_of(app.screen, ".dialog-list")
        await pilot.press("r")
        await wait_for(pilot, lambda: app.store.takes(), what="the recovered take")
        [take] = app.store.takes()
        assert take.question_id == "failure" and take.audio_path == str(audio) and take.filler_count == 1
        await wait_for(pilot, lambda: any("Recovered and saved: take 1 of failure" in n.message for n in app._notifications))
        assert find_unfinished(tmp_path / "audio") == []


@pilot
async def test_an_interrupted_take_can_be_deleted_or_kept(tmp_path):
    audio = _interrupted_take(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OfferRecovery))
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert audio.exists()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OfferRecovery))
        await pilot.press("d")
        await wait_for(pilot, lambda: not audio.exists())
        assert find_unfinished(tmp_path / "audio") == [] and app.store.takes() == []


# ---------------------------------------------------------------- starting for real
def test_missing_parts_are_named_and_the_rest_still_loads(monkeypatch, isolated_home):
    """No microphone, no voice, a broken bank of the user's: the app gets what works."""
    import argparse

    from mock_interview.tui import main

    def no_mic(device: str = ""):
        raise DeviceError("no microphone found: plug one in (or check the sound settings), or answer from an audio file")

    def no_voice(voice):
        raise VoiceError(f"unknown voice '{voice}': choose one of brisk, default, joe")

    monkeypatch.setattr(main, "open_recorder", no_mic)
    monkeypatch.setattr(main, "open_speaker", no_voice)
    user_banks = isolated_home / "config" / "questions"
    user_banks.mkdir(parents=True)
    (user_banks / "mine.toml").write_text("[bank]\nid = 'mine'\n", encoding="utf-8")

    started = []
    monkeypatch.setattr(main.MockInterviewApp, "run", lambda self: started.append(self), raising=False)
    args = argparse.Namespace(voice="nobody", bank=[], model=None, allow_download=False)
    assert main.run_app(args) == 0
    [app] = started
    assert app.recorder is None and app.speaker is None
    assert len(app.questions) == 16
    lines = app.problem_lines()
    assert lines[0].startswith("⚠ ") and "mine.toml" in lines[0]
    assert "⚠ No microphone found: plug one in (or check the sound settings), or answer from an audio file" in lines
    assert "⚠ Unknown voice 'nobody': choose one of brisk, default, joe" in lines


def test_an_unknown_first_question_stops_before_the_app_starts(monkeypatch):
    import argparse

    from mock_interview.core.errors import BankError
    from mock_interview.tui import main

    monkeypatch.setattr(main, "open_recorder", lambda device="": FakeRecorder())
    monkeypatch.setattr(main, "open_speaker", lambda voice: FakeSpeaker())
    args = argparse.Namespace(voice=None, bank=[], model=None, allow_download=False, question="nosuch")
    with pytest.raises(BankError, match="unknown question id 'nosuch'"):
        main.run_app(args)


@pilot
async def test_the_app_can_open_straight_into_a_question(tmp_path):
    drift = next(q for q in load_banks()[1].questions if q.id == "drift")
    app = make_app(tmp_path, first_question=drift)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: recording(app))
        assert app.screen.question == drift
        assert app.speaker.said == [drift.text]
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


def test_every_key_says_what_it_does():
    from mock_interview.tui.screens import dialogs

    from mock_interview.tui.screens import stories

    classes = [HomeScreen, InterviewScreen, ResultsScreen, SummaryScreen,
               dialogs.AskCount, dialogs.AskAudioFile, dialogs.ConfirmAbandon, dialogs.OfferRecovery,
               stories.StoriesScreen, stories.StoryForm, dialogs.ConfirmDelete]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.description, f"{cls.__name__}: key {binding.key} has no description"
