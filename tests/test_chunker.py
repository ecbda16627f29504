"""The live chunker and the merge of chunk transcripts into one timeline.

"Speech" here is loud noise and silence is zeros, judged by an energy VAD, so the
cuts can be checked to the sample.
"""

import numpy as np
import pytest

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.chunker import Chunker, ChunkerOptions
from mock_interview.core.speech.live import LiveTranscription
from mock_interview.core.speech.vad import Region
from mock_interview.core.speech.words import Word

RNG = np.random.default_rng(0)


def energy_vad(samples: np.ndarray) -> list[Region]:
    frame = SAMPLE_RATE // 50
    n = len(samples) // frame
    loud = (samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1) > 1e-3
    regions, start = [], None
    for i, on in enumerate(loud):
        if on and start is None:
            start = i
        if not on and start is not None:
            regions.append(Region(start * frame / SAMPLE_RATE, i * frame / SAMPLE_RATE))
            start = None
    if start is not None:
        regions.append(Region(start * frame / SAMPLE_RATE, n * frame / SAMPLE_RATE))
    return regions


def speech(seconds: float) -> np.ndarray:
    return (RNG.standard_normal(int(seconds * SAMPLE_RATE)) * 0.2).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


SMALL = ChunkerOptions(min_chunk_s=4, max_chunk_s=20)
"""Short chunks, so the rules show on short test audio."""


def run(audio: np.ndarray, options: ChunkerOptions = SMALL, piece_s: float = 0.1):
    chunker = Chunker(options, vad=energy_vad)
    step = int(piece_s * SAMPLE_RATE)
    chunks = []
    for i in range(0, len(audio), step):
        chunks += chunker.feed(audio[i : i + step])
    return chunks, chunker.finish()


def three_sentences(live: LiveTranscription) -> list[Word]:
    """Feed a take of three sentences (5 s, 6 s and 2 s, 0.8 s pauses) in 0.1 s blocks; its words."""
    audio = np.concatenate([speech(5), silence(0.8), speech(6), silence(0.8), speech(2)])
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
    return live.finish()


def test_silence_gives_no_chunks():
    chunks, tail = run(silence(30))
    assert chunks == [] and tail == []


def test_cuts_fall_in_pauses_and_keep_time():
    audio = np.concatenate([speech(5), silence(0.8), speech(6), silence(0.8), speech(2)])
    chunks, tail = run(audio)
    assert len(chunks) == 2
    assert chunks[0].offset_s == 0.0
    # The first cut is inside the first pause (5.0 to 5.8 s).
    assert 5.0 < chunks[0].duration_s <= 5.8
    assert chunks[1].offset_s == pytest.approx(chunks[0].duration_s)
    assert 11.8 < chunks[1].offset_s + chunks[1].duration_s <= 12.6
    # Only the last sentence is left for the stop.
    assert len(tail) == 1 and tail[0].duration_s < 2.9


def test_speech_without_pauses_is_cut_at_the_cap():
    chunks, tail = run(speech(50))
    # No pause anywhere: each cut is at the quietest moment of the last 3 s before the cap.
    assert len(chunks) == 2 and all(17.0 <= c.duration_s <= 20.0 for c in chunks)
    assert chunks[1].offset_s == pytest.approx(chunks[0].duration_s)
    assert tail and tail[0].offset_s == pytest.approx(chunks[0].duration_s + chunks[1].duration_s)
    total = sum(c.duration_s for c in chunks + tail)
    assert total == pytest.approx(50, abs=0.01)


def test_speech_that_starts_at_once():
    chunks, tail = run(np.concatenate([speech(6), silence(1.0)]))
    assert len(chunks) == 1 and chunks[0].offset_s == 0.0
    assert 6.0 <= chunks[0].duration_s <= 6.5
    assert tail == []


def test_a_very_short_take_is_all_tail():
    chunks, tail = run(np.concatenate([silence(0.3), speech(1.2)]))
    assert chunks == []
    assert len(tail) == 1 and tail[0].duration_s == pytest.approx(1.5, abs=0.01)


