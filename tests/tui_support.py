"""Building the app around fake devices, and waiting for it, for the Pilot and snapshot tests."""

from __future__ import annotations

import asyncio
import functools
import random
from pathlib import Path
from typing import Awaitable, Callable

from fakes import FakeRecorder, FakeSpeaker, FakeTranscriber, live_transcription
from mock_interview.core.questions import load_banks
from mock_interview.core.storage import Store
from mock_interview.tui.app import MockInterviewApp

SIZE = (100, 32)
_MISSING = object()


def make_app(
    tmp_path: Path,
    recorder: FakeRecorder | None | object = _MISSING,
    speaker: FakeSpeaker | None | object = _MISSING,
    transcriber: FakeTranscriber | None = None,
    log: list[str] | None = None,
    **kwargs,
) -> MockInterviewApp:
    """The app with fakes (pass ``None`` for a missing device) and a store in ``tmp_path``."""
    log = [] if log is None else log
    return MockInterviewApp(
        banks=load_banks(),
        recorder=FakeRecorder(log=log) if recorder is _MISSING else recorder,
        speaker=FakeSpeaker(log=log) if speaker is _MISSING else speaker,
        transcriber=transcriber or FakeTranscriber(),
        store=Store(tmp_path / "takes.sqlite3", tmp_path / "audio"),
        rng=random.Random(7),
        live_factory=live_transcription,
        **kwargs,
    )


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
