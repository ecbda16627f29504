"""No speech without words: find the speech a transcription left bare and try it again.

Whisper sometimes returns nothing for seconds of clear speech (it jumps its timestamps
past them, or a filter takes a window it was unsure of). The voice activity detector
hears that speech, so each stretch of it with no word on it is transcribed again on its
own, with a little audio either side. What is still bare is reported as *uncovered*,
never shown as a pause.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.transcribe import is_sound, sound_name
from mock_interview.core.text import is_hesitation, normalise, said_words
from mock_interview.core.speech.vad import Region, Sound, silences, united
from mock_interview.core.speech.words import Word

_T = TypeVar("_T")
_R = TypeVar("_R")
Each = Callable[[Callable[[_T], _R], Sequence[_T]], list[_R]]
"""Runs a function over items and returns the results in order: one after another
(:func:`one_by_one`), or several at once on a transcriber whose decodes may run side by side
(:meth:`~mock_interview.core.speech.transcribe.WhisperTranscriber.each`). The pieces heard
again here are independent of each other, so the words are the same either way."""


def one_by_one(fn: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    return [fn(x) for x in items]


MIN_BARE_S = 0.5
"""Speech at least this long with no word on it is bare."""
WORD_SLACK_S = 0.25
"""Whisper's word times are rough: a word covers this much either side of its stamps."""
MAX_WORD_S = 1.0
"""A word stamped longer than this is stretched over something (:func:`covering_spans`): chosen on the
dev corpus, where words of 1 s or more were mostly a sentence's last word stretched over the pause
after it, or a word stretched over speech the decoder skipped."""
STRETCHED_END_S = 0.25
"""How much of a stretched word, at each end, the word itself may take."""
RETRY_PAD_S = 0.3
"""Audio either side of a bare stretch when it is transcribed again."""
JOIN_S = 5.0
"""Bare stretches this close are transcribed again in one call (each call costs a Whisper window)..."""
MAX_RETRY_S = 12.0
"""...unless that call would be longer than this: a long piece fails as the chunk did."""


def _held(w: Word) -> bool:
    """Whether ``w`` is no said word (empty), a sound, or a hesitation: each may be held however long."""
    return not w.text.strip() or is_sound(w.text) or is_hesitation(normalise(w.text))


def stretched(w: Word, max_word_s: float = MAX_WORD_S) -> bool:
    """Whether ``w`` is stamped longer than ``max_word_s`` for each word said in it ("90%" is two),
    and is not a hesitation (which may be held) nor a sound: stretched over something else."""
    return not _held(w) and w.end - w.start > max_word_s * max(1, len(said_words(w.text)))


def covering_spans(
    words: Sequence[Word], slack_s: float = WORD_SLACK_S, max_word_s: float = MAX_WORD_S
) -> list[tuple[float, float]]:
    """The time each word vouches for, ``slack_s`` either side of its stamps, in time order. A word
    stamped longer than ``max_word_s`` for each word it stands for ("90%" is two said) and not a
    hesitation, which may be held, vouches only for :data:`STRETCHED_END_S` at each end (the word
    itself is at one of them): Whisper stretches a word's stamps over speech it skipped ("that"
    stamped for 2.4 s over "the error started on the 14th of March"), and what is inside is bare."""
    spans = []
    for w in words:
        if stretched(w, max_word_s):
            spans += [(w.start - slack_s, w.start + STRETCHED_END_S + slack_s),
                      (w.end - STRETCHED_END_S - slack_s, w.end + slack_s)]
        else:
            spans.append((w.start - slack_s, w.end + slack_s))
    return sorted(spans)


def bare_stretches(
    regions: Sequence[Region], words: Sequence[Word], min_s: float = MIN_BARE_S, slack_s: float = WORD_SLACK_S
) -> list[Region]:
    """The parts of speech ``regions`` (``min_s`` or longer) that no word covers (:func:`covering_spans`)."""
    spans = covering_spans(words, slack_s)
    bare: list[Region] = []
    for r in regions:
        at = r.start
        for a, b in spans:
            if b <= at or a >= r.end:
                continue
            if a - at >= min_s:
                bare.append(Region(round(at, 3), round(a, 3)))
            at = max(at, b)
        if r.end - at >= min_s:
            bare.append(Region(round(at, 3), round(r.end, 3)))
    return bare


