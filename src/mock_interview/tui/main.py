"""Starting the app for real: build the devices, note what is missing, run.

Every part that cannot be built becomes a line on the home screen (the error's own
message says what to do) instead of stopping the app: without a microphone the
questions can still be read and answered from an audio file, without a voice the
questions are shown as text.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mock_interview.core.delivery.analysis import AnalysisOptions
from mock_interview.core.devices import Recorder, Speaker
from mock_interview.core.errors import BankError, UserError
from mock_interview.core.player import Player
from mock_interview.core.judge.questions import Bank, Question, find_question, load_bank
from mock_interview.core.store.banks import bank_paths, load_banks
from mock_interview.core.store.settings import Settings, load_settings
from mock_interview.core.store.storage import StorageError, Store, open_store as open_checked_store
from mock_interview.core.speech.transcribe import WhisperTranscriber
from mock_interview.tui.app import MockInterviewApp


@dataclass
class Parts:
    banks: list[Bank]
    recorder: Recorder | None
    speaker: Speaker | None
    transcriber: WhisperTranscriber
    store: Store
    settings: Settings
    problems: dict[str, str] = field(default_factory=dict)
    first_question: Question | None = None
    player: Player | None = None


def open_recorder(device: str = "") -> Recorder:
    """The microphone, checked now so that a missing one is said on the home screen."""
    from mock_interview.core.recorder import SoundDeviceRecorder, default_input

    if not device:
        default_input()
        return SoundDeviceRecorder()
    return SoundDeviceRecorder(device=int(device) if device.isdigit() else device)


def open_speaker(voice: str | None) -> Speaker:
    from mock_interview.core.recorder import default_output
    from mock_interview.core.voice import SoundDeviceSpeaker, find_profile

    profile = find_profile(voice)
    default_output()
    return SoundDeviceSpeaker(profile)


def open_player() -> Player:
    """Replay of saved takes through the default output, checked now like the speaker."""
    from mock_interview.core.player import SoundDevicePlayer
    from mock_interview.core.recorder import default_output

    default_output()
    return SoundDevicePlayer()


def open_store() -> tuple[Store, str | None]:
    """The takes database; if it cannot be used, a temporary one so practice still works."""
    try:
        store = open_checked_store()
    except StorageError as exc:  # damaged, locked, read-only, full, newer: nothing of it is touched
        try:
            scratch = Path(tempfile.mkdtemp(prefix="mock-interview-"))
            return Store(scratch / "takes.sqlite3", scratch / "audio"), f"{exc}; takes are kept only until you quit"
        except (StorageError, OSError):
            raise exc from None  # nowhere to keep even a scratch take: the first problem is the one to fix
    return store, "; ".join(store.notices) or None


def open_banks(extra: list[str]) -> tuple[list[Bank], str | None]:
    """All banks; a broken one is left out and named, the others still load."""
    try:
        return load_banks(extra), None
    except BankError as first:
        banks = []
        for path in [*bank_paths(), *map(Path, extra)]:
            try:
                banks.append(load_bank(path))
            except BankError:
                pass
        return banks, f"{first} (left out)"


def open_settings() -> tuple[Settings, str | None]:
    try:
        return load_settings(), None
    except UserError as exc:
        return Settings(), f"{exc}; using the defaults"


def build_parts(args: argparse.Namespace) -> Parts:
    """Everything the app needs; what cannot be had is left None and named in ``problems``."""
    problems: dict[str, str] = {}
    settings, settings_problem = open_settings()
    if settings_problem:
        problems["settings"] = settings_problem
    banks, bank_problem = open_banks(list(getattr(args, "bank", None) or []))
    if bank_problem:
        problems["banks"] = bank_problem
    wanted = getattr(args, "question", None)
    first_question = find_question(banks, wanted) if wanted else None  # unknown id: one line, exit 2
    store, store_problem = open_store()
    if store_problem:
        problems["storage"] = store_problem
    recorder = speaker = None
    try:
        recorder = open_recorder(settings.input_device)
    except UserError as exc:
        problems["microphone"] = str(exc)
    try:
        speaker = open_speaker(getattr(args, "voice", None) or settings.voice)
    except UserError as exc:
        problems["voice"] = str(exc)
    player = None
    try:
        player = open_player()
    except UserError as exc:
        problems["playback"] = str(exc)
    transcriber = WhisperTranscriber(
        getattr(args, "model", None) or settings.model,
        allow_download=bool(getattr(args, "allow_download", False)) or settings.allow_download,
    )
    return Parts(banks, recorder, speaker, transcriber, store, settings, problems, first_question, player)


def run_app(args: argparse.Namespace) -> int:
    parts = build_parts(args)
    app = MockInterviewApp(
        banks=parts.banks,
        recorder=parts.recorder,
        speaker=parts.speaker,
        transcriber=parts.transcriber,
        store=parts.store,
        problems=parts.problems,
        analysis_options=AnalysisOptions(pause_s=parts.settings.pause_s),
        first_question=parts.first_question,
        player=parts.player,
    )
    app.wrap_up_cue_s = parts.settings.wrap_up_cue_s or None
    app.speak_questions = parts.settings.speak_questions
    app.follow_ups = parts.settings.follow_ups
    try:
        app.run()
    finally:
        parts.store.close()
    return app.return_code or 0
