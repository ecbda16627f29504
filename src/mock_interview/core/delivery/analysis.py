"""From words with timestamps to the numbers a user sees: fillers, pauses, timing, pace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from mock_interview.core.delivery.fillers import find_fillers
from mock_interview.core.text import tokenize
from mock_interview.core.speech.vad import Region, Sound
from mock_interview.core.speech.words import Word, join_text

DEFAULT_GUIDELINE_S = 180.0
DEFAULT_PAUSE_S = 2.0
BURST_COUNT = 3
BURST_WINDOW_S = 10.0
PACE_WINDOW_S = 30.0
SENTENCE_BREAK_S = 1.2


@dataclass(frozen=True)
class AnalysisOptions:
    pause_s: float = DEFAULT_PAUSE_S
    """A silent gap inside the answer at least this long is a long pause."""
    burst_count: int = BURST_COUNT
    burst_window_s: float = BURST_WINDOW_S
    pace_window_s: float = PACE_WINDOW_S


@dataclass(frozen=True)
class Filler:
    text: str
    start: float
    end: float
    first: int
    """Index of its first word in the take's words."""
    last: int


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    after: int
    """Index of the word the pause follows."""

    @property
    def duration(self) -> float:
        return round(self.end - self.start, 3)


@dataclass(frozen=True)
class Burst:
    start: float
    end: float
    count: int


@dataclass(frozen=True)
class PaceWindow:
    start: float
    end: float
    wpm: float


@dataclass(frozen=True)
class Sentence:
    first: int
    last: int
    start: float
    end: float
    text: str


@dataclass
class Analysis:
    words: list[Word]
    filler_flags: list[bool]
    fillers: list[Filler]
    bursts: list[Burst]
    pauses: list[Pause]
    sentences: list[Sentence]
    pace: list[PaceWindow]
    duration_s: float
    speaking_s: float
    first_word_s: float | None
    wpm: float
    fillers_per_min: float
    guideline_s: float
    over_guideline: bool
    options: AnalysisOptions = field(default_factory=AnalysisOptions)
    uncovered: list[Region] = field(default_factory=list)
    """Speech heard but not transcribed (after a second try), in take time."""
    sounds: list[Sound] = field(default_factory=list)
    """Laughter and other sounds the model named where the VAD heard something: not words, not pauses."""

    @property
    def transcript(self) -> str:
        return join_text(self.words)

    @property
    def content_word_count(self) -> int:
        return sum(1 for w, f in zip(self.words, self.filler_flags) if not f and tokenize(w.text).word)


def _per_minute(count: float, seconds: float) -> float:
    return round(count * 60.0 / seconds, 1) if seconds > 0 else 0.0


def mark_fillers(words: Sequence[Word]) -> tuple[list[bool], list[Filler]]:
    tokens = []
    for i, w in enumerate(words):
        tok = tokenize(w.text)
        gap_before = w.start - words[i - 1].end if i else 0.0
        gap_after = words[i + 1].start - w.end if i + 1 < len(words) else 0.0
        tokens.append(tok.__class__(tok.word, tok.before, tok.after, gap_before, gap_after))
    flags = [False] * len(words)
    fillers = []
    for first, last in find_fillers(tokens):
        for k in range(first, last + 1):
            flags[k] = True
        text = " ".join(tokens[k].word for k in range(first, last + 1))
        fillers.append(Filler(text, words[first].start, words[last].end, first, last))
    return flags, fillers


def find_bursts(fillers: Sequence[Filler], count: int = BURST_COUNT, window_s: float = BURST_WINDOW_S) -> list[Burst]:
    """Runs of ``count`` or more fillers each within ``window_s`` of the run's ``count``-th predecessor."""
    bursts: list[Burst] = []
    n = len(fillers)
    i = 0
    while i + count - 1 < n:
        if fillers[i + count - 1].start - fillers[i].start <= window_s:
            j = i + count - 1
            while j + 1 < n and fillers[j + 1].start - fillers[j + 2 - count].start <= window_s:
                j += 1
            bursts.append(Burst(fillers[i].start, fillers[j].end, j - i + 1))
            i = j + 1
        else:
            i += 1
    return bursts


