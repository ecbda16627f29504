"""User settings: ``settings.toml`` in the config directory, validated, never rewritten.

Every key is optional; a wrong type or an unknown key is a one-line error naming the
file and the key, and the file is left as the user wrote it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from mock_interview.core.store import locations
from mock_interview.core.errors import UserError


class SettingsError(UserError):
    pass


@dataclass(frozen=True)
class Settings:
    voice: str = "default"
    """Voice profile name from voices/."""
    model: str = "auto"
    """"auto" (base where the machine keeps up, else the bundled tiny.en), "tiny.en", "base",
    a model folder, or a model name (fetched only with allow_download)."""
    allow_download: bool = False
    pause_s: float = 2.0
    """Silent gaps at least this long are long pauses."""
    wrap_up_cue_s: float = 30.0
    """Play the soft wrap-up cue this many seconds before the guideline; 0 switches it off."""
    speak_questions: bool = True
    input_device: str = ""
    """Microphone name or index; empty for the system default."""
    follow_ups: bool = True
    """After an answer that missed something, ask one follow-up question and judge the reply with it."""


_TYPES = {"voice": str, "model": str, "allow_download": bool, "pause_s": float, "wrap_up_cue_s": float,
          "speak_questions": bool, "input_device": str,
          "follow_ups": bool}


def load_settings(path: Path | None = None) -> Settings:
    path = path or locations.settings_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}); fix or delete the file") from None
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
    values = {}
    for key, value in data.items():
        if key not in _TYPES:
            known = ", ".join(f.name for f in fields(Settings))
            raise SettingsError(f"{path}: unknown setting '{key}' (known: {known})")
        want = _TYPES[key]
        ok = isinstance(value, want) and not (want is not bool and isinstance(value, bool))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise SettingsError(f"{path}: setting '{key}' must be {want.__name__}, not {value!r}")
        if want is float and value < 0:
            raise SettingsError(f"{path}: setting '{key}' must not be negative, not {value!r}")
        values[key] = value
    return replace(Settings(), **values)
