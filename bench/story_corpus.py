"""The labelled story corpus of bench/data (see bench/data/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data")
SPLITS = ("train", "dev", "test", "test2")
FROZEN = ("test", "test2")
"""Held-out splits, each one file committed before it was first judged: never fitted or tuned on."""
LABELS = {"S": "situation", "O": "obstacle", "A": "action", "R": "result", "L": "lesson", "N": "none"}


@dataclass(frozen=True)
class Story:
    id: str
    question: str
    style: str
    sentences: tuple[tuple[str, str], ...]
    """(phase, text) of each sentence, phase one of LABELS' values."""
    source: str = ""
    """The file it was read from (its name)."""

    @property
    def writer(self) -> str:
        """Which writer (pass) wrote it: the number of its file, ``stories_train_4.txt`` -> "4"; the first files "1"."""
        tail = self.source.removesuffix(".txt").split("_")[2:]
        return tail[0] if tail else "1"

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.sentences)

    @property
    def phases(self) -> set[str]:
        return {p for p, _ in self.sentences if p != "none"}


def files(split: str) -> list[Path]:
    """The split's files: ``stories_SPLIT.txt`` and any ``stories_SPLIT_*.txt`` added later. Each
    frozen split is one file: ``test`` (written with the first corpus) and ``test2``
    (``stories_test_2.txt``, written later by a writer who never saw the judge or the other files)."""
    if split == "test":
        return [DATA / "stories_test.txt"]
    if split == "test2":
        return [DATA / "stories_test_2.txt"]
    return [DATA / f"stories_{split}.txt"] + sorted(DATA.glob(f"stories_{split}_*.txt"))


def load(split: str) -> list[Story]:
    stories: list[Story] = []
    for path in files(split):
        stories += _read(path)
    ids = [s.id for s in stories]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup:
        raise SystemExit(f"story id {dup} appears twice in the {split} split")
    return stories


def _read(path: Path) -> list[Story]:
    stories: list[Story] = []
    head: dict[str, str] | None = None
    lines: list[tuple[str, str]] = []

    def close() -> None:
        if head is not None:
            stories.append(Story(head["id"], head["question"], head.get("style", ""), tuple(lines), path.name))

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("==="):
            close()
            head = dict(
                (k.strip(), v.strip()) for k, v in (f.split(":", 1) for f in line.strip("= ").split("|"))
            )
            lines = []
            continue
        label, _, text = line.partition(" ")
        if label not in LABELS or head is None or not text:
            raise SystemExit(f"{path}:{n}: expected 'S|O|A|R|L|N sentence' inside a story")
        lines.append((LABELS[label], text.strip()))
    close()
    return stories