def find_pauses(words: Sequence[Word], min_s: float = DEFAULT_PAUSE_S, speech: Sequence[Region] = ()) -> list[Pause]:
    """Silent gaps between words; a gap holding ``speech`` (heard, not transcribed) is no pause.

    The parts of such a gap either side of the speech still count if they are long enough.
    """
    pauses = []
    for i, (a, b) in enumerate(zip(words, words[1:])):
        at = a.end
        for r in sorted(speech, key=lambda r: r.start):
            if r.end <= at or r.start >= b.start:
                continue
            if r.start - at >= min_s:
                pauses.append(Pause(round(at, 3), round(r.start, 3), i))
            at = max(at, r.end)
        if b.start - at >= min_s:
            pauses.append(Pause(round(at, 3), round(b.start, 3), i))
    return pauses


def split_sentences(words: Sequence[Word], break_s: float = SENTENCE_BREAK_S) -> list[Sentence]:
    """Sentences end at Whisper's terminal punctuation or at a silent gap."""
    sentences: list[Sentence] = []
    first = 0
    for i, w in enumerate(words):
        ends = tokenize(w.text).after.rstrip(",\"')").endswith((".", "?", "!"))
        gap = i + 1 < len(words) and words[i + 1].start - w.end >= break_s
        if ends or gap or i == len(words) - 1:
            chunk = words[first : i + 1]
            sentences.append(Sentence(first, i, chunk[0].start, chunk[-1].end, join_text(chunk)))
            first = i + 1
    return sentences


def pace_windows(
    words: Sequence[Word], flags: Sequence[bool], window_s: float = PACE_WINDOW_S
) -> list[PaceWindow]:
    if not words:
        return []
    t0, t1 = words[0].start, words[-1].end
    windows = []
    start = t0
    while start < t1:
        end = min(start + window_s, t1)
        count = sum(
            1
            for w, f in zip(words, flags)
            if not f and start <= w.start < end + (1e-9 if end == t1 else 0) and tokenize(w.text).word
        )
        windows.append(PaceWindow(round(start, 2), round(end, 2), _per_minute(count, end - start)))
        start = end
    return windows


def analyze_words(
    words: Sequence[Word],
    duration_s: float,
    guideline_s: float | None = None,
    options: AnalysisOptions | None = None,
    uncovered: Sequence[Region] = (),
    sounds: Sequence[Sound] = (),
) -> Analysis:
    """``uncovered``: speech the VAD heard that has no words; ``sounds``: laughter and the
    like; neither is ever counted as a pause."""
    options = options or AnalysisOptions()
    words = [w for w in words if w.text.strip()]
    guideline = float(guideline_s) if guideline_s else DEFAULT_GUIDELINE_S
    flags, fillers = mark_fillers(words)
    speaking = round(words[-1].end - words[0].start, 3) if words else 0.0
    content = sum(1 for w, f in zip(words, flags) if not f and tokenize(w.text).word)
    return Analysis(
        words=list(words),
        filler_flags=flags,
        fillers=fillers,
        bursts=find_bursts(fillers, options.burst_count, options.burst_window_s),
        pauses=find_pauses(words, options.pause_s, [*uncovered, *sounds]),
        sentences=split_sentences(words),
        pace=pace_windows(words, flags, options.pace_window_s),
        duration_s=round(duration_s, 3),
        speaking_s=speaking,
        first_word_s=round(words[0].start, 3) if words else None,
        wpm=_per_minute(content, speaking),
        fillers_per_min=_per_minute(len(fillers), speaking),
        guideline_s=guideline,
        over_guideline=bool(speaking > guideline),
        options=options,
        uncovered=list(uncovered),
        sounds=list(sounds),
    )
