"""The way in for a file: audio in, timed words out, through the live take's own streaming path."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from mock_interview.core.speech.audio import open_audio
from mock_interview.core.errors import AudioError
from mock_interview.core.speech.chunker import Chunker, VadFn
from mock_interview.core.speech.live import Heard, transcribe_stream
from mock_interview.core.speech.transcribe import Transcriber
from mock_interview.core.speech.words import Word


def transcribe_file(
    path: str | Path, transcriber: Transcriber, check_coverage: bool = True, vad: VadFn | None = None,
    on_words: Callable[[list[Word]], None] | None = None,
    said_before: Sequence[str] = (),
) -> Heard:
    """Words, length and bare speech of an audio file, decoded and transcribed chunk by chunk.

    Memory stays bounded however long the file: it is cut at the speaker's pauses
    exactly as a live take is. ``vad`` replaces Silero (tests hand in one that hears fake audio);
    ``on_words`` gets the words so far after each chunk.
    """
    stream = open_audio(path)
    chunker = Chunker(vad=vad) if vad else None
    heard = transcribe_stream(
        stream.blocks(), transcriber, chunker, check_coverage=check_coverage, on_words=on_words, said_before=said_before
    )
    if heard.duration_s == 0:
        raise AudioError(f"{stream.path} holds no audio (0 samples): record the answer again")
    return heard
