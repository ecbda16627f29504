"""A story's SOAR phases as coloured segments across the speaking time, with the guideline marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from mock_interview.core.judge.structure import PHASES, Phase, Structure
from mock_interview.tui.format import mmss


@dataclass(frozen=True)
class Segment:
    name: str
    first: int
    """First column."""
    end: int
    """Column after the last."""


@dataclass(frozen=True)
class Layout:
    segments: list[Segment]
    marker: int
    """The guideline's column."""
    spoken: int
    """Columns the answer fills; the rest, up to the guideline, is time left."""


def layout(phases: Sequence[Phase], guideline_s: float, width: int) -> Layout:
    """Where each phase and the guideline fall on a bar ``width`` columns wide.

    The bar starts at the first word; it spans the guideline, or the answer if that is
    longer, so that running over shows as phases past the marker.
    """
    width = max(1, width)
    if not phases:
        return Layout([], width - 1, 0)
    t0 = phases[0].start
    spoken_s = max(0.0, phases[-1].end - t0)
    span = max(spoken_s, float(guideline_s), 1e-6)
    scale = width / span

    def col(t: float) -> int:
        return min(width, max(0, round((t - t0) * scale)))

    segments = []
    for p in phases:
        first, end = col(p.start), col(p.end)
        if segments and first < segments[-1].end:
            first = segments[-1].end
        if end > first:
            segments.append(Segment(p.name, first, end))
    return Layout(segments, min(width - 1, col(t0 + guideline_s)), col(phases[-1].end))


def timeline_note(structure: Structure) -> str:
    """The line under the timeline: who acted, and where the minutes went against the budget.

    "actions: 2 I, 7 we · set-up 45% of a third: cut about 0:40 of set-up · action 30%: the largest part"
    """
    if not structure.phases:
        return ""
    parts = [structure.agency.line + (" (mostly we)" if structure.agency.mostly_we else "")] if "action" not in structure.missing else []
    for b in structure.budget:
        if b.part == "lesson":
            continue
        if b.part == "result" and b.ok:
            parts.append(f"result {b.share:.0%}")
        else:
            parts.append(f"{b.part} {b.share:.0%} ({b.target})" + (f": {b.advice}" if not b.ok else ""))
    return " · ".join(parts)


class StoryTimeline(Widget):
    """Three lines: the phases as segments (named when they fit, else their initial), a scale,
    and a note: who acted ("actions: 2 I, 7 we") and each part's share against the time budget."""

    COMPONENT_CLASSES = {f"story-timeline--{name}" for name in PHASES} | {
        "story-timeline--left",
        "story-timeline--marker",
        "story-timeline--scale",
        "story-timeline--note",
    }

    DEFAULT_CSS = """
    StoryTimeline {
        height: auto;
        width: 1fr;
    }
    StoryTimeline > .story-timeline--situation { background: $primary-darken-1; color: $text; }
    StoryTimeline > .story-timeline--obstacle { background: $error-darken-2; color: $text; }
    StoryTimeline > .story-timeline--action { background: $success-darken-2; color: $text; }
    StoryTimeline > .story-timeline--result { background: $warning-darken-2; color: $text; }
    StoryTimeline > .story-timeline--lesson { background: #7e57c2; color: $text; }
    StoryTimeline > .story-timeline--left { color: $panel-lighten-2; }
    StoryTimeline > .story-timeline--marker { color: $error; text-style: bold; }
    StoryTimeline > .story-timeline--scale { color: $text-muted; }
    StoryTimeline > .story-timeline--note { color: $text-muted; }
    """

    def __init__(self, phases: Sequence[Phase], guideline_s: float, *, note: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.phases = list(phases)
        self.guideline_s = guideline_s
        self.note = note

    def render(self) -> Text:
        width = max(10, self.content_size.width)
        if not self.phases:
            return Text("No story heard.", style=self.get_component_rich_style("story-timeline--scale"))
        plan = layout(self.phases, self.guideline_s, width)
        text = self._bar(plan, width)
        text.append("\n")
        text.append_text(self._scale(plan, width))
        if self.note:
            text.append("\n")
            text.append(self.note, style=self._style("note"))
        return text

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"story-timeline--{name}")

    def _bar(self, plan: Layout, width: int) -> Text:
        cells: list[tuple[str, Style]] = [("░", self._style("left"))] * width
        for seg in plan.segments:
            size = seg.end - seg.first
            label = seg.name if len(seg.name) <= size else seg.name[:1].upper()
            label = label.center(size) if size > 1 else label
            style = self._style(seg.name)
            for k in range(size):
                cells[seg.first + k] = (label[k] if k < len(label) else " ", style)
        _, under = cells[plan.marker]
        marker = self._style("marker")
        cells[plan.marker] = ("┃", under + Style(color=marker.color, bold=True))
        text = Text(no_wrap=True, overflow="crop")
        for ch, style in cells:
            text.append(ch, style=style)
        return text

    def _scale(self, plan: Layout, width: int) -> Text:
        """"0:00" at the start, the guideline under its marker, the answer's end under the last phase."""
        line = [" "] * width

        def put(col: int, label: str) -> None:
            start = max(0, min(width - len(label), col))
            line[start : start + len(label)] = list(label)

        spoken = self.phases[-1].end - self.phases[0].start
        put(0, "0:00")
        end_label = mmss(spoken)
        at = plan.spoken - len(end_label) // 2
        if at >= 5 and abs(plan.spoken - plan.marker) > len(end_label) + 16:  # clear of "0:00" and the guideline
            put(at, end_label)
        guide = f"▲ {mmss(self.guideline_s)} guideline"
        if plan.marker > width - len(guide):  # near the end: the label ends at the marker
            guide = f"guideline {mmss(self.guideline_s)} ▲"
            put(plan.marker - len(guide) + 1, guide)
        else:
            put(plan.marker, guide)
        text = Text("".join(line), style=self._style("scale"), no_wrap=True, overflow="crop")
        at = "".join(line).find("▲")
        if at >= 0:
            text.stylize(self._style("marker"), at, at + 1)
        return text