def test_long_silence_before_speech_is_dropped_but_time_is_kept():
    chunks, tail = run(np.concatenate([silence(10), speech(5), silence(1)]))
    assert len(chunks) == 1
    assert chunks[0].offset_s == pytest.approx(9.0, abs=0.6)  # one second of lead-in kept
    start_of_speech = chunks[0].offset_s + energy_vad(chunks[0].samples)[0].start
    assert start_of_speech == pytest.approx(10.0, abs=0.03)


class ChunkWords:
    """A fake transcriber: one word at 0.1 s into every chunk, naming the chunk."""

    def __init__(self):
        self.calls = []

    def transcribe(self, samples, context=()):
        self.calls.append(len(samples) / SAMPLE_RATE)
        return [Word(f"chunk{len(self.calls)}", 0.1, 0.4, 0.9)]


def test_chunk_transcripts_merge_into_one_timeline():
    fake = ChunkWords()
    seen = []
    # One word per chunk leaves most speech bare: the coverage check is tested on its own.
    live = LiveTranscription(fake, on_words=seen.append, options=SMALL, vad=energy_vad, check_coverage=False)
    words = three_sentences(live)
    assert [w.text for w in words] == ["chunk1", "chunk2", "chunk3"]
    starts = [w.start for w in words]
    assert starts[0] == pytest.approx(0.1)
    assert 5.1 < starts[1] < 5.95 and 11.9 < starts[2] < 12.75
    assert seen[-1] == words  # the UI was told about every word


class WordPerSecond:
    """A fake transcriber: one word per second of loud audio, timed where it is loud."""

    def __init__(self):
        self.seconds = []

    def transcribe(self, samples, context=()):
        self.seconds.append(len(samples) / SAMPLE_RATE)
        words = []
        for r in energy_vad(samples):
            t = r.start
            while t + 0.5 <= r.end:
                words.append(Word("w", round(t, 3), round(t + 0.5, 3)))
                t += 1.0
        return words


def test_speculation_leaves_only_the_last_sentence_for_the_stop():
    from mock_interview.core.speech.live import StreamTranscriber

    fake = WordPerSecond()
    stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
    # 12.2 s of answer in three sentences; no chunk is cut yet (the minimum is 20 s).
    for part in (speech(4), silence(0.6), speech(4), silence(0.6), speech(3)):
        stream.add(part)
    # The look-ahead stops at a whole step of audio, not wherever the stream happened to be: the
    # first step 1.5 s or more past the last pause (which ends at 9.2 s).
    assert stream.speculate() and fake.seconds == [pytest.approx(12.0)]
    assert not stream.speculate()  # nothing new at that step
    stream.add(silence(1.0))  # the speaker stops talking, then presses stop
    words = stream.finish()
    # Only the audio after the last pause (the third sentence) was transcribed again.
    assert len(fake.seconds) == 2 and fake.seconds[1] < 5
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert len(words) == 4 + 4 + 3
    assert words[-3].start == pytest.approx(9.2, abs=0.1)


class AheadWords(WordPerSecond):
    """:class:`WordPerSecond` with a decode of its own for what a stop may wait for (``transcribe_ahead``)."""

    def __init__(self):
        super().__init__()
        self.ahead = []

    def transcribe_ahead(self, samples, context=()):
        self.ahead.append(len(samples) / SAMPLE_RATE)
        return self.transcribe(samples, context)


def test_only_the_unfinished_chunk_is_decoded_ahead():
    """A live take decodes its unfinished chunk (the look-ahead, the words after its last pause) the
    transcriber's way for what a stop may wait for; a chunk cut while the user speaks, and every
    chunk of a file, the usual way."""
    from mock_interview.core.speech.live import StreamTranscriber, transcribe_stream

    parts = [speech(4), silence(0.6)] * 5 + [speech(4), silence(0.6), speech(3)]
    fake = AheadWords()
    stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
    stream.add(np.concatenate(parts))
    cut = list(fake.seconds)
    assert len(cut) == 1 and cut[0] > 20 and not fake.ahead  # the chunk cut at a pause after 20 s
    assert stream.speculate() and fake.ahead == fake.seconds[1:] and fake.ahead[0] < 10
    stream.add(silence(1.0))
    words = stream.finish()
    assert len(fake.ahead) == 2 and fake.ahead == fake.seconds[1:]  # the look-ahead, then the last sentence
    assert len(words) == len(WordPerSecond().transcribe(np.concatenate([*parts, silence(1.0)])))

    file = AheadWords()
    transcribe_stream([np.concatenate([*parts, silence(1.0)])], file, Chunker(ChunkerOptions(), vad=energy_vad))
    assert file.seconds and not file.ahead


