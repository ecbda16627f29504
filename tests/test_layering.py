"""The core's stages depend one way: speech -> delivery -> judge -> report; the store is
used by the session and the commands, never by the judge.

Every import statement of every core module is read from its source (also the ones
inside functions, where the heavy imports live). Imports under ``if TYPE_CHECKING:``
only name a type for the annotations and create no dependency at run time, so they
are left out; the test that imports the core in a fresh interpreter checks the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mock_interview.core as core

CORE = Path(core.__file__).parent

# What each stage may import from the core besides itself. Modules at the top of the
# core (report, session, the devices) may import any stage.
BASE = {"errors", "text"}
ALLOWED = {
    "speech": BASE,
    "delivery": BASE | {"speech"},
    "judge": BASE | {"speech", "delivery"},
    "store": None,  # the user's files: may read reports, banks and stories
}
# Top-level modules that a stage must not reach (the later stages).
TOP_LEVEL_AFTER_STAGES = {"report", "session", "textreport", "evaluate", "devices", "recorder", "player", "voice"}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _core_imports(path: Path) -> list[tuple[int, str]]:
    """(line, part of the core after ``mock_interview.core.``) of each runtime import."""
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "mock_interview.core":
                found += [(node.lineno, alias.name) for alias in node.names]
            elif node.module.startswith("mock_interview.core."):
                found.append((node.lineno, node.module.removeprefix("mock_interview.core.")))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mock_interview.core."):
                    found.append((node.lineno, alias.name.removeprefix("mock_interview.core.")))
    return found


def _violations() -> list[str]:
    bad = []
    for stage, allowed in ALLOWED.items():
        if allowed is None:
            continue
        for path in sorted((CORE / stage).glob("*.py")):
            for line, target in _core_imports(path):
                first = target.split(".")[0]
                if first == stage or first in allowed:
                    continue
                bad.append(f"core/{stage}/{path.name}:{line} imports core.{target}")
    return bad


def test_every_stage_is_a_package():
    for stage in ALLOWED:
        assert (CORE / stage / "__init__.py").is_file(), stage


def test_stages_import_only_earlier_stages():
    assert _violations() == []


def test_the_check_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The checker itself: a judge module that opens the store is reported."""
    fake = tmp_path / "core"
    for stage in ALLOWED:
        (fake / stage).mkdir(parents=True)
        (fake / stage / "__init__.py").write_text("")
    (fake / "judge" / "leaky.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from mock_interview.core.report import Report\n"
        "def f():\n    from mock_interview.core.store.storage import Store\n"
    )
    (fake / "speech" / "ahead.py").write_text("from mock_interview.core import report\n")
    monkeypatch.setattr(__import__(__name__), "CORE", fake)
    assert _violations() == [
        "core/speech/ahead.py:1 imports core.report",
        "core/judge/leaky.py:5 imports core.store.storage",
    ]


def test_nothing_is_left_in_the_old_flat_places():
    """The stage modules live in their packages only (no stale copies at the top)."""
    stage_modules = {p.stem for stage in ALLOWED for p in (CORE / stage).glob("*.py")} - {"__init__"}
    top = {p.stem for p in CORE.glob("*.py")}
    assert not stage_modules & top
    assert TOP_LEVEL_AFTER_STAGES <= top
