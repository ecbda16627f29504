"""The core never imports Textual: checked in a fresh interpreter."""

import pkgutil
import subprocess
import sys

import mock_interview.core as core


def test_core_modules_do_not_import_textual():
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "mock_interview.core.")]
    assert len(names) >= 8
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported {out.stdout.strip()}"


def test_help_does_not_load_the_model_or_the_ui():
    code = (
        "import sys\n"
        "from mock_interview.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = [m for m in ('faster_whisper', 'ctranslate2', 'textual', 'sounddevice', 'pyttsx3') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
