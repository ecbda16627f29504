"""No speech without words, and no filter that deletes real words.

The stream tests use the fake microphone's audio (sound while a word is said) with an
energy VAD, and fake transcribers that drop a span of a long chunk as Whisper does when
it jumps its timestamps. The filter tests feed Whisper-shaped segments holding real
words that look like what each filter removes.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from fakes import FakeTranscriber, answer_audio, answer_words, energy_vad
from mock_interview.core.delivery.analysis import analyze_words
from mock_interview.core.report import build_report
from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.chunker import ChunkerOptions
from mock_interview.core.speech.coverage import bare_stretches
from mock_interview.core.speech.live import LiveTranscription
from mock_interview.core.speech.transcribe import TranscribeOptions, words_from_segments
from mock_interview.core.speech.vad import Region
from mock_interview.core.speech.words import Word
from mock_interview.core.store.export import transcript_lines
from mock_interview.core.textreport import marked_transcript

SMALL = ChunkerOptions(min_chunk_s=4, max_chunk_s=20)


class DropsSpan(FakeTranscriber):
    """Returns no words between ``lost`` seconds of the whole take for pieces longer than ``alone_s``.

    ``again``: whether the span, transcribed on its own (a short piece), comes back.
    """

    def __init__(self, lost: tuple[float, float], again: bool = True, alone_s: float = 3.0):
        super().__init__()
        self.lost = lost
        self.again = again
        self.alone_s = alone_s

    def transcribe(self, samples):
        words = super().transcribe(samples)
        start = self._offset(samples)
        if start is None or (self.again and len(samples) / SAMPLE_RATE <= self.alone_s):
            return words
        t0 = start / SAMPLE_RATE
        return [w for w in words if not (self.lost[0] <= w.start + t0 < self.lost[1])]


def stream(fake, audio):
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad)
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
    return live.finish(), live.uncovered


LOST = (7.0, 9.5)
"""Eight words of the answer ("Um, the problem was that I assumed the")."""


def lost_words():
    return [w.text for w in answer_words() if LOST[0] <= w.start < LOST[1]]


def test_a_span_a_chunk_dropped_is_transcribed_again_and_comes_back():
    fake = DropsSpan(LOST)
    words, uncovered = stream(fake, answer_audio())
    assert [w.text for w in words] == [w.text for w in answer_words()]
    assert uncovered == []
    assert any(s <= 3.0 for s in fake.heard)  # the retry was a short piece of its own


def test_a_span_still_bare_after_the_retry_is_uncovered_not_a_pause():
    fake = DropsSpan(LOST, again=False)
    words, uncovered = stream(fake, answer_audio())
    assert len(lost_words()) >= 6 and not set(lost_words()) & {w.text for w in words if 7.0 <= w.start < 9.5}
    assert len(uncovered) == 1
    assert uncovered[0].start == pytest.approx(7.0, abs=0.4) and uncovered[0].end == pytest.approx(9.4, abs=0.4)
    report = build_report(words, 16.0, uncovered=uncovered, model="tiny.en")
    # the only long pause is the real one (2.5 s after "pipeline."), not the bare speech
    assert [p.duration for p in report.analysis.pauses] == [pytest.approx(2.5, abs=0.1)]
    assert len(build_report(words, 16.0).analysis.pauses) == 2  # without the VAD's word, a false pause
    d = report.to_dict()
    assert d["uncovered"] == [{"start": uncovered[0].start, "end": uncovered[0].end}]
    assert d["model"] == "tiny.en"
    assert "[not transcribed 0:07-0:09]" in marked_transcript(report)
    assert "pause" not in marked_transcript(report).split("[not transcribed")[1].split("]")[0]
    assert any("not transcribed 0:07-0:09" in line for line in transcript_lines(d))


def test_a_stream_that_loses_nothing_marks_nothing_and_retries_nothing():
    fake = FakeTranscriber()
    words, uncovered = stream(fake, answer_audio())
    assert [w.text for w in words] == [w.text for w in answer_words()] and uncovered == []
    assert all(s > 3.0 for s in fake.heard)


def test_bare_stretches_are_speech_no_word_overlaps():
    words = [Word("a", 1.0, 1.3), Word("b", 3.0, 3.2)]
    regions = [Region(0.9, 3.4), Region(5.0, 5.4), Region(6.0, 7.0)]
    assert bare_stretches(regions, words) == [Region(1.55, 2.75), Region(6.0, 7.0)]  # 5.0-5.4 is too short


def test_pause_beside_uncovered_speech_counts_only_its_silent_part():
    words = [Word("one", 0.0, 0.5), Word("two", 8.0, 8.5)]
    a = analyze_words(words, 9.0, uncovered=[Region(3.0, 5.5)])
    assert [(p.start, p.end) for p in a.pauses] == [(0.5, 3.0), (5.5, 8.0)]
    assert [(p.start, p.end) for p in analyze_words(words, 9.0).pauses] == [(0.5, 8.0)]


# --- the post-filters, with real words that look like what they remove ---


@dataclass
class W:
    word: str
    start: float
    end: float
    probability: float = 0.9


@dataclass
class Seg:
    words: list
    no_speech_prob: float = 0.05
    avg_logprob: float = -0.3


def seg(text: str, start: float = 0.0, step: float = 0.35, p: float = 0.9, **kw) -> Seg:
    return Seg([W(" " + t, start + i * step, start + i * step + 0.3, p) for i, t in enumerate(text.split())], **kw)


def texts(words):
    return " ".join(w.text for w in words)


OPTS = TranscribeOptions()


@pytest.mark.parametrize(
    "said",
    [
        "He said the numbers were fine.",
        "Then he pushed back, and he asked me why.",
        "She laughed. Ha. That was the bug.",
        "We shipped it. He, he was right.",
        "The HA cluster failed over.",
    ],
)
def test_laughter_filter_keeps_he_and_ha_as_words(said):
    assert texts(words_from_segments([seg(said)], OPTS)) == said


@pytest.mark.parametrize("laugh", ["Ha-ha.", "Hahaha!", "hehe", "Ha ha ha."])
def test_laughter_filter_drops_laughter(laugh):
    out = words_from_segments([seg("It broke. " + laugh + " Then we fixed it.")], OPTS)
    assert texts(out) == "It broke. Then we fixed it."


def test_thank_you_said_on_purpose_is_kept():
    said = "I want to thank you for the time. Thank you."
    segs = [seg(said, step=0.4)]
    assert texts(words_from_segments(segs, OPTS)) == said


def test_thank_you_heard_by_the_vad_is_kept_even_if_the_model_is_unsure():
    s = seg("We rolled it back.")
    closer = seg("Thank you.", start=2.0, p=0.2)
    regions = [Region(0.0, 1.5), Region(1.9, 2.8)]
    assert texts(words_from_segments([s, closer], OPTS, regions)) == "We rolled it back. Thank you."


def test_invented_thank_you_over_silence_is_dropped():
    s = seg("We rolled it back.")
    closer = seg("Thank you.", start=3.0, p=0.2)
    regions = [Region(0.0, 1.5)]
    assert texts(words_from_segments([s, closer], OPTS, regions)) == "We rolled it back."
    instant = Seg([W(" Thank", 3.0, 3.05), W(" you.", 3.05, 3.1)])
    assert texts(words_from_segments([s, instant], OPTS, regions)) == "We rolled it back."


def test_a_quiet_last_sentence_the_vad_hears_is_kept():
    loud = seg("The model was stale.")
    quiet = seg("So we retrained it every night.", start=2.0, no_speech_prob=0.6, avg_logprob=-1.2)
    regions = [Region(0.0, 1.5), Region(1.9, 4.3)]
    assert texts(words_from_segments([loud, quiet], OPTS, regions)) == (
        "The model was stale. So we retrained it every night."
    )
    # the same window over audio the VAD hears as silence is a hallucination
    assert texts(words_from_segments([loud, quiet], OPTS, [Region(0.0, 1.5)])) == "The model was stale."


def test_low_probability_words_are_dropped_but_plausible_ones_kept():
    s = Seg([W(" We", 0, 0.3, 0.9), W(" uh", 0.4, 0.6, 0.05), W(" zzz", 0.7, 0.8, 0.01), W(" shipped.", 0.9, 1.3, 0.8)])
    assert texts(words_from_segments([s], OPTS)) == "We uh shipped."


class PromptStops:
    """A model that, with the filler prompt, writes one sentence untimed over the window and stops."""

    def __init__(self):
        self.prompts = []

    def transcribe(self, audio, **kw):
        self.prompts.append(kw.get("initial_prompt"))
        if kw.get("initial_prompt"):
            untimed = Seg([W(" He", 0.0, 0.5), W(" said", 0.5, 1.0), W(" fine.", 1.0, 25.0)])
            untimed.start, untimed.end = 0.0, 25.0
            return iter([untimed]), None
        segs = []
        for k, text in enumerate(["He said the numbers were fine.", "Then he pushed back.", "We rolled it back."]):
            s = seg(text, start=k * 8.0)
            s.start, s.end = k * 8.0, k * 8.0 + 3.0
            segs.append(s)
        return iter(segs), None


def test_a_window_written_without_timestamps_is_decoded_again_without_the_prompt():
    from mock_interview.core.speech.transcribe import WhisperTranscriber

    whisper = WhisperTranscriber(options=TranscribeOptions(vad_gate=False))
    whisper._model = PromptStops()
    words = whisper.transcribe(np.zeros(25 * SAMPLE_RATE, dtype=np.float32))
    assert texts(words) == "He said the numbers were fine. Then he pushed back. We rolled it back."
    assert whisper._model.prompts[0] and whisper._model.prompts[1] is None


def test_an_answer_from_a_file_and_a_recovered_take_take_the_live_path(tmp_path):
    """The app's other two ways to a report (a file, a take a crash interrupted) get the
    coverage check too: the dropped span comes back, and what stays bare is uncovered."""
    import soundfile

    from mock_interview.core.store.banks import load_banks
    from mock_interview.core.store.recovery import find_unfinished, write_marker
    from mock_interview.core.store.storage import Store
    from mock_interview.tui import jobs

    banks = load_banks()
    question = banks[0].questions[0]
    store = Store(tmp_path / "takes.sqlite3", tmp_path / "audio")
    answer = tmp_path / "answer.wav"
    soundfile.write(answer, answer_audio(), SAMPLE_RATE, subtype="FLOAT")  # bit-exact: the fake knows it

    result = jobs.answer_from_file(answer, DropsSpan(LOST), question, store, vad=energy_vad)
    assert [w.text for w in result.report.analysis.words] == [w.text for w in answer_words()]

    audio_dir = tmp_path / "audio"
    audio_dir.mkdir(exist_ok=True)
    crashed = audio_dir / "crashed.wav"
    soundfile.write(crashed, answer_audio(), SAMPLE_RATE, subtype="FLOAT")
    write_marker(crashed, question.qualified_id)
    [take] = jobs.recover_takes(find_unfinished(audio_dir), store, DropsSpan(LOST, again=False), banks, energy_vad)
    uncovered = store.report_json(take.id)["uncovered"]
    assert len(uncovered) == 1 and uncovered[0]["start"] == pytest.approx(7.0, abs=0.4)
