"""The Voice panel: pitch and loudness over the answer as sparklines, with their numbers,
and the language habits heard (hedges, most-said words, openers)."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from mock_interview.core.delivery.prosody import TYPICAL_RANGE_ST, range_word


def filled(track: Sequence[float | None]) -> list[float]:
    """A track with its silent seconds at the track's lowest value, so the line dips there."""
    values = [v for v in track if v is not None]
    low = min(values) if values else 0.0
    return [low if v is None else v for v in track]


def summary_line(p: dict) -> str:
    """"varied (most 4–10) · trail 1/4 · rise 0": the pitch range in words, and how many
    sentence ends trailed off or rose (of the sentences long enough to judge)."""
    low, high = TYPICAL_RANGE_ST
    line = f"{range_word(p['pitch_range_st'])} (most {low:g}–{high:g})"
    n = p.get("sentences") or 0
    if n:
        trail, rise = len(p.get("trailing_off") or []), len(p.get("rising_statements") or [])
        line += f" · trail {trail}/{n} · rise {rise}"
    return line


def habit_words(d: dict) -> str:
    openers = Counter(o["text"] for o in d.get("openers") or []).most_common(1)
    parts = [f"{d.get('hedge_count', 0)} hedges ({d.get('hedges_per_min', 0.0):.1f}/min)"]
    if d.get("crutch_words"):
        top = d["crutch_words"][0]
        parts.append(f"“{top['text']}” ×{top['count']}")
    if openers:
        parts.append(f"opens “{openers[0][0]}” ×{openers[0][1]}")
    return " · ".join(parts)


class VoicePanel(Vertical):
    """``prosody`` and ``habits``: the report's JSON for them (None: not measured)."""

    def __init__(self, prosody: dict | None, habits: dict | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prosody = prosody
        self.habits = habits
        self.border_title = "Voice"

    def compose(self) -> ComposeResult:
        p = self.prosody
        if not p or p.get("pitch_range_st") is None:
            yield Static(Text("No voiced speech measured." if p else "No recording to measure."), classes="voice-line")
        else:
            track = p.get("track") or {}
            with Horizontal(classes="voice-row"):
                yield Static(Text(f"Pitch {p['pitch_range_st']:4.1f} st"), classes="voice-label")
                yield Sparkline(filled(track.get("pitch_hz") or []), summary_function=max, id="pitch-sparkline")
            with Horizontal(classes="voice-row"):
                yield Static(Text(f"Loud  {p['intensity_range_db']:4.1f} dB"), classes="voice-label")
                yield Sparkline(filled(track.get("intensity_db") or []), summary_function=max, id="loudness-sparkline")
            yield Static(Text(summary_line(p)), classes="voice-line")
        if self.habits is not None:
            yield Static(Text(habit_words(self.habits)), classes="voice-line")