def test_a_sentence_without_a_pause_is_not_looked_ahead_again():
    """What the stop keeps of a look-ahead ends at its last pause: while the speaker goes on without
    one, a look-ahead at each step would add nothing to the report, and the stop would wait for the
    one in flight (1.5 s for a 20 s chunk here)."""
    from mock_interview.core.speech.live import StreamTranscriber

    fake = WordPerSecond()
    stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
    parts = [speech(4), silence(0.6), speech(3.4)]
    stream.add(np.concatenate(parts))
    assert stream.speculate() and fake.seconds == [pytest.approx(8.0)]
    for _ in range(3):  # six more seconds in one breath
        parts.append(speech(2))
        stream.add(parts[-1])
        assert not stream.speculate()
    parts += [silence(0.6), speech(3.4)]  # a pause, then the next sentence
    stream.add(np.concatenate(parts[-2:]))
    assert stream.speculate() and fake.seconds[1] == pytest.approx(18.0)
    parts.append(silence(0.7))
    stream.add(parts[-1])
    before = len(fake.seconds)
    words = stream.finish()
    # Only the last sentence again (and second tries at its bare speech, in shorter pieces).
    again = fake.seconds[before:]
    assert again[0] == pytest.approx(18.7 - 14.3, abs=0.05) and max(again) < 4.5
    assert len(words) == len(WordPerSecond().transcribe(np.concatenate(parts)))
    assert [w.start for w in words] == sorted(w.start for w in words)


def test_one_sentence_then_silence_is_looked_ahead_once():
    """A chunk that holds one stretch of speech and then silence: a look-ahead at each step of the
    silence showed nothing new, and the stop decodes such a chunk whole anyway."""
    from mock_interview.core.speech.live import StreamTranscriber

    fake, shown = WordPerSecond(), []
    stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), shown.append, speculative=True)
    stream.add(np.concatenate([speech(3), silence(1.2)]))
    assert stream.speculate() and fake.seconds == [pytest.approx(4.0)]
    assert len(shown[-1]) == len(WordPerSecond().transcribe(speech(3)))  # every word said is shown
    for _ in range(4):  # eight seconds of thinking
        stream.add(silence(2))
        stream.speculate()
    # Once more where the end of the speech lies HEARD_AFTER_S behind, then never again.
    assert fake.seconds == [pytest.approx(4.0), pytest.approx(6.0)]
    words = stream.finish()
    assert len(words) == len(shown[-1])


def test_what_a_silent_speaker_said_last_is_heard_before_the_stop():
    """A speaker who has stopped talking sees their last sentence on screen while they think, and a
    stop then has nothing left to decode; the words are those a stop with nothing done ahead gives."""
    from mock_interview.core.speech.live import StreamTranscriber

    audio = np.concatenate([speech(4), silence(0.6), speech(2), silence(1.9)])  # 8.5 s; quiet since 6.6 s

    def take(ahead: bool):
        fake, shown = WordPerSecond(), []
        stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), shown.append, speculative=True)
        stream.add(audio)
        if ahead:
            assert stream.speculate() and fake.seconds == [pytest.approx(8.0)]  # the look-ahead
            assert stream.speculate() and len(shown[-1]) == 4 + 2  # the last sentence, heard in the silence
            assert not stream.speculate()
        before = len(fake.seconds)
        stream.add(silence(1.5))  # then stop, a while later
        return [(w.text, w.start, w.end) for w in stream.finish()], fake.seconds[before:]

    words, at_stop = take(ahead=True)
    assert at_stop == [] and len(words) == 6
    assert take(ahead=False)[0] == words


