"""Question banks: TOML files of questions with rubrics, loaded and validated.

A bank that does not validate is reported with its file, the entry and the field,
so that a user editing their own bank can find the problem at once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from mock_interview.core.errors import BankError

KINDS = ("technical", "design", "behavioral")
DEFAULT_GUIDELINE_S = 180


@dataclass(frozen=True)
class RubricPoint:
    id: str
    point: str
    """A short label of what the answer should get across."""
    phrasings: tuple[str, ...]
    """Ways of saying it; any one of them covers the point."""
    strong: str = ""
    """What a strong answer would have said, shown when the point is missed."""
    generic: bool = False
    """Something any answer of this kind says (a number, a lesson): it counts only when
    the answer also covers one of the question's points that are not generic."""
    phase: str | None = None
    """The story phase the point is named after ("Obstacle and root cause": obstacle), whose
    clauses give its evidence; None for a point of no phase. A bank says it with ``phase``,
    else it follows from the id (:data:`PHASE_IDS`)."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    guideline_s: int
    bank: str
    rubric: tuple[RubricPoint, ...]
    probing: str = ""
    tips: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()

    @property
    def qualified_id(self) -> str:
        return f"{self.bank}:{self.id}"


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    path: Path
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Problem:
    path: Path
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.message}" if self.where else f"{self.path}: {self.message}"


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, where, message))

    def text(self, table: dict, key: str, where: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(where, f"field '{key}' is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, f"field '{key}' must be non-empty text, not {value!r}")
            return ""
        return value.strip()

    def texts(self, table: dict, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(where, f"field '{key}' must be a list of non-empty texts")
            return ()
        if required and not value:
            self.add(where, f"field '{key}' must list at least one entry")
        return tuple(v.strip() for v in value)

    def seconds(self, table: dict, key: str, where: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 10 <= value <= 3600:
            self.add(where, f"field '{key}' must be a number of seconds between 10 and 3600, not {value!r}")
            return default
        return int(value)

    def unknown(self, table: dict, allowed: Iterable[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.add(where, f"unknown field '{key}' (allowed: {', '.join(sorted(allowed))})")


_BANK_KEYS = {"id", "title", "description", "guideline_s"}
_QUESTION_KEYS = {"id", "text", "kind", "guideline_s", "probing", "tips", "follow_ups", "rubric"}
_POINT_KEYS = {"id", "point", "phrasings", "strong", "generic", "phase"}
STORY_PHASES = ("situation", "obstacle", "action", "result", "lesson")
PHASE_IDS = {"situation": "situation", "obstacle": "obstacle", "actions": "action", "action": "action",
             "owned-actions": "action", "result": "result", "lesson": "lesson"}
"""The phase of a rubric point whose bank does not say one, by the point's id, as the banks name them."""


