"""Text utilities the stages share: one spoken word split from its punctuation, the
normal form every matcher compares (fillers, rubric, story phases, follow-ups), and
numbers written as they are said."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

HESITATION = re.compile(r"^(?:u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m+h*m+|h+u+h+)$")
"""um, umm, uhm, uh, uhh, er, erm, ah, ahh, hm, hmm, mm, mmm, mhm, huh."""


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}


def number_words(n: int) -> str:
    """``n`` as said, without "and": 84 -> "eighty four", 30000 -> "thirty thousand"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, name in _SCALES:
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {name}" + ("" if rest == 0 else " " + number_words(rest))
    raise AssertionError(n)


def _ordinal(n: int) -> str:
    words = number_words(n).split()
    last = words[-1]
    words[-1] = _ORDINAL.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join(words)


def spoken_numbers(text: str) -> str:
    """Digits written as words, the way they are said: "91%" -> "ninety one percent", "$5" ->
    "five dollars", "2.5" -> "two point five", "3rd" -> "third", "30,000" -> "thirty thousand"."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\$(\d+(?:\.\d+)?)", r"\1 dollars", text)
    text = text.replace("%", " percent")
    text = re.sub(r"(\d)\.(\d)", r"\1 point \2", text)
    text = re.sub(r"\b(\d{1,12})(?:st|nd|rd|th)\b", lambda m: _ordinal(int(m.group(1))), text)
    return re.sub(r"\d{1,12}", lambda m: " " + number_words(int(m.group())) + " ", text)


def said_words(text: str) -> list[str]:
    """The normal form of ``text`` word by word, numbers as said: "90%." -> ["ninety", "percent"]."""
    return normalise(spoken_numbers(text)).split()


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