def left_bare(regions: Sequence[Region], words: Sequence[Word], bare: Sequence[Region], sounds: Sequence[Region] = ()) -> list[Region]:
    """``bare`` with the speech ``regions`` that ``words`` (and ``sounds``) leave bare now and no
    stretch of ``bare`` touches, in time order: the checks after a second try (a word retimed over
    a held sound, a run heard alone, stamps fitted to the speech) can leave bare what was covered
    when the second try looked, and such speech is marked, never silently lost."""
    heard = [*words, *(Word("", r.start, r.end) for r in sounds)]
    new = [r for r in bare_stretches(regions, heard) if not any(b.start < r.end and r.start < b.end for b in bare)]
    return sorted([*bare, *new], key=lambda r: r.start)


def cover(
    samples: np.ndarray,
    words: list[Word],
    regions: Sequence[Region],
    transcribe: Callable[[np.ndarray], list[Word]],
    min_s: float = MIN_BARE_S,
    pad_s: float = RETRY_PAD_S,
    join_s: float = JOIN_S,
    cache: dict | None = None,
    offset_s: float = 0.0,
    sounds: list[Sound] | None = None,
    each: Each = one_by_one,
) -> tuple[list[Word], list[Region]]:
    """``words`` (timed from the start of ``samples``) with bare speech transcribed again.

    Bare stretches close together are transcribed as one piece, and all the pieces of a
    call go to the model in one decode, silence between them (:func:`_pack`): a decode
    costs a whole Whisper window however short its audio. A word of the retry is kept if
    its middle lies in a bare stretch and it does not repeat a word already there beside
    it (the padding holds the neighbours' edges); which words the decoder is sure of is
    the transcriber's to say (``transcribe_again``). A non-speech sound it names
    (:func:`is_sound`: laughter, a sigh) covers its stretch without being a word: it is
    added to ``sounds`` if given. Returns the words in time order and the stretches still
    bare after the retry. ``cache`` keeps retries by where they lie in the take
    (``samples`` starting at ``offset_s``), so that a piece transcribed again as the take
    grows is not retried twice.
    """
    uncovered: list[Region] = []
    found: list[Word] = []
    retimed: dict[int, Word] = {}
    total = len(samples) / SAMPLE_RATE
    groups = _groups(bare_stretches(regions, words, min_s), join_s)
    spans = [(max(0.0, g[0].start - pad_s), min(total, g[-1].end + pad_s)) for g in groups]
    keys = [(round((offset_s + a) * 10), round((offset_s + b) * 10)) for a, b in spans]
    todo = [i for i, k in enumerate(keys) if cache is None or k not in cache]
    heard_at = dict(zip(todo, _retry(samples, [spans[i] for i in todo], transcribe, each)))
    for i, (group, (a, b), key) in enumerate(zip(groups, spans, keys)):
        if i in heard_at:
            heard = heard_at[i]
            if cache is not None:
                cache[key] = heard
        else:
            heard = cache[key]
        again = [w.shifted(a) for w in heard]
        for r in group:
            inside = [w for w in again if r.start - WORD_SLACK_S <= (w.start + w.end) / 2 <= r.end + WORD_SLACK_S]
            heard_sounds = [w for w in inside if is_sound(w.text)]
            new: list[Word] = []
            for w in inside:
                if is_sound(w.text):
                    continue
                n = _neighbour(w, words, pad_s + WORD_SLACK_S)
                if n is None:
                    new.append(w)
                else:  # the first pass wrote this word beside the stretch: its times were off
                    old = retimed.get(n, words[n])
                    if stretched(old) and old.start <= w.start and w.end <= old.end:
                        # stamped over the pause after it: the word ends where the retry heard it end
                        retimed[n] = Word(old.text, old.start, w.end, old.probability)
                    else:
                        # ...but not past the words beside it: a retry's "just..." stretched over
                        # the held "uh" said before it would move "just" ahead of the "uh".
                        start = max(min(old.start, w.start), words[n - 1].end if n > 0 else 0.0)
                        end = min(max(old.end, w.end), words[n + 1].start if n + 1 < len(words) else total)
                        retimed[n] = Word(old.text, min(start, old.start), max(end, old.end), old.probability)
            found.extend(new)
            for w in heard_sounds:
                if sounds is not None:
                    sounds.append(Sound(round(max(r.start, w.start), 3), round(min(r.end, w.end), 3), sound_name(w.text)))
            uncovered.extend(bare_stretches([r], [*new, *heard_sounds, *retimed.values()], min_s))
    uncovered = _held_hesitations(uncovered, words, retimed)
    if not found and not retimed:
        return words, uncovered
    kept = [retimed.get(i, w) for i, w in enumerate(words)]
    return sorted([*kept, *found], key=lambda w: (w.start, w.end)), uncovered