def test_a_take_that_ends_in_the_pause_its_last_chunk_was_cut_in_is_not_decoded_again_at_stop():
    """A chunk past its 20 s minimum is cut in the first pause of 0.3 s: at the end of a take, the
    pause before stop. Decoded whole there, its decode and checks kept the stop waiting (in 12 dB
    noise up to 4 s); held, it is the take's last chunk, and the stop keeps the look-ahead's words.
    Should the speaker go on, it is decoded whole, as a chunk never held."""
    from mock_interview.core.speech.live import StreamTranscriber

    said = [speech(8), silence(0.6), speech(8), silence(0.6), speech(5)]  # 22.2 s

    def take(ahead: bool, then: list[np.ndarray]):
        fake = WordPerSecond()
        stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
        for part in said:
            stream.add(part)
            while ahead and stream.speculate():
                pass
        quiet = len(fake.seconds)  # the speaker's last word
        for part in [silence(0.6), *then]:
            stream.add(part)
            while ahead and stream.speculate():
                pass
        words = stream.finish()
        return [(w.text, w.start, w.end) for w in words], fake.seconds[quiet:]

    words, after_speech = take(ahead=True, then=[])
    assert len(words) == 8 + 8 + 5
    # After the last word: the last sentence heard after the look-ahead's pause, never the whole chunk.
    assert after_speech and max(after_speech) < 7
    assert take(ahead=False, then=[])[0] == words  # the same words with nothing done ahead

    more = [silence(1.0), speech(3), silence(0.5)]
    went_on, after_speech = take(ahead=True, then=more)
    assert len(went_on) == 8 + 8 + 5 + 3
    assert pytest.approx(22.4, abs=0.3) in after_speech  # the held chunk, whole
    assert take(ahead=False, then=more)[0] == went_on


def merged_vad(samples: np.ndarray) -> list[Region]:
    """As the chunker's VAD hears a fluent speaker: pauses shorter than 0.3 s are no gap."""
    out: list[Region] = []
    for r in energy_vad(samples):
        if out and r.start - out[-1].end < 0.3:
            out[-1] = Region(out[-1].start, r.end)
        else:
            out.append(r)
    return out


def test_a_fluent_take_leaves_only_its_last_sentence_for_the_stop():
    """Sentences 0.15 s apart are one stretch of speech for the chunker's VAD (the Piper voice at 218
    words a minute ran 18 s without a gap it hears), and all of it was decoded again after stop;
    the look-ahead's words are now kept up to the last short pause."""
    from mock_interview.core.speech.live import StreamTranscriber

    def take(pauses):
        fake = WordPerSecond()
        stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=merged_vad, pauses=pauses), speculative=True)
        for part in (speech(4), silence(0.15), speech(4), silence(0.15), speech(3.7)):
            stream.add(part)
        assert stream.speculate() and fake.seconds == [pytest.approx(10.0 if pauses is energy_vad else 12.0)]
        stream.add(silence(1.2))  # quiet a second or more, then stop
        words = stream.finish()
        assert [round(w.start) for w in words] == sorted(round(w.start) for w in words)
        return fake.seconds[1:], words

    again, words = take(energy_vad)
    # From the middle of the last short pause to half a second after the speech ended.
    assert again == [pytest.approx(12.5 - 8.225, abs=0.05)]
    assert len(words) == 4 + 4 + 4 and words[-4].start == pytest.approx(8.3, abs=0.1)
    again, _ = take(merged_vad)  # cut only where the chunker's VAD hears a pause: all of it again
    assert again == [pytest.approx(13.2, abs=0.05)]


class WindowWords(WordPerSecond):
    """Like :class:`WordPerSecond`, but each word names the length of audio it was heard in,
    as Whisper's words depend on the window it decodes."""

    def transcribe(self, samples, context=()):
        return [Word(f"w{len(samples)}", w.start, w.end) for w in super().transcribe(samples)]


