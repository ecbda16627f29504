"""Fake devices for the app's tests (no sound card, no model, the same interfaces),
and the app built around them."""

from __future__ import annotations

import asyncio
import functools
import random
import threading
from pathlib import Path
from typing import Awaitable, Callable

import numpy as np
import soundfile

from helpers import timeline
from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.devices import Recording
from mock_interview.core.judge.questions import Bank
from mock_interview.core.store.banks import load_banks
from mock_interview.core.store.storage import Store
from mock_interview.core.speech.vad import Region
from mock_interview.core.speech.words import Word

ANSWER = (
    "At my last job I was responsible for the nightly training pipeline. "
    "Um, the problem was that I assumed the schema would never change. "
    "In the end we lost two days, and I learned to check the data first."
)
PAUSE_AFTER = 11
"""The answer has a 2.5 s silence after its 12th word ("pipeline.")."""


def answer_words(text: str = ANSWER) -> list[Word]:
    """The answer above, timed: one word every 0.3 s from 0.5 s, a 2.5 s gap after "pipeline."."""
    return timeline(text, start=0.5, step=0.3, gaps={PAUSE_AFTER: 2.5})


def voice_like(seconds: float, seed: int = 0) -> np.ndarray:
    """Deterministic noise at a speaking level."""
    rng = np.random.default_rng(seed)
    return (0.08 * rng.standard_normal(int(seconds * SAMPLE_RATE))).astype(np.float32)


def answer_audio(words: list[Word] | None = None, seconds: float = 16.0, seed: int = 0) -> np.ndarray:
    """What the fake microphone hears: sound while each word is said, silence between.

    A different ``seed`` makes a different recording (another answer, a follow-up reply)."""
    words = answer_words() if words is None else words
    noise = voice_like(seconds, seed)
    audio = np.zeros_like(noise)
    for w in words:
        a, b = int(w.start * SAMPLE_RATE), int(w.end * SAMPLE_RATE)
        audio[a:b] = noise[a:b]
    return audio


def voiced_audio(words: list[Word] | None = None, seconds: float = 16.0, swing_st: float = 3.0) -> np.ndarray:
    """Like :func:`answer_audio`, but a voice with a pitch (120 Hz, swinging ``swing_st``
    semitones every 4 s) and a loudness that rises and falls: prosody has something to measure."""
    words = answer_words() if words is None else words
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    f0 = 120 * 2 ** (swing_st * np.sin(2 * np.pi * t / 4) / 12)
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    buzz = 0.1 * sum(np.sin(k * phase) / k for k in range(1, 6)) * (0.6 + 0.4 * np.sin(2 * np.pi * t / 3))
    audio = np.zeros_like(buzz)
    for w in words:
        a, b = int(w.start * SAMPLE_RATE), int(w.end * SAMPLE_RATE)
        audio[a:b] = buzz[a:b]
    return audio.astype(np.float32)


def energy_vad(samples: np.ndarray, frame_s: float = 0.02, threshold: float = 0.01, bridge_s: float = 0.2) -> list[Region]:
    """Speech is wherever there is sound: Silero stands aside so fake audio can be "spoken"."""
    frame = int(frame_s * SAMPLE_RATE)
    n = len(samples) // frame
    if n == 0:
        return []
    loud = np.sqrt((samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1)) > threshold
    regions: list[Region] = []
    for i in np.flatnonzero(loud):
        start, end = i * frame_s, (i + 1) * frame_s
        if regions and start - regions[-1].end <= bridge_s:
            regions[-1] = Region(regions[-1].start, end)
        else:
            regions.append(Region(start, end))
    return regions


ROOM = 1e-3
"""A room's hiss is no louder than this: :class:`FakeTranscriber` hears no words in it."""
ROOM_TONE = 3e-4
"""What a live microphone in a quiet room sends between words (:class:`FakeRecorder`'s ``room``)."""