HELD_S = 0.2
"""A hesitation stamped shorter than this is a collapsed stamp, not the sound's length."""
HELD_GAP_S = 2 * WORD_SLACK_S
"""...and it is the sound of the bare stretch it lies this close to (after it or before it)."""
MAX_HELD_S = 2.5
"""A held "uhhh" is not longer than this; longer bare speech stays uncovered."""


def _held_hesitations(stretches: list[Region], words: Sequence[Word], retimed: dict[int, Word]) -> list[Region]:
    """The bare ``stretches`` that are not a held hesitation; a held one lengthens its word.

    Whisper writes a long "uhhh" or "ummm" as a word with both stamps on one instant at
    the edge of the sound (its timing follows the text tokens, and a hesitation has no
    syllables to follow), so the speech of the sound is left bare beside it, and the
    retry of the stretch alone has not heard a word there either. A bare stretch with such
    a collapsed hesitation right after it (or right before it) and no other word between
    is that sound: the word is retimed to span it (in ``retimed``, by index in ``words``)
    and the stretch is covered. Each word takes one stretch.
    """
    left: list[Region] = []
    taken: set[int] = set()
    for r in stretches:
        if r.end - r.start > MAX_HELD_S:
            left.append(r)
            continue
        near = [
            (min(abs(w.start - r.end), abs(r.start - w.end)), i)
            for i, w in enumerate(words)
            if i not in taken
            and is_hesitation(normalise(w.text))
            and w.end - w.start < HELD_S
            and (r.end - WORD_SLACK_S <= w.start <= r.end + HELD_GAP_S or r.start - HELD_GAP_S <= w.end <= r.start + WORD_SLACK_S)
        ]
        if not near:
            left.append(r)
            continue
        i = min(near)[1]
        w = retimed.get(i, words[i])
        between = [v for v in words if v is not words[i] and min(w.start, r.start) < (v.start + v.end) / 2 < max(w.end, r.end)]
        if between:
            left.append(r)
            continue
        taken.add(i)
        retimed[i] = Word(w.text, round(min(w.start, r.start), 3), round(max(w.end, r.end), 3), w.probability)
    return left


GAP_S = 1.0
"""Silence between the pieces of one retry decode: the model ends a segment in it."""
PACK_S = 28.0
"""Pieces are packed into one decode up to this long (a Whisper window is 30 s)."""
AGAIN_PAD_S = 0.3
"""More audio either side of a piece decoded a second time because the first left it empty."""


def _retry(
    samples: np.ndarray,
    spans: Sequence[tuple[float, float]],
    transcribe: Callable[[np.ndarray], list[Word]],
    each: Each = one_by_one,
) -> list[list[Word]]:
    """What ``transcribe`` hears in each span of ``samples`` (words timed from the span's start),
    as few decodes as the spans fit in: each span once, with silence between them."""
    out: list[list[Word]] = [[] for _ in spans]
    packed = []
    for batch in _pack(spans):
        gap = np.zeros(int(GAP_S * SAMPLE_RATE), dtype=np.float32)
        pieces, starts, at = [], [], 0
        for i in batch:
            a, b = spans[i]
            piece = samples[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]
            if pieces:
                pieces.append(gap)
                at += len(gap)
            starts.append(at)
            pieces.append(piece)
            at += len(piece)
        packed.append((batch, starts, pieces))
    heard_each = each(transcribe, [pieces[0] if len(pieces) == 1 else np.concatenate(pieces) for _, _, pieces in packed])
    for (batch, starts, pieces), heard in zip(packed, heard_each):
        for i, s0, piece in zip(batch, starts, pieces[::2]):
            lo, hi = s0 / SAMPLE_RATE, (s0 + len(piece)) / SAMPLE_RATE
            out[i] = [w.shifted(-lo) for w in heard if lo <= (w.start + w.end) / 2 <= hi]
    total = len(samples) / SAMPLE_RATE
    # The decode of a short piece turns on its edges and on the pieces beside it (a sentence
    # retried from 0.0 s came back empty, from 0.05 s whole; a laugh packed after a breath went
    # unnamed): a piece left empty is decoded once more, alone, with more audio either side.
    empty = [(i, max(0.0, a - AGAIN_PAD_S), min(total, b + AGAIN_PAD_S)) for i, (a, b) in enumerate(spans) if not out[i]]
    again = each(transcribe, [samples[int(a2 * SAMPLE_RATE) : int(b2 * SAMPLE_RATE)] for _, a2, b2 in empty])
    for (i, a2, _), heard in zip(empty, again):
        out[i] = [w.shifted(a2 - spans[i][0]) for w in heard]
    return out