@pytest.mark.parametrize("block_s", [0.1, 0.37, 1.3])
@pytest.mark.parametrize("every", [1, 3, 1000])
@pytest.mark.parametrize("quiet_s", [0.8, 2.9])
def test_the_stop_keeps_the_same_words_however_busy_the_worker_was(block_s, every, quiet_s):
    """Whether the worker looked ahead after every block, now and then, or never (a busy
    machine), and however the audio was cut into blocks, the same take gives the same words;
    also when the speaker was quiet a while before the stop (the last words heard ahead)."""
    from mock_interview.core.speech.live import StreamTranscriber

    audio = np.concatenate(
        [speech(4), silence(0.6), speech(5), silence(0.7), speech(3.3), silence(0.5), speech(2.1), silence(quiet_s)]
    )

    def run(block_s, every):
        stream = StreamTranscriber(WindowWords(), Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
        n = int(block_s * SAMPLE_RATE)
        for k, i in enumerate(range(0, len(audio), n)):
            stream.add(audio[i : i + n])
            if k % every == every - 1:
                stream.speculate()
        return [(w.text, w.start, w.end) for w in stream.finish()]

    reference = run(0.5, 1)
    assert len(reference) >= len(WordPerSecond().transcribe(audio))  # every word...
    assert all(b[1] - a[1] > 0.4 for a, b in zip(reference, reference[1:]))  # ...once, in order
    assert len({t for t, _, _ in reference}) > 1  # words before the last pause came from a look-ahead
    assert run(block_s, every) == reference


def test_without_speculation_the_whole_rest_is_transcribed():
    from mock_interview.core.speech.live import StreamTranscriber

    fake = WordPerSecond()
    stream = StreamTranscriber(fake, Chunker(ChunkerOptions(), vad=energy_vad))
    for part in (speech(4), silence(0.6), speech(3), silence(1.0)):
        stream.add(part)
    words = stream.finish()
    assert fake.seconds == [pytest.approx(8.6)] and len(words) == 7


class ContextSeen(ChunkWords):
    """Like :class:`ChunkWords`, and keeps the context each chunk was decoded with."""

    def __init__(self):
        super().__init__()
        self.contexts = []

    def transcribe(self, samples, context=()):
        self.contexts.append(list(context))
        return super().transcribe(samples, context)


def test_each_chunk_is_told_the_words_said_before_it():
    fake = ContextSeen()
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad, check_coverage=False)
    three_sentences(live)
    # The first chunk starts the take; each later one hears what the earlier ones said.
    assert fake.contexts == [[], ["chunk1"], ["chunk1", "chunk2"]]


ASKED = "Tell me about a production incident you handled.".split()


def test_the_first_chunk_is_told_the_question_asked():
    fake = ContextSeen()
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad, check_coverage=False, said_before=ASKED)
    three_sentences(live)
    # The question comes first, then what the answer said so far.
    assert fake.contexts == [ASKED, [*ASKED, "chunk1"], [*ASKED, "chunk1", "chunk2"]]


def test_a_first_chunk_the_question_left_bare_is_decoded_again_without_it():
    fake = SkipsWithContext()
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad, said_before=ASKED)
    words = three_sentences(live)
    # Told the question, the first decode skipped three seconds; alone, it heard them.
    assert fake.contexts[:2] == [True, False]
    assert len([w for w in words if w.start < 5.0]) == 5 and not live.uncovered


def test_the_stop_tells_the_tail_the_words_of_the_look_ahead():
    from mock_interview.core.speech.live import StreamTranscriber

    seen = []

    class Recording(WordPerSecond):
        def transcribe(self, samples, context=()):
            seen.append(len(list(context)))
            return super().transcribe(samples, context)

    stream = StreamTranscriber(Recording(), Chunker(ChunkerOptions(), vad=energy_vad), speculative=True)
    for part in (speech(4), silence(0.6), speech(4), silence(0.6), speech(3)):
        stream.add(part)
    stream.speculate()
    stream.add(silence(1.0))
    stream.finish()
    # The look-ahead began the take (nothing before it); the tail after its last pause is
    # told the eight words of the two sentences kept from it.
    assert seen == [0, 8]


