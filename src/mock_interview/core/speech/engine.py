"""The way in for a file: audio in, timed words out, through the live take's own streaming path."""

from __future__ import annotations

from pathlib import Path

from mock_interview.core.speech.audio import open_audio
from mock_interview.core.errors import AudioError
from mock_interview.core.speech.live import transcribe_stream
from mock_interview.core.speech.transcribe import Transcriber
from mock_interview.core.speech.words import Word


def transcribe_file(path: str | Path, transcriber: Transcriber) -> tuple[list[Word], float]:
    """Words and length of an audio file, decoded and transcribed chunk by chunk.

    Memory stays bounded however long the file: it is cut at the speaker's pauses
    exactly as a live take is.
    """
    stream = open_audio(path)
    words, duration = transcribe_stream(stream.blocks(), transcriber)
    if duration == 0:
        raise AudioError(f"{stream.path} holds no audio (0 samples): record the answer again")
    return words, duration