def _pack(spans: Sequence[tuple[float, float]], max_s: float = PACK_S, gap_s: float = GAP_S) -> list[list[int]]:
    """Indices of ``spans`` in batches whose pieces and gaps fit in ``max_s``."""
    batches: list[list[int]] = []
    length = 0.0
    for i, (a, b) in enumerate(spans):
        if batches and length + gap_s + (b - a) <= max_s:
            batches[-1].append(i)
            length += gap_s + (b - a)
        else:
            batches.append([i])
            length = b - a
    return batches


def _repeats(again: list[str], first: list[str]) -> bool:
    """Whether a word of the retry (``again``, as said) is the first pass's word or part of it:
    "percent" said after the "90%." the first pass stamped too short."""
    n = len(again)
    return again == first or (n > 0 and any(first[i : i + n] == again for i in range(len(first) - n + 1)))


def _neighbour(word: Word, words: Sequence[Word], within_s: float) -> int | None:
    """The index of the word already transcribed that ``word`` repeats (the same word as said,
    or part of it, within ``within_s``): a neighbour heard again in the retry's padding, or a
    word whose times the first pass put beside the speech it was (a long "uhh" stamped as an
    instant after it, the "percent" of a "90%" stamped as the "ninety" alone)."""
    said = said_words(word.text)
    near = [
        (abs((w.start + w.end) - (word.start + word.end)), i)
        for i, w in enumerate(words)
        if _repeats(said, said_words(w.text)) and w.start - within_s <= word.end and word.start <= w.end + within_s
    ]
    return min(near)[1] if near else None


def _groups(stretches: Sequence[Region], join_s: float, max_s: float = MAX_RETRY_S) -> list[list[Region]]:
    groups: list[list[Region]] = []
    for r in stretches:
        if groups and r.start - groups[-1][-1].end <= join_s and r.end - groups[-1][0].start <= max_s:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


COVER_WIDEN_S = 0.1
"""The chunker's VAD pads speech by 0.1 s to cut close to it; coverage counts speech as the VAD
does by default (0.2 s either side, pauses under 0.3 s inside speech), so its regions are
widened by the difference: a held sound at a region's edge is then seen bare, not cut off."""


FIT_SILENCE_S = 1.0
"""A silence the VAD hears at least this long is not part of any word (:func:`fitted_to_speech`)."""


def fitted_to_speech(
    words: Sequence[Word], regions: Sequence[Region], min_silence_s: float = FIT_SILENCE_S, slack_s: float = WORD_SLACK_S,
) -> list[Word]:
    """``words`` (timed as ``regions``, the speech the VAD hears in a piece of audio) with the
    stamps that reach into a silence of ``min_silence_s`` or more pulled back to the speech's
    edge, ``slack_s`` into the silence. What follows the last speech counts as silence however
    short the piece's own tail: the chunker cuts a take 0.1 s after speech, at a pause, and the
    decoder stamps the chunk's last word into the padding past its end, over the pause.

    Whisper stretches a sentence's last word over the silence after it ("time." stamped
    28.14-29.92 over a silence from 28.94 to 31.61), and sometimes the next sentence's first word
    back over it. Pauses are measured between word stamps, so such a silence was reported
    shorter or not at all (`bench/parity.py`'s ``pauses``: a quarter of the silences of 2 s or
    more on the corpus). A word that starts in speech keeps its start and ends at most
    ``slack_s`` into the silence after; a word that starts in the silence and runs into the speech
    after it starts ``slack_s`` before that speech. A word wholly inside a silence, a hesitation
    (a held "hmm" the VAD may not hear) and a sound keep their stamps.
    """
    quiet = [(a, b) for a, b in silences(regions, before=0.0, after=float("inf")) if b - a >= min_silence_s]
    out: list[Word] = []
    for w in words:
        start, end = w.start, w.end
        if not _held(w):
            for s0, s1 in quiet:
                if start < s0 < end - slack_s:
                    end = max(start, s0 + slack_s)
                elif s0 <= start < s1 < end:
                    start = min(end, max(start, s1 - slack_s))
        out.append(w if (start, end) == (w.start, w.end) else Word(w.text, round(start, 3), round(end, 3), w.probability))
    return out


