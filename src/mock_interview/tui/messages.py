"""Messages the thread workers send back to the screens. Small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from mock_interview.core.store.recovery import Unfinished
from mock_interview.core.store.storage import Take
from mock_interview.core.speech.words import Word
from mock_interview.tui.takes import TakeResult


@dataclass
class ModelReady(Message):
    """The speech model is loaded."""


@dataclass
class WorkFailed(Message):
    """A worker failed; ``text`` is one line for the user."""

    group: str
    text: str


@dataclass
class SpeakerFailed(Message):
    """The interviewer's voice cannot be used any more; the questions stay on screen."""

    text: str


@dataclass
class QuestionRead(Message):
    """The question has been read out (or skipped) and there is no recording to start."""


@dataclass
class RecordingStarted(Message):
    path: Path


@dataclass
class LiveWords(Message):
    """The transcript so far. A flood collapses to the latest."""

    words: list[Word]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LiveWords)


@dataclass
class TakeReady(Message):
    result: TakeResult


@dataclass
class TakeAbandoned(Message):
    """The take was dropped and its audio deleted."""


@dataclass
class UnfinishedFound(Message):
    """Takes interrupted by a crash or a kill, found at start."""

    items: list[Unfinished]


@dataclass
class TakesRecovered(Message):
    takes: list[Take]
