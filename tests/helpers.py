"""Hand-made word timelines for tests."""

from __future__ import annotations

from mock_interview.core.speech.words import Word


def timeline(text: str, start: float = 0.5, step: float = 0.3, gaps: dict[int, float] | None = None) -> list[Word]:
    """Words of ``text`` one every ``step`` seconds; ``gaps`` adds silence after word i."""
    gaps = gaps or {}
    words = []
    t = start
    for i, token in enumerate(text.split()):
        words.append(Word(token, round(t, 3), round(t + step * 0.8, 3), 0.9))
        t += step + gaps.get(i, 0.0)
    return words
