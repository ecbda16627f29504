"""Every path the program uses, resolved in one place.

``MOCK_INTERVIEW_HOME`` moves both the data and the config directory (tests and users
who want everything in one folder); ``MOCK_INTERVIEW_DATA_DIR`` and
``MOCK_INTERVIEW_CONFIG_DIR`` move each one separately.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "mock-interview"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def _user_dir(kind: str) -> Path:
    """``MOCK_INTERVIEW_<KIND>_DIR``, else ``$MOCK_INTERVIEW_HOME/<kind>``, else the platform's folder."""
    explicit = _env_path(f"MOCK_INTERVIEW_{kind.upper()}_DIR")
    if explicit:
        return explicit
    home = _env_path("MOCK_INTERVIEW_HOME")
    if home:
        return home / kind
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Where takes, their audio and the database live."""
    return _user_dir("data")


def config_dir() -> Path:
    """Where settings and the user's own question banks live."""
    return _user_dir("config")


def cache_dir() -> Path:
    """What can be made again: models fetched with ``--allow-download``."""
    return _user_dir("cache")


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass
    return path


def database_path() -> Path:
    return data_dir() / "takes.sqlite3"


def audio_dir() -> Path:
    return data_dir() / "audio"


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def user_banks_dir() -> Path:
    return config_dir() / "questions"


def _resource_dir(name: str) -> Path:
    """A folder shipped with the project: the checkout's, else the installed copy."""
    checkout = Path(__file__).resolve().parents[4] / name
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / APP_NAME / name


def builtin_banks_dir() -> Path:
    return _resource_dir("questions")


def voices_dir() -> Path:
    return _resource_dir("voices")


def assets_dir() -> Path:
    return _resource_dir("assets")