def _parse(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BankError(f"question bank not found: {path}") from None
    except OSError as exc:
        raise BankError(f"cannot read question bank {path}: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BankError(f"{path}: not a text file (question banks are UTF-8 TOML)") from None
    except tomllib.TOMLDecodeError as exc:
        raise BankError(f"{path}: TOML syntax error: {exc}") from None


def check_bank(path: Path) -> tuple[Bank | None, list[Problem]]:
    """Read and validate one bank: the bank (if usable) and every problem found."""
    try:
        data = _parse(path)
    except BankError as exc:
        return None, [Problem(path, "", str(exc).removeprefix(f"{path}: "))]
    c = _Checker(path)
    meta = data.get("bank", {})
    if not isinstance(meta, dict):
        c.add("[bank]", "must be a table")
        meta = {}
    c.unknown(meta, _BANK_KEYS, "[bank]")
    bank_id = meta.get("id") or path.stem
    if not isinstance(bank_id, str):
        c.add("[bank]", f"field 'id' must be text, not {bank_id!r}")
        bank_id = path.stem
    title = meta.get("title") if isinstance(meta.get("title"), str) else bank_id
    default_guideline = c.seconds(meta, "guideline_s", "[bank]", DEFAULT_GUIDELINE_S)
    for key in data:
        if key not in {"bank", "questions"}:
            c.add(f"[{key}]", "unknown table (a bank has [bank] and [[questions]])")

    entries = data.get("questions")
    if not isinstance(entries, list) or not entries:
        c.add("[[questions]]", "the bank has no questions")
        entries = []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        where = f"questions[{n}]"
        if not isinstance(entry, dict):
            c.add(where, "must be a table")
            continue
        qid = entry.get("id")
        if isinstance(qid, str) and qid.strip():
            where = f"questions[{n}] (id '{qid}')"
        c.unknown(entry, _QUESTION_KEYS, where)
        qid = c.text(entry, "id", where)
        if qid and qid in seen:
            c.add(where, f"duplicate id '{qid}' (also questions[{seen[qid]}])")
        elif qid:
            seen[qid] = n
        text = c.text(entry, "text", where)
        kind = c.text(entry, "kind", where)
        if kind and kind not in KINDS:
            c.add(where, f"field 'kind' must be one of {', '.join(KINDS)}, not '{kind}'")
        guideline = c.seconds(entry, "guideline_s", where, default_guideline)
        points = _check_rubric(c, entry.get("rubric"), where)
        questions.append(
            Question(
                id=qid,
                text=text,
                kind=kind,
                guideline_s=guideline,
                bank=bank_id,
                rubric=tuple(points),
                probing=c.text(entry, "probing", where, required=False),
                tips=c.texts(entry, "tips", where),
                follow_ups=c.texts(entry, "follow_ups", where),
            )
        )
    if c.problems:
        return None, c.problems
    return Bank(id=bank_id, title=title, path=path, questions=tuple(questions)), []


def _check_rubric(c: _Checker, rubric: Any, where: str) -> list[RubricPoint]:
    if rubric is None or (isinstance(rubric, list) and not rubric):
        c.add(where, "field 'rubric' is empty: give at least one rubric point")
        return []
    if not isinstance(rubric, list):
        c.add(where, "field 'rubric' must be a list of [[questions.rubric]] tables")
        return []
    points = []
    seen: set[str] = set()
    for m, point in enumerate(rubric, start=1):
        pwhere = f"{where} rubric[{m}]"
        if not isinstance(point, dict):
            c.add(pwhere, "must be a table with 'id', 'point' and 'phrasings'")
            continue
        if isinstance(point.get("id"), str):
            pwhere = f"{where} rubric[{m}] (id '{point['id']}')"
        c.unknown(point, _POINT_KEYS, pwhere)
        pid = c.text(point, "id", pwhere)
        if pid in seen:
            c.add(pwhere, f"duplicate rubric id '{pid}'")
        seen.add(pid)
        phrasings = c.texts(point, "phrasings", pwhere, required=True)
        _check_phrasings(c, phrasings, pwhere)
        generic = point.get("generic", False)
        if not isinstance(generic, bool):
            c.add(pwhere, f"field 'generic' must be true or false, not {generic!r}")
            generic = False
        phase = point.get("phase", PHASE_IDS.get(pid))
        if phase is not None and phase not in STORY_PHASES:
            c.add(pwhere, f"field 'phase' must be one of {', '.join(STORY_PHASES)}, not {phase!r}")
            phase = None
        points.append(
            RubricPoint(
                id=pid,
                point=c.text(point, "point", pwhere),
                phrasings=phrasings,
                strong=c.text(point, "strong", pwhere, required=False),
                generic=generic,
                phase=phase,
            )
        )
    return points


def _check_phrasings(c: _Checker, phrasings: tuple[str, ...], where: str) -> None:
    from mock_interview.core.judge.rubric import check_phrasing  # the matcher imports this module

    for k, phrasing in enumerate(phrasings, start=1):
        problem = check_phrasing(phrasing)
        if problem:
            c.add(where, f"field 'phrasings' entry {k} ('{phrasing}'): {problem}")


def load_bank(path: str | Path) -> Bank:
    """Load one bank or raise :class:`BankError` naming the file, entry and field."""
    path = Path(path)
    bank, problems = check_bank(path)
    if bank is None:
        first = str(problems[0])
        more = len(problems) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''}: run `mock-interview questions validate {path}`)"
        raise BankError(first)
    return bank


def find_question(banks: Iterable[Bank], question_id: str) -> Question:
    """Find by ``id`` or ``bank:id``; raise :class:`BankError` if unknown or ambiguous."""
    banks = list(banks)
    bank_id, _, qid = question_id.rpartition(":")
    found = [q for b in banks if not bank_id or b.id == bank_id for q in b.questions if q.id == qid]
    if not found:
        known = ", ".join(q.id for b in banks for q in b.questions)
        raise BankError(f"unknown question id '{question_id}': known ids are {known}")
    if len(found) > 1:
        options = ", ".join(q.qualified_id for q in found)
        raise BankError(f"question id '{question_id}' is in several banks: use one of {options}")
    return found[0]