class FakeRecorder:
    """Plays a 16 kHz array as if it were the microphone.

    Each :meth:`read_new` hands over the next ``step_s`` seconds (silence after the
    array ends), so ``elapsed_s`` advances per read, counted in frames like the real
    one. With ``frozen_at`` the clock jumps there at start and stays, and the audio up
    to there comes in one read (for snapshots); ``level`` fixes the input level.
    What was heard is written to the WAV given to :meth:`start`. A recording of a
    follow-up reply (its file is named so) hears ``follow_up_audio`` if given.
    """

    def __init__(
        self,
        audio: np.ndarray | None = None,
        step_s: float = 1.0,
        frozen_at: float | None = None,
        log: list[str] | None = None,
        level: float | None = None,
        follow_up_audio: np.ndarray | None = None,
        room: float = 0.0,
    ) -> None:
        self.audio = answer_audio() if audio is None else audio.astype(np.float32)
        self.room = room
        """Past the array's end: a room's hiss this loud (peak) from a live microphone, else digital silence."""
        self.follow_up_audio = follow_up_audio
        self.current = self.audio
        self.step_s = step_s
        self.frozen_at = frozen_at
        self.log = log if log is not None else []
        self.fixed_level = level
        self.path: Path | None = None
        self.starts = 0
        self._file: soundfile.SoundFile | None = None
        self._frames = 0
        self._level = 0.0

    @property
    def recording(self) -> bool:
        return self._file is not None

    def start(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = soundfile.SoundFile(str(path), mode="w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16")
        self.path = path
        self._frames = 0
        reply = self.follow_up_audio is not None and "follow-up" in path.name
        self.current = self.follow_up_audio.astype(np.float32) if reply else self.audio
        self.starts += 1
        self.log.append("record:start")
        self._pending = np.zeros(0, dtype=np.float32)
        if self.frozen_at is not None:
            self._pending = self._advance(int(self.frozen_at * SAMPLE_RATE))

    def _advance(self, frames: int) -> np.ndarray:
        chunk = self.current[self._frames : self._frames + frames]
        after = frames - len(chunk)
        hiss = np.random.default_rng(self._frames).uniform(-self.room, self.room, after) if self.room else np.zeros(after)
        chunk = np.concatenate([chunk, hiss.astype(np.float32)])
        assert self._file is not None
        self._file.write(chunk)
        self._frames += frames
        tail = chunk[-int(0.1 * SAMPLE_RATE) :]
        self._level = min(1.0, float(np.sqrt(np.mean(tail**2))) * 4.0) if len(tail) else 0.0
        return chunk

    def read_new(self) -> np.ndarray:
        if self.frozen_at is not None:  # everything up to the frozen moment, once
            pending, self._pending = self._pending, np.zeros(0, dtype=np.float32)
            return pending
        if self._file is None:
            return np.zeros(0, dtype=np.float32)
        return self._advance(int(self.step_s * SAMPLE_RATE))

    def stop(self) -> Recording:
        if self._file is not None:
            self._file.close()
            self._file = None
            self.log.append("record:stop")
        assert self.path is not None
        return Recording(path=self.path, rate=SAMPLE_RATE, frames=self._frames)

    @property
    def elapsed_s(self) -> float:
        return self._frames / SAMPLE_RATE

    @property
    def level(self) -> float:
        return self._level if self.fixed_level is None else self.fixed_level


class FakeSpeaker:
    """Remembers what it said and which cues it played. With ``hold`` a question is
    "spoken" until :meth:`stop` (or a few seconds), like a long question being read."""

    def __init__(self, log: list[str] | None = None, hold: bool = False) -> None:
        self.log = log if log is not None else []
        self.said: list[str] = []
        self.cues: list[str] = []
        self.stops = 0
        self.hold = hold
        self.speaking = threading.Event()
        self._stop = threading.Event()

    def say(self, text: str) -> None:
        self._stop.clear()
        self.said.append(text)
        self.log.append(f"say:{text}")
        if self.hold:
            self.speaking.set()
            self._stop.wait(5)
            self.speaking.clear()

    def cue(self, name: str) -> None:
        self.cues.append(name)
        self.log.append(f"cue:{name}")

    def stop(self) -> None:
        self.stops += 1
        self._stop.set()


class FakeTranscriber:
    """Hears the fixed answer in the fake microphone's audio.

    Given a piece of ``audio`` (a chunk of the live stream, or all of it), it finds
    where in ``audio`` the piece starts and returns the answer's words spoken in it,
    timed from the piece's start, as a model would. Audio it does not know (a file
    from elsewhere) is heard as the whole answer. ``gate`` holds back :meth:`load`.
    ``also`` adds other recordings it knows, as (words, audio) pairs.
    """

    def __init__(
        self,
        words: list[Word] | None = None,
        audio: np.ndarray | None = None,
        gate: threading.Event | None = None,
        also: list[tuple[list[Word], np.ndarray]] | None = None,
    ) -> None:
        self.words = answer_words() if words is None else words
        self.audio = answer_audio(self.words) if audio is None else audio
        self.scripts = [(self.words, self.audio), *(also or [])]
        self.gate = gate
        self.loaded = False
        self.heard: list[float] = []
        """Seconds of audio in each call."""
        self.contexts: list[list[str]] = []
        """The words said before each piece, as the call was told them."""

    def load(self) -> None:
        if self.gate is not None:
            self.gate.wait(10)
        self.loaded = True

    def _offset(self, samples: np.ndarray, audio: np.ndarray | None = None) -> int | None:
        audio = self.audio if audio is None else audio
        sounding = np.flatnonzero(np.abs(samples) > ROOM)
        if len(sounding) == 0:
            return None
        i = int(sounding[0])
        for at in np.flatnonzero(audio == samples[i]):
            start = int(at) - i
            if start < 0:
                continue
            # Past its end the recording is silence (the microphone went on after the answer).
            piece = audio[start : start + len(samples)]
            if np.array_equal(piece, samples[: len(piece)]) and not np.any(np.abs(samples[len(piece) :]) > ROOM):
                return start
        return None

    def transcribe(self, samples: np.ndarray, context=()) -> list[Word]:
        self.heard.append(len(samples) / SAMPLE_RATE)
        self.contexts.append(list(context))
        if not np.any(np.abs(samples) > ROOM):
            return []
        for words, audio in self.scripts:
            start = self._offset(samples, audio)
            if start is not None:
                t0, t1 = start / SAMPLE_RATE, (start + len(samples)) / SAMPLE_RATE
                return [w.shifted(-t0) for w in words if t0 <= w.start < t1]
        return list(self.words)


class FakePlayer:
    """Replays through nothing: the file is read as the real player reads it (so a
    missing or broken file fails the same way), but the position moves only by
    :meth:`seek` and :meth:`advance`, so a test decides what is being "heard"."""

    def __init__(self, log: list[str] | None = None) -> None:
        self.log = log if log is not None else []
        self.path: Path | None = None
        self.stops = 0
        self._position = 0.0
        self._duration = 0.0
        self._playing = False

    def load(self, path: Path) -> None:
        from mock_interview.core.player import read_mono

        samples = read_mono(Path(path), SAMPLE_RATE)
        self.path = Path(path)
        self._duration = len(samples) / SAMPLE_RATE
        self._position = 0.0
        self._playing = False
        self.log.append(f"load:{Path(path).name}")

    def play(self) -> None:
        if self._position >= self._duration:
            self._position = 0.0
        self._playing = True
        self.log.append("play")

    def pause(self) -> None:
        self._playing = False
        self.log.append("pause")

    def seek(self, seconds: float) -> None:
        self._position = min(max(0.0, seconds), self._duration)
        self.log.append(f"seek:{self._position:.1f}")

    def advance(self, seconds: float) -> None:
        """As if ``seconds`` more had been played (only while playing)."""
        if self._playing:
            self._position = min(self._position + seconds, self._duration)
            self._playing = self._position < self._duration

    @property
    def position_s(self) -> float:
        return self._position

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def duration_s(self) -> float:
        return self._duration

    def stop(self) -> None:
        self._playing = False
        self.stops += 1


# ---------------------------------------------------------------- the app around the fakes
SIZE = (100, 32)
_MISSING = object()


def make_app(
    tmp_path: Path,
    recorder: FakeRecorder | None | object = _MISSING,
    speaker: FakeSpeaker | None | object = _MISSING,
    transcriber: FakeTranscriber | None = None,
    log: list[str] | None = None,
    banks: list[Bank] | None = None,
    follow_ups: bool = False,
    **kwargs,
):
    """The app with fakes (pass ``None`` for a missing device) and a store in ``tmp_path``.

    Follow-up questions are off unless a test asks for them, so that a take goes
    straight from the answer to its results."""
    from mock_interview.tui.app import MockInterviewApp

    log = [] if log is None else log
    kwargs.setdefault("player", FakePlayer(log=log))
    app = MockInterviewApp(
        banks=load_banks() if banks is None else banks,
        recorder=FakeRecorder(log=log) if recorder is _MISSING else recorder,
        speaker=FakeSpeaker(log=log) if speaker is _MISSING else speaker,
        transcriber=transcriber or FakeTranscriber(),
        store=Store(tmp_path / "takes.sqlite3", tmp_path / "audio"),
        rng=random.Random(7),
        vad=energy_vad,
        **kwargs,
    )
    app.follow_ups = follow_ups
    return app


async def wait_for(pilot, condition: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds; fail with ``what`` if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)


def pilot(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no async plugin for pytest needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def text_of(screen, selector: str) -> str:
    """The plain text a Static shows."""
    content = screen.query_one(selector).content
    return content.plain if hasattr(content, "plain") else str(content)
