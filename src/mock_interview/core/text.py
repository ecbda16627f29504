"""Text utilities the stages share: one spoken word split from its punctuation, and the
normal form every matcher compares (fillers, rubric, story phases, follow-ups)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

HESITATION = re.compile(r"^(?:u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m+h*m+|h+u+h+)$")
"""um, umm, uhm, uh, uhh, er, erm, ah, ahh, hm, hmm, mm, mmm, mhm, huh."""


def is_hesitation(word: str) -> bool:
    """Whether a normalised word is a hesitation sound (always a filler)."""
    return bool(HESITATION.match(word.replace("-", "")))


@dataclass(frozen=True)
class Token:
    """One word as spoken, with the punctuation Whisper attached to it."""

    word: str
    """Lower case, letters and apostrophes only."""
    before: str
    """Punctuation that came before the word ("" if none)."""
    after: str
    """Punctuation that came after the word."""
    gap_before: float = 0.0
    gap_after: float = 0.0


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, everything but letters, digits and ' gone."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_WORD.findall(text))


def tokenize(text: str) -> Token:
    """Split one Whisper word (" like,") into its word and surrounding punctuation."""
    raw = text.strip().replace("\u2019", "'")
    match = re.search(r"[A-Za-z0-9]", raw)
    if not match:
        return Token(word="", before=raw, after="")
    last = max(i for i, ch in enumerate(raw) if ch.isalnum())
    core = raw[match.start() : last + 1]
    return Token(word=normalise(core).replace(" ", ""), before=raw[: match.start()], after=raw[last + 1 :])
