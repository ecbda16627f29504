"""Takes interrupted by a crash, a kill or a power cut, found and saved at the next start.

While a take records, a small marker file sits beside its WAV. A take that ended
normally (saved or abandoned) has no marker; one with a marker was interrupted. Its
WAV header may still say "0 bytes of audio" (the writer never closed it), so the
header is repaired from the file's real length before the audio is read.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

MARKER_SUFFIX = ".recording"


@dataclass(frozen=True)
class Unfinished:
    audio: Path
    marker: Path
    question: str | None
    """``bank:id`` of the question, if the take had one."""
    started: str


def write_marker(audio: Path, question: str | None) -> Path:
    marker = audio.with_suffix(MARKER_SUFFIX)
    marker.write_text(json.dumps({"question": question, "started": datetime.now().isoformat(timespec="seconds")}))
    return marker


def clear_marker(audio: Path) -> None:
    audio.with_suffix(MARKER_SUFFIX).unlink(missing_ok=True)


def find_unfinished(audio_dir: Path) -> list[Unfinished]:
    found = []
    for marker in sorted(audio_dir.glob(f"*{MARKER_SUFFIX}")) if audio_dir.is_dir() else ():
        audio = marker.with_suffix(".wav")
        try:
            info = json.loads(marker.read_text())
        except (OSError, ValueError):
            info = {}
        if not audio.exists() or audio.stat().st_size <= 44:
            marker.unlink(missing_ok=True)  # nothing was recorded: nothing to offer
            audio.unlink(missing_ok=True)
            continue
        found.append(Unfinished(audio, marker, info.get("question"), info.get("started", "")))
    return found


def repair_wav_header(path: Path) -> None:
    """Make the RIFF and data chunk sizes match the bytes actually on disk."""
    with open(path, "r+b") as f:
        data = f.read()
        if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
            return
        pos = 12
        while pos + 8 <= len(data):
            chunk, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
            if chunk == b"data":
                real = len(data) - (pos + 8)
                block_align = 2
                fmt = data.find(b"fmt ")
                if fmt >= 0:
                    block_align = struct.unpack("<H", data[fmt + 20 : fmt + 22])[0] or 2
                real -= real % block_align
                f.seek(pos + 4)
                f.write(struct.pack("<I", real))
                f.seek(4)
                f.write(struct.pack("<I", pos + real))
                f.truncate(pos + 8 + real)
                return
            pos += 8 + size + (size & 1)


def recover(item: Unfinished, store, transcriber, banks) -> "object":
    """Repair, transcribe and save an interrupted take; returns the saved take."""
    from mock_interview.core.speech.audio import load_audio
    from mock_interview.core.errors import BankError
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.delivery.prosody import contour_of
    from mock_interview.core.report import build_report

    question = None
    if item.question:
        try:
            question = find_question(banks, item.question)
        except BankError:
            question = None  # the bank changed since; keep the take without its question
    repair_wav_header(item.audio)
    audio = load_audio(item.audio)
    words = transcriber.transcribe(audio.samples)
    report = build_report(words, audio.duration_s, question, contour=contour_of(audio.samples))
    take = store.save_take(report, question, item.audio)
    clear_marker(item.audio)
    return take