class SkipsWithContext(WordPerSecond):
    """Like :class:`WordPerSecond`, but told what was said before, it writes nothing after
    the first two seconds of the piece, as Whisper may skip a phrase its context holds."""

    def __init__(self, helps: bool = True):
        super().__init__()
        self.helps = helps
        self.contexts = []

    def transcribe(self, samples, context=()):
        self.contexts.append(bool(context))
        words = super().transcribe(samples, context)
        if context or not self.helps:
            return [w for w in words if w.start < 2.0]
        return words

    def transcribe_again(self, samples):
        return []  # the second try at a bare stretch hears nothing


@pytest.mark.parametrize("helps", [True, False])
def test_a_piece_the_context_left_bare_is_decoded_again_without_it(helps):
    fake = SkipsWithContext(helps)
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad)
    words = three_sentences(live)
    in_second = [w for w in words if 5.8 <= w.start < 11.8]
    if helps:
        # The second sentence (6 s) came back whole from the decode without context.
        assert len(in_second) == 6 and not live.uncovered
    else:
        # No better without context: the first decode stands and the rest is marked.
        assert len(in_second) < 6 and live.uncovered
    # The first piece had no context; each later one was tried with it first.
    assert fake.contexts[0] is False and True in fake.contexts


def test_a_piece_is_decoded_again_by_the_transcribers_own_way_when_it_has_one():
    fake = SkipsWithContext()
    anew: list[float] = []

    def transcribe_anew(samples):
        anew.append(len(samples) / SAMPLE_RATE)
        return WordPerSecond.transcribe(fake, samples)

    fake.transcribe_anew = transcribe_anew  # as WhisperTranscriber: on a copy of the model of its own
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad)
    words = three_sentences(live)
    assert anew and False not in fake.contexts[1:]  # decoded again there, never by transcribe() told nothing
    assert len([w for w in words if 5.8 <= w.start < 11.8]) == 6 and not live.uncovered


def test_a_take_has_the_copy_for_decodes_anew_loaded_while_the_user_speaks():
    class Prepares(WordPerSecond):
        def __init__(self):
            super().__init__()
            self.prepared = 0

        def prepare_anew(self):
            self.prepared += 1

    for check, expected in ((True, 1), (False, 0)):
        fake = Prepares()
        live = LiveTranscription(fake, options=SMALL, vad=energy_vad, check_coverage=check)
        three_sentences(live)
        # Once per take, from its start: a take's last words may need it, and loading it then
        # would fall after stop. A take that checks nothing never decodes anew.
        assert fake.prepared == expected


def test_no_decode_without_context_for_a_transcriber_that_ignores_it():
    fake = SkipsWithContext()
    fake.hears_context = False  # as base: told the context, it decodes the same without it
    live = LiveTranscription(fake, options=SMALL, vad=energy_vad)
    three_sentences(live)
    assert False not in fake.contexts[1:]  # every later piece decoded once, never again alone


def test_a_take_and_a_file_are_told_the_question_before_the_answer(tmp_path):
    import soundfile

    from fakes import FakeRecorder, FakeTranscriber, answer_audio
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.report import analyze_file
    from mock_interview.core.session import TakeSession
    from mock_interview.core.store.banks import load_banks

    question = find_question(load_banks(), "incident")
    asked = question.text.split()
    for q, expected in ((question, asked), (None, [])):
        fake = FakeTranscriber()
        take = TakeSession(FakeRecorder(step_s=2.0), fake, q, tmp_path / "take.wav", vad=energy_vad)
        take.start()
        for _ in range(10):
            take.poll()
        take.stop()
        assert fake.contexts and fake.contexts[0] == expected
        path = tmp_path / "answer.wav"
        soundfile.write(path, answer_audio(), SAMPLE_RATE)
        fake = FakeTranscriber()
        analyze_file(path, fake, q, vad=energy_vad)
        assert fake.contexts[0] == expected


