"""Deciding which spoken words are fillers.

Hesitation sounds (um, uh, er, erm, ah, hm, and their elongated spellings) are always
fillers. Discourse fillers ("like", "you know", "I mean", "basically", "actually",
"literally", "sort of", "kind of", "right?") are decided by their context: the words
around them and the punctuation Whisper put there, which follows the speaker's
prosody ("it was, like, three weeks" against "a model like BERT").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from mock_interview.core.text import Token, is_hesitation, normalise, tokenize


# "like" after these is a verb or a preposition: "I like", "would like to", "looks like".
_LIKE_LICENSORS = frozenset(
    """i you we they he she it people who would 'd should could might may will
    'll do does did don't doesn't didn't to not really also just more much less
    look looks looked looking seem seems seemed feel feels felt sound sounds
    sounded something anything nothing everything things stuff act acts acted""".split()
)
# After these, "you know" is the verb "know": "do you know", "if you know".
_KNOW_VERB_BEFORE = frozenset(
    "do did don't didn't if as when what whether how because that where before once".split()
)
# A "you know" followed directly (no comma) by these takes an object: "you know the answer".
_KNOW_OBJECT_AFTER = frozenset(
    """what how that the a an it this these those who where why when whether about
    him her them me us your my our their which if exactly""".split()
)
# "a kind of model", "what sort of thing": a noun, not a hedge.
_DETERMINERS = frozenset(
    """a an the this that these those what which some any every each one another
    same different other new certain particular whatever no""".split()
)
_ALWAYS_FILLERS = frozenset({"basically", "literally"})
_CONJUNCTIONS = frozenset({"and", "but", "so", "or", "because", "then"})


def _set_off_after(tok: Token, pause: float) -> bool:
    return any(ch in tok.after for ch in ",.;:!?-…") or tok.gap_after >= pause


def _set_off_before(prev: Token | None, tok: Token, pause: float) -> bool:
    if prev is None:
        return True
    return any(ch in prev.after for ch in ",.;:!?-…") or bool(tok.before) or tok.gap_before >= pause


def _sentence_start(prev: Token | None) -> bool:
    return prev is None or any(ch in prev.after for ch in ".!?")


def find_fillers(tokens: Sequence[Token], pause: float = 0.35) -> list[tuple[int, int]]:
    """Return the fillers as (first index, last index) spans over ``tokens``.

    ``pause`` is the silent gap (seconds) that sets a word off as a comma would.
    """
    spans: list[tuple[int, int]] = []
    words = [t.word for t in tokens]
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        w = tok.word
        prev = tokens[i - 1] if i else None
        prev_word = prev.word if prev else ""
        nxt = tokens[i + 1] if i + 1 < n else None
        nxt_word = nxt.word if nxt else ""
        prev_is_filler = bool(spans) and spans[-1][1] == i - 1

        if not w:
            i += 1
            continue
        if is_hesitation(w):
            spans.append((i, i))
        elif w in _ALWAYS_FILLERS:
            spans.append((i, i))
        elif w == "actually":
            if _sentence_start(prev) or _set_off_after(tok, pause) or prev_is_filler:
                spans.append((i, i))
        elif w == "like":
            comma_before = prev is None or any(ch in prev.after for ch in ",.;:!?-…")
            marked = _set_off_before(prev, tok, pause) or _set_off_after(tok, pause) or prev_is_filler
            if nxt_word != "to" and (comma_before or (marked and prev_word not in _LIKE_LICENSORS)):
                spans.append((i, i))
        elif w == "you" and nxt_word == "know":
            know = tokens[i + 1]
            verb_before = prev_word in _KNOW_VERB_BEFORE and not _set_off_before(prev, tok, pause)
            takes_object = (
                nxt is not None
                and not _set_off_after(know, pause)
                and i + 2 < n
                and words[i + 2] in _KNOW_OBJECT_AFTER
            )
            if not verb_before and not takes_object:
                spans.append((i, i + 1))
                i += 2
                continue
        elif w in {"yknow", "y'know"}:
            spans.append((i, i))
        elif w == "i" and nxt_word == "mean":
            mean = tokens[i + 1]
            starts = _set_off_before(prev, tok, pause) or prev_word in _CONJUNCTIONS
            if starts and _set_off_after(mean, pause):
                spans.append((i, i + 1))
                i += 2
                continue
        elif w in {"sort", "kind"} and nxt_word == "of":
            if prev_word not in _DETERMINERS:
                spans.append((i, i + 1))
                i += 2
                continue
        elif w in {"sorta", "kinda"}:
            if prev_word not in _DETERMINERS:
                spans.append((i, i))
        elif w == "right":
            tag = "?" in tok.after
            opener = _sentence_start(prev) and _set_off_after(tok, pause) and nxt is not None
            if tag or opener:
                spans.append((i, i))
        i += 1
    return spans
