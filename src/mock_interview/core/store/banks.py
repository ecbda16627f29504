"""Where the question banks are on disk: the bundled ones, then the user's own."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from mock_interview.core.judge.questions import Bank, load_bank
from mock_interview.core.store import locations


def bank_paths() -> list[Path]:
    """The built-in banks, then the user's own from the config directory."""
    paths = sorted(locations.builtin_banks_dir().glob("*.toml"))
    user = locations.user_banks_dir()
    if user.is_dir():
        paths += sorted(user.glob("*.toml"))
    return paths


def load_banks(extra: Iterable[str | Path] = ()) -> list[Bank]:
    banks = [load_bank(p) for p in bank_paths()]
    banks += [load_bank(p) for p in extra]
    return banks