def test_a_take_says_how_long_the_input_has_sent_no_sound(tmp_path):
    from fakes import FakeRecorder, FakeTranscriber, answer_audio
    from mock_interview.core.session import TakeSession

    muted = TakeSession(FakeRecorder(audio=np.zeros(8 * SAMPLE_RATE), step_s=1.0), FakeTranscriber(), None,
                        tmp_path / "muted.wav", vad=energy_vad)
    muted.start()
    seen = [muted.poll().soundless_s for _ in range(7)]
    muted.stop()
    assert seen == sorted(seen) and seen[-1] >= 6.0, "a muted input: the silence only grows"

    # A real answer's pauses (and a room's hiss) are sound: the count starts again at every word.
    hiss = np.random.default_rng(0).normal(0, 3e-4, 16 * SAMPLE_RATE).astype(np.float32)
    spoken = TakeSession(FakeRecorder(audio=answer_audio() + hiss, step_s=1.0), FakeTranscriber(), None,
                         tmp_path / "spoken.wav", vad=energy_vad)
    spoken.start()
    seen = [spoken.poll().soundless_s for _ in range(14)]
    spoken.stop()
    assert max(seen) < 1.0
    answer_only = TakeSession(FakeRecorder(audio=answer_audio(), step_s=1.0), FakeTranscriber(), None,
                              tmp_path / "answer.wav", vad=energy_vad)
    answer_only.start()
    seen = [answer_only.poll().soundless_s for _ in range(14)]
    answer_only.stop()
    assert max(seen) < 5.0, "the pauses between words are never taken for a muted input"


class HeardOnlyInTheStream:
    """A stream VAD that hears speech where the piece's own VAD hears none (Silero starts each
    look afresh, and a fresh Silero is deaf to quiet speech in noise just after a cut)."""

    def __init__(self, speech: list[tuple[float, float]]) -> None:
        self.speech = speech
        self.fed = 0

    def feed(self, samples: np.ndarray) -> None:
        self.fed += len(samples)

    def regions(self, start_n: int, end_n: int, **_) -> list[Region]:
        a, b = start_n / SAMPLE_RATE, min(end_n, self.fed) / SAMPLE_RATE
        return [Region(max(s, a) - a, min(e, b) - a) for s, e in self.speech if s < b and e > a]


def test_the_coverage_check_hears_the_speech_the_stream_heard_in_a_chunk():
    # 2 s of quiet speech the chunk's own VAD never hears (zeros to the energy VAD) between
    # loud speech: the stream's VAD, warm from all that came before, heard it.
    audio = np.concatenate([speech(3.0), silence(2.0), speech(3.0), silence(1.0)])
    chunker = Chunker(SMALL, vad=energy_vad)
    chunker.stream = HeardOnlyInTheStream([(3.0, 5.0)])
    step = int(0.1 * SAMPLE_RATE)
    chunks = []
    for i in range(0, len(audio), step):
        chunks += chunker.feed(audio[i : i + step])
    chunks += chunker.finish()
    first = chunks[0]
    assert first.offset_s == 0.0 and first.duration_s >= 8.0
    heard = [(r.start + first.offset_s, r.end + first.offset_s) for r in chunker.heard(first.samples, first.offset_s)]
    alone = [(r.start, r.end) for r in energy_vad(first.samples)]
    assert not any(a < 4.5 and b > 3.5 for a, b in alone)  # alone, the chunk's VAD is deaf to it
    assert any(a <= 3.0 and b >= 5.0 for a, b in heard) and any(a <= 5.05 and b >= 7.95 for a, b in heard)


