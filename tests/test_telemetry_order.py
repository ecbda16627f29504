"""Telemetry is off before a dependency that has it is imported, from every entry point.

Each entry point runs in a fresh interpreter with an import hook that notes, at the
first import of onnxruntime, faster_whisper, ctranslate2 and huggingface_hub, whether
``ORT_DISABLE_TELEMETRY`` and ``HF_HUB_DISABLE_TELEMETRY`` were already set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ("onnxruntime", "faster_whisper", "ctranslate2", "huggingface_hub")

HOOK = """
import json, os, sys
seen = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in %(watched)r and name not in seen:
            seen[name] = [os.environ.get("ORT_DISABLE_TELEMETRY"), os.environ.get("HF_HUB_DISABLE_TELEMETRY")]
        return None
sys.meta_path.insert(0, Watch())
import atexit
atexit.register(lambda: print("SEEN " + json.dumps(seen), file=sys.__stderr__))
""" % {"watched": WATCHED}


def run_with_hook(body: str, env_extra: dict | None = None, cwd: Path = ROOT) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "HF_HUB_DISABLE_TELEMETRY")}
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", HOOK + body], capture_output=True, text=True, env=env, cwd=cwd,
                         timeout=300)
    line = next((l for l in out.stderr.splitlines() if l.startswith("SEEN ")), None)
    assert line is not None, f"the entry point failed:\n{out.stderr}"
    return json.loads(line.removeprefix("SEEN "))


def assert_off_before_each(seen: dict, must_see: tuple[str, ...]) -> None:
    for name in must_see:
        assert name in seen, f"{name} was never imported: the entry point did not reach the model"
    for name, (ort, hf) in seen.items():
        assert ort == "1" and hf == "1", f"{name} was imported before telemetry was switched off"


@pytest.mark.real_model
def test_the_command_line(speech_dir):
    """`mock-interview analyze` (the console script calls mock_interview.cli.main)."""
    clip = speech_dir / "clips" / "mfa_um.flac"
    seen = run_with_hook(f"from mock_interview.cli import main\nmain(['analyze', {str(clip)!r}, '--json'])\n")
    assert_off_before_each(seen, ("onnxruntime", "faster_whisper", "ctranslate2"))


@pytest.mark.real_model
def test_python_dash_m(speech_dir):
    clip = speech_dir / "clips" / "mfa_um.flac"
    body = f"import runpy\nsys.argv = ['mock-interview', 'analyze', {str(clip)!r}]\n" \
           "try:\n    runpy.run_module('mock_interview', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    assert_off_before_each(run_with_hook(body), ("onnxruntime", "faster_whisper"))


@pytest.mark.real_model
def test_the_app_loading_its_model_and_hearing_speech():
    """The app's start builds its parts (tui.main), loads the model and runs the VAD."""
    body = (
        "import numpy as np\n"
        "from mock_interview.tui import main as app_main\n"
        "from mock_interview.core.speech.transcribe import WhisperTranscriber\n"
        "from mock_interview.core.speech.vad import speech_regions\n"
        "WhisperTranscriber().load()\n"
        "speech_regions(np.zeros(16000, dtype=np.float32))\n"
    )
    assert_off_before_each(run_with_hook(body), ("onnxruntime", "faster_whisper", "ctranslate2"))


def _imports(path: Path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")))
def test_each_benchmark_sets_it_before_its_own_imports(script):
    """A benchmark's module-level imports run, then a dependency is imported as its code would.

    A script that never imports the package (startup.py only launches the app, which
    is its own entry point) must not import a watched dependency either.
    """
    path = ROOT / "bench" / script
    if "mock_interview" not in _imports(path):
        assert not _imports(path) & set(WATCHED), f"{script} imports a dependency without the package first"
        return
    body = (
        "import runpy\n"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        f"runpy.run_path({str(path)!r}, run_name='imported')\n"
        "import onnxruntime\n"
    )
    assert_off_before_each(run_with_hook(body), ("onnxruntime",))


def test_a_value_the_user_set_is_kept():
    body = "import mock_interview, os\nprint('ORT=' + os.environ['ORT_DISABLE_TELEMETRY'], file=sys.__stderr__)\n"
    env = {k: v for k, v in os.environ.items()}
    env["ORT_DISABLE_TELEMETRY"] = "0"
    out = subprocess.run([sys.executable, "-c", HOOK + body], capture_output=True, text=True, env=env, timeout=60)
    assert "ORT=0" in out.stderr