def widened(regions: Sequence[Region], by_s: float, total_s: float) -> list[Region]:
    """``regions`` each ``by_s`` longer at both ends (within 0 and ``total_s``), merged where they meet."""
    return united([Region(max(0.0, r.start - by_s), min(total_s, r.end + by_s)) for r in regions])


UNSURE_P = 0.4
"""A word the first pass gave less than this probability..."""
UNSURE_HELD_S = 0.5
"""...and held this long or longer may be a hesitation the model wrote as a word."""
UNSURE_PAD_S = 0.1
"""Audio either side of such a word when it is heard again alone."""


def unsure(w: Word, until_s: float | None = None) -> bool:
    """Whether :func:`unsure_hesitations` hears ``w`` again alone: long, unsure, a word (not a
    hesitation nor a sound), and its middle not after ``until_s``."""
    tokens = normalise(w.text).split()
    return (w.probability < UNSURE_P and w.end - w.start >= UNSURE_HELD_S and bool(tokens)
            and not any(is_hesitation(t) for t in tokens) and not is_sound(w.text)
            and (until_s is None or (w.start + w.end) / 2 <= until_s))


def unsure_hesitations(
    samples: np.ndarray,
    words: list[Word],
    hesitation_alone: Callable[[np.ndarray], str | None],
    cache: dict | None = None,
    offset_s: float = 0.0,
    until_s: float | None = None,
    each: Each = one_by_one,
) -> list[Word]:
    """``words`` (timed from the start of ``samples``) with each long word the model was unsure
    of heard again alone, and written as the hesitation it is when two decodes of it alone
    find no word in it (``hesitation_alone``, the transcriber's). Words whose middle lies after
    ``until_s`` are left as they are (a look-ahead keeps only the words before its last pause).

    In noise Whisper writes words over "uh um uh hm" ("of course I'm on three y'all" at 12 dB):
    they are long (0.5 to 2 s) and unsure (p 0.1 to 0.35), but so are some real words, so
    duration and probability alone cannot tell them apart (dev and ``shared``: no bar
    separated them). Heard alone, a real word is heard as a word again. Chosen on the dev
    split (``bench/parity.py``: 3 of the 10 fillers missed in 12 dB noise found, one "ha"
    heard as "uh"); ``cache`` keeps what was heard by where it lies in the take.
    """
    todo = [i for i, w in enumerate(words) if unsure(w, until_s)]
    heard = dict(zip(todo, _hesitations_in(
        samples, [(words[i].start, words[i].end, words[i].text) for i in todo], hesitation_alone, cache, offset_s, each
    )))
    out: list[Word] = []
    for i, w in enumerate(words):
        sound = heard.get(i)
        if sound is None or is_sound(sound):  # a word the first pass wrote is not taken for laughter
            out.append(w)
        else:
            out.append(Word(sound + (_tail(w.text) or ","), w.start, w.end, w.probability))
    return out


def _tail(text: str) -> str:
    """The punctuation a word ends with ("," of "Umm,"), which a word written in its place keeps."""
    return text.rstrip()[len(text.rstrip().rstrip(".,?!…")):]


def held_run(w: Word, until_s: float | None = None) -> bool:
    """Whether :func:`held_runs` hears ``w`` again alone: one hesitation stamped longer than
    anyone holds one (:data:`MAX_HELD_S`), its middle not after ``until_s``."""
    tokens = normalise(w.text).split()
    return (w.end - w.start > MAX_HELD_S and len(tokens) == 1 and is_hesitation(tokens[0])
            and (until_s is None or (w.start + w.end) / 2 <= until_s))