def test_audio_dropped_as_silence_where_the_stream_heard_speech_is_a_chunk_of_its_own():
    # 2 s of quiet speech (zeros to the energy VAD, as a fresh Silero can be deaf to quiet speech in
    # noise) before loud speech: looked at afresh each half second, it is let go as silence.
    audio = np.concatenate([silence(1.0), silence(2.0), silence(1.0), speech(3.0), silence(1.0), speech(5.0), silence(1.0)])
    step = int(0.1 * SAMPLE_RATE)

    def chunks_of(chunker):
        out = []
        for i in range(0, len(audio), step):
            out += chunker.feed(audio[i : i + step])
        return out + chunker.finish()

    deaf = chunks_of(Chunker(SMALL, vad=energy_vad))
    kept_chunker = Chunker(SMALL, vad=energy_vad)
    kept_chunker.stream = HeardOnlyInTheStream([(1.0, 3.0)])
    kept = chunks_of(kept_chunker)
    assert deaf[0].offset_s > 2.0  # alone, the quiet speech never reached a decode
    extra, rest = kept[0], kept[1:]
    # One chunk for the whole run of drops (not one per look), holding the quiet speech...
    assert extra.offset_s <= 1.0 and extra.offset_s + extra.duration_s >= 2.9
    assert extra.offset_s + extra.duration_s <= rest[0].offset_s + 1e-9
    # ...and the chunks after it are the ones the chunker made without it, to the sample.
    assert [(c.offset_s, len(c.samples)) for c in rest] == [(c.offset_s, len(c.samples)) for c in deaf]


class Offsets:
    """A transcriber that writes one word at the start of each piece it is handed."""

    def __init__(self) -> None:
        self.lengths: list[float] = []

    def transcribe(self, samples, context=()):
        self.lengths.append(len(samples) / SAMPLE_RATE)
        return [Word(" said", 0.0, 0.3)]


@pytest.mark.parametrize("speculative", [False, True], ids=["file", "live take"])
def test_quiet_speech_dropped_just_before_the_end_comes_with_the_last_words(speculative):
    from mock_interview.core.speech.live import StreamTranscriber

    # A chunk, then 3 s of quiet speech only the stream's VAD hears (dropped as silence), then the
    # last 1 s of loud speech before stop: both must be decoded.
    audio = np.concatenate([speech(5.0), silence(1.0), silence(3.0), speech(1.0)])
    chunker = Chunker(SMALL, vad=energy_vad)
    chunker.stream = HeardOnlyInTheStream([(6.0, 9.0)])
    fake = Offsets()
    stream = StreamTranscriber(fake, chunker, check_coverage=False, speculative=speculative)
    for i in range(0, len(audio), 1600):
        stream.add(audio[i : i + 1600])
    words = stream.finish()
    stream.close()
    starts = [round(w.start, 1) for w in words]
    assert starts[0] == 0.0
    assert any(5.5 <= s <= 7.0 for s in starts), starts  # the dropped quiet speech, decoded
    assert any(s >= 7.9 for s in starts), starts  # the last words, not lost behind it


class AllButTheLastWord:
    """A transcriber that writes a word over each loud half second of the piece it is handed but the
    last (Whisper drops words at a window's end)."""

    def transcribe(self, samples, context=()):
        half = SAMPLE_RATE // 2
        return [Word(" said", i / SAMPLE_RATE, (i + half) / SAMPLE_RATE)
                for i in range(0, len(samples) - half + 1, half) if (samples[i : i + half] ** 2).mean() > 1e-3][:-1]


@pytest.mark.parametrize("speculative", [False, True], ids=["file", "live take"])
def test_speech_split_where_two_chunks_meet_is_marked_never_silently_lost(speculative):
    from mock_interview.core.speech.live import StreamTranscriber

    # The chunk is cut at 4.7 s, in speech only the stream's VAD hears (4.4-5.0 s, a quiet "uh" in
    # noise), and its decode leaves its last half second bare: under half a second of bare speech in
    # either chunk, too short to count there; the take holds 0.75 s no word covers.
    audio = np.concatenate([speech(4.5), silence(1.7), speech(3.0), silence(1.0)])
    chunker = Chunker(SMALL, vad=energy_vad)
    chunker.stream = HeardOnlyInTheStream([(0.0, 4.5), (4.4, 5.0), (6.2, 9.0)])
    stream = StreamTranscriber(AllButTheLastWord(), chunker, speculative=speculative)
    for i in range(0, len(audio), 1600):
        stream.add(audio[i : i + 1600])
    words = stream.finish()
    stream.close()
    assert words[0].start == 0.0 and words[-1].start > 8.0
    assert any(a <= 4.5 and b >= 4.9 for a, b in [(r.start, r.end) for r in stream.uncovered]), stream.uncovered
