"""Targets a good answer aims for, and the series of numbers across takes that show progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from mock_interview.core.delivery.prosody import TYPICAL_RANGE_ST
from mock_interview.core.delivery.targets import FILLERS_TARGET_PER_MIN, PACE_TARGET_WPM
from mock_interview.core.store.storage import Take

RUBRIC_TARGET = 1.0
"""Every rubric point covered (as a share of the points)."""


def pace_verdict(wpm: float) -> str:
    """"slow", "good" or "fast" against :data:`PACE_TARGET_WPM`."""
    low, high = PACE_TARGET_WPM
    if wpm < low:
        return "slow"
    return "fast" if wpm > high else "good"


def time_verdict(speaking_s: float, guideline_s: float) -> str:
    return "over" if speaking_s > guideline_s else "within"


@dataclass(frozen=True)
class Series:
    """One measure across takes, oldest first; ``x`` counts the takes from 1."""

    label: str
    unit: str
    values: list[float]
    guideline: float | None = None
    """A limit drawn as a line (the speaking-time guideline)."""
    band: tuple[float | None, float | None] = (None, None)
    """The target range, low and high; None leaves that side open."""
    at: list[int] | None = None
    """Which takes (counted from 1) the values belong to, when some takes have none."""

    @property
    def x(self) -> list[int]:
        return list(self.at) if self.at is not None else list(range(1, len(self.values) + 1))

    def on_target(self, value: float) -> bool:
        """Within the guideline and the band."""
        low, high = self.band
        if self.guideline is not None and value > self.guideline:
            return False
        return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True)
class Progress:
    """Four measures of some takes, oldest first."""

    takes: list[Take]
    """The takes measured: those in which speech was heard (:func:`heard`)."""
    speaking: Series
    fillers: Series
    pace: Series
    rubric: Series
    pitch: Series = Series("Pitch range", "semitones", [], at=[])
    hedges: Series = Series("Hedges per minute", "per min", [], at=[])
    silent: int = 0
    """Takes left out because no speech was heard in them."""

    @property
    def series(self) -> list[Series]:
        return [self.speaking, self.fillers, self.pace, self.rubric, self.pitch, self.hedges]


def heard(take: Take) -> bool:
    """Whether any speech was heard in ``take``. A take of silence (a muted microphone, another input
    chosen) measures the microphone, not the speaker: its 0 words a minute and no rubric points would
    read as a fall, so :func:`progress` leaves it out (the take itself stays saved)."""
    return take.speaking_s > 0 or bool(take.transcript.strip())


def rubric_share(take: Take) -> float:
    return take.rubric_covered / take.rubric_total if take.rubric_total else 0.0


def progress(takes: Iterable[Take], reports: Mapping[int, dict] | None = None) -> Progress:
    """The takes in the order they were made, and their measures.

    ``reports`` (take id to saved report JSON) give the voice measures, which have no
    column of their own; a take without them (older, or nothing voiced) is left out of those.
    A take in which no speech was heard is left out of every measure (:func:`heard`).
    """
    every = sorted(takes, key=lambda t: (t.created_at, t.id))
    ordered = [t for t in every if heard(t)]
    reports = reports or {}
    return Progress(
        takes=ordered,
        silent=len(every) - len(ordered),
        speaking=speaking_series(ordered),
        fillers=Series(
            "Fillers per minute", "per min", [t.fillers_per_min for t in ordered], band=(None, FILLERS_TARGET_PER_MIN)
        ),
        pace=Series("Pace", "wpm", [t.wpm for t in ordered], band=PACE_TARGET_WPM),
        rubric=Series(
            "Rubric coverage", "%", [round(100 * rubric_share(t), 1) for t in ordered], band=(100 * RUBRIC_TARGET, None)
        ),
        pitch=from_reports("Pitch range", "semitones", ordered, reports, ("prosody", "pitch_range_st"),
                           band=TYPICAL_RANGE_ST),
        hedges=from_reports("Hedges per minute", "per min", ordered, reports, ("habits", "hedges_per_min")),
    )


def from_reports(
    label: str,
    unit: str,
    takes: Sequence[Take],
    reports: Mapping[int, dict],
    key: tuple[str, str],
    band: tuple[float | None, float | None] = (None, None),
) -> Series:
    """A measure read from each take's saved report, skipping takes that lack it."""
    values, at = [], []
    for n, take in enumerate(takes, 1):
        value = (reports.get(take.id, {}).get(key[0]) or {}).get(key[1])
        if value is not None:
            values.append(float(value))
            at.append(n)
    return Series(label, unit, values, band=band, at=at)


def speaking_series(takes: Sequence[Take]) -> Series:
    """Seconds against the guideline when the takes share one; else each take as a
    share of its own guideline, so that a 2-minute and a 3-minute question compare."""
    guidelines = {t.guideline_s for t in takes}
    if len(guidelines) <= 1:
        guideline = guidelines.pop() if guidelines else None
        return Series("Speaking time", "s", [t.speaking_s for t in takes], guideline=guideline)
    shares = [round(100 * t.speaking_s / t.guideline_s, 1) if t.guideline_s else 0.0 for t in takes]
    return Series("Speaking time", "% of guideline", shares, guideline=100.0)


def trend(values: Sequence[float]) -> float | None:
    """The latest value minus the first; None with fewer than two."""
    return values[-1] - values[0] if len(values) >= 2 else None