def held_runs(
    samples: np.ndarray,
    words: list[Word],
    hesitations_alone: Callable[[np.ndarray], list[str]],
    cache: dict | None = None,
    offset_s: float = 0.0,
    until_s: float | None = None,
    each: Each = one_by_one,
) -> list[Word]:
    """``words`` (timed from the start of ``samples``) with each hesitation stamped longer than
    anyone holds one heard again alone, and written as the hesitations heard there
    (``hesitations_alone``, the transcriber's: [] if a word is heard), spread evenly over its
    stamps. Words whose middle lies after ``until_s`` are left as they are.

    In a run of hesitations ("uh um uh hm hm um") the decode of a whole chunk, told the words
    before it, can write one "Umm," stamped over all of it (3.6 s), and the report counts one
    filler for six. Heard alone, the run is "uh um uh mmm". ``cache`` keeps what was heard by
    where it lies in the take.
    """
    todo = [i for i, w in enumerate(words) if held_run(w, until_s)]
    heard = dict(zip(todo, _hesitations_in(
        samples, [(words[i].start, words[i].end, "held " + words[i].text) for i in todo], hesitations_alone, cache,
        offset_s, each,
    )))
    out: list[Word] = []
    for i, w in enumerate(words):
        run = heard.get(i) or []
        if len(run) < 2:
            out.append(w)
            continue
        step = (w.end - w.start) / len(run)
        tail = _tail(w.text) or ","
        said = [t.capitalize() if k == 0 and w.text.strip()[:1].isupper() else t for k, t in enumerate(run)]
        out.extend(
            Word(t + (tail if k == len(run) - 1 else ","), round(w.start + k * step, 3),
                 round(w.start + (k + 1) * step, 3), w.probability)
            for k, t in enumerate(said)
        )
    return out


def hesitations_heard_alone(
    samples: np.ndarray,
    stretches: Sequence[Region],
    hesitation_alone: Callable[[np.ndarray], str | None],
    cache: dict | None = None,
    offset_s: float = 0.0,
    each: Each = one_by_one,
) -> tuple[list[Word], list[Region]]:
    """The bare ``stretches`` of ``samples`` (timed from its start) that are a hesitation heard
    alone, as words spanning them, and the stretches that stay bare, with those heard alone as
    laughter among them as :class:`Sound` (heard, not lost).

    A held "uhh" or "mhm" in noise is often written by neither pass: the first has no word
    for it, and the second try, without a prompt that says people hesitate, hears nothing it
    is sure of. Heard alone by the two decodes that tell an unsure word from a hesitation
    (:func:`unsure_hesitations`, ``hesitation_alone``), it is a hesitation when neither finds
    a word in it and the one told that people hesitate writes one. A stretch longer than a
    held sound (:data:`MAX_HELD_S`) stays bare: a hesitation is not that long. ``cache`` keeps
    what was heard by where it lies in the take (``samples`` starting at ``offset_s``).
    """
    short = [i for i, r in enumerate(stretches) if r.end - r.start <= MAX_HELD_S]
    heard = dict(zip(short, _hesitations_in(
        samples, [(stretches[i].start, stretches[i].end, None) for i in short], hesitation_alone, cache, offset_s, each
    )))
    found: list[Word] = []
    left: list[Region] = []
    for i, r in enumerate(stretches):
        sound = heard.get(i)
        if sound is None:
            left.append(r)
        elif is_sound(sound):
            left.append(Sound(r.start, r.end, sound_name(sound)))
        else:
            found.append(Word(sound + ",", r.start, r.end))
    return found, left


def _hesitations_in(
    samples: np.ndarray,
    spans: Sequence[tuple[float, float, str | None]],
    hesitation_alone: Callable[[np.ndarray], _R],
    cache: dict | None,
    offset_s: float,
    each: Each = one_by_one,
) -> list[_R]:
    """What ``hesitation_alone`` hears in each (start, end, text) of ``spans`` in ``samples`` (with
    :data:`UNSURE_PAD_S` either side): a hesitation or None, or a run's hesitations. ``cache`` keeps
    them by where they lie in the take and by the word the first pass wrote there (``text``; None
    for bare speech). Those not heard before are heard through ``each``."""
    keys = [(round((offset_s + a) * 100), round((offset_s + b) * 100), text) for a, b, text in spans]
    known: dict = {} if cache is None else cache
    todo = list({k: (a, b) for k, (a, b, _) in zip(keys, spans) if k not in known}.items())
    pieces = [
        samples[max(0, int((a - UNSURE_PAD_S) * SAMPLE_RATE)) : min(len(samples), int((b + UNSURE_PAD_S) * SAMPLE_RATE))]
        for _, (a, b) in todo
    ]
    heard = each(lambda piece: hesitation_alone(piece) if len(piece) else None, pieces)
    known.update((k, sound) for (k, _), sound in zip(todo, heard))
    return [known[k] for k in keys]
