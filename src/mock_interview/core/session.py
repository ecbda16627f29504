"""One take from microphone to report: the path the app and the benchmarks share.

``start`` opens the microphone (audio goes to disk as it arrives); ``poll``, called a
few times a second, hands new audio to the live transcriber and to the pitch and
loudness measure (each runs on its own thread) and returns what the screen shows;
``stop`` closes the recording, transcribes and measures only the unfinished tail and
builds the report.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from mock_interview.core.delivery.analysis import AnalysisOptions
from mock_interview.core.delivery.prosody import LiveProsody
from mock_interview.core.speech.chunker import VadFn
from mock_interview.core.devices import Recorder, Recording
from mock_interview.core.recorder import sound_until
from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.live import LiveTranscription
from mock_interview.core.judge import topic
from mock_interview.core.judge.embeddings import shared as clause_embeddings
from mock_interview.core.judge.questions import Question
from mock_interview.core.store.recovery import clear_marker, write_marker
from mock_interview.core.report import Report, asked, build_report, judges_story
from mock_interview.core.speech.transcribe import Transcriber, model_name
from mock_interview.core.speech.words import Word

if TYPE_CHECKING:
    from mock_interview.core.store.storage import Store, Take


@dataclass(frozen=True)
class Progress:
    elapsed_s: float
    level: float
    words: list[Word]
    failure: str | None = None
    """Why recording cannot go on (the disk is full, the microphone went away): stop the take."""
    soundless_s: float = 0.0
    """How long the input has sent no sound at all (:func:`recorder.sound_until`): a muted microphone, or another
    input chosen. A pause in speech still carries the room's hiss."""


@dataclass(frozen=True)
class Finished:
    report: Report
    recording: Recording
    finalize_s: float
    """Seconds from the stop to the finished report."""


class TakeSession:
    def __init__(
        self,
        recorder: Recorder,
        transcriber: Transcriber,
        question: Question | None,
        audio_path: Path,
        options: AnalysisOptions | None = None,
        on_words: Callable[[list[Word]], None] | None = None,
        vad: VadFn | None = None,
        said_before: Sequence[str] | None = None,
    ) -> None:
        """``said_before``: what was asked just before the take, told to the decoder (the question's
        text if None; a follow-up's prompt for a reply, which has no question of its own)."""
        self.recorder = recorder
        self.question = question
        self.audio_path = audio_path
        self.options = options
        self.live = LiveTranscription(
            transcriber, on_words=on_words, vad=vad, said_before=asked(question) if said_before is None else said_before
        )
        self.prosody = LiveProsody()
        """Pitch and loudness of each finished stretch, measured while the user speaks."""
        self.model = model_name(transcriber)
        self.started = False
        self._judge_ahead = judges_story(question)
        """The story judge's clause embeddings are made while the user speaks (only the last
        seconds' clauses are left at stop)."""
        self._words_seen = 0
        self._fed = 0
        """Samples handed to the live transcriber so far..."""
        self._sound_at = 0
        """...and how many of them had come when the input last sent any sound."""

    def start(self) -> None:
        self.audio_path.parent.mkdir(parents=True, exist_ok=True)
        write_marker(self.audio_path, self.question.qualified_id if self.question else None)
        try:
            self.recorder.start(self.audio_path)
        except BaseException:
            clear_marker(self.audio_path)
            raise
        self.started = True
        if self.question is not None and any(p.generic for p in self.question.rubric):
            # The rubric's topic model (about 0.2 s to read) is loaded while the user speaks, not at stop.
            threading.Thread(target=topic.load, name="topic-model", daemon=True).start()

    def poll(self) -> Progress:
        self._feed(self.recorder.read_new())
        error = getattr(self.recorder, "error", None)
        words = self.live.words
        if self._judge_ahead and len(words) != self._words_seen:
            self._words_seen = len(words)
            clause_embeddings().prefetch(words)
        return Progress(self.recorder.elapsed_s, self.recorder.level, words, str(error) if error else None,
                        soundless_s=(self._fed - self._sound_at) / SAMPLE_RATE)

    def stop(self) -> Finished:
        t0 = time.perf_counter()
        recording = self.recorder.stop()
        self._feed(self.recorder.read_new())
        if self._judge_ahead:
            clause_embeddings().stop_prefetch()  # the transcriber's tail first; the last clauses come after
        self.prosody.close()  # its tail is measured while the transcriber finishes
        words = self.live.finish()
        contour = self.prosody.finish()
        report = build_report(
            words, recording.duration_s, self.question, self.options, self.live.uncovered, self.model, contour=contour,
            sounds=self.live.sounds,
        )
        return Finished(report, recording, time.perf_counter() - t0)

    def _feed(self, samples) -> None:
        heard = sound_until(samples)
        if heard:
            self._sound_at = self._fed + heard
        self._fed += len(samples)
        self.live.feed(samples)
        self.prosody.feed(samples)

    def save(self, store: "Store", finished: Finished, story_id: int | None = None) -> "Take":
        """Save the take; only then is it no longer an interrupted one."""
        take = store.save_take(finished.report, self.question, finished.recording.path, story_id=story_id)
        clear_marker(self.audio_path)
        return take

    def abandon(self) -> None:
        """Stop without a report and delete the audio."""
        self.live.cancel()
        self.prosody.cancel()
        if self.started:
            try:
                self.recorder.stop()
            finally:
                self.audio_path.unlink(missing_ok=True)
                clear_marker(self.audio_path)
