"""The timeline every stage shares: words with their times in the whole take."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Word:
    text: str
    """The word as transcribed, with any punctuation Whisper attached."""
    start: float
    end: float
    probability: float = 1.0

    def shifted(self, offset: float) -> "Word":
        return Word(self.text, round(self.start + offset, 3), round(self.end + offset, 3), self.probability)

    def to_dict(self) -> dict:
        return asdict(self)


def join_text(words: "list[Word] | tuple[Word, ...]") -> str:
    """The transcript as one string, spaced as spoken."""
    return " ".join(w.text.strip() for w in words if w.text.strip())
