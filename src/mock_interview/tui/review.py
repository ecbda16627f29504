"""Saved takes as the review screens show them (Rich text, no widgets).

These read the stored report (``Store.report_json``), a plain dict, since a saved
take has no live analysis objects behind it.
"""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text

from mock_interview.core.judge.compare import BETTER, WORSE, Change, Comparison
from mock_interview.core.store.export import at, saved_at
from mock_interview.core.store.progress import (
    FILLERS_TARGET_PER_MIN,
    PACE_TARGET_WPM,
    pace_verdict,
)
from mock_interview.core.store.storage import Take
from mock_interview.tui.format import mmss


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def take_label(take: Take) -> str:
    """"Take 2 · 2025-03-01 14:05"."""
    return f"Take {take.number} · {saved_at(take.created_at)}"


def history_cells(take: Take, question_width: int, warn: Style) -> list[Text | str]:
    """One row of the history table; numbers off target in the warning style."""
    low, high = PACE_TARGET_WPM
    return [
        saved_at(take.created_at),
        Text(clip(take.question_text or "free answer", question_width)),
        str(take.number),
        Text(f"{mmss(take.speaking_s)} / {mmss(take.guideline_s)}", style=warn if take.speaking_s > take.guideline_s else ""),
        Text(f"{take.wpm:.0f}", style="" if low <= take.wpm <= high else warn),
        Text(f"{take.fillers_per_min:.1f}", style=warn if take.fillers_per_min > FILLERS_TARGET_PER_MIN else ""),
        f"{take.rubric_covered} of {take.rubric_total}" if take.rubric_total else "-",
    ]


def filler_counts(report: dict) -> str:
    """"um ×3, like ×1": which fillers, most frequent first."""
    counts: dict[str, int] = {}
    for f in report.get("fillers", []):
        key = f["text"].lower()
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{t} ×{n}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def stats_table(report: dict, warn: Style) -> Table:
    """The delivery numbers of a saved report; what went wrong in the warning style."""
    pace = pace_verdict(report["wpm"])
    rows: list[tuple[str, str, bool]] = [
        ("Speaking time", f"{mmss(report['speaking_s'])} / {mmss(report['guideline_s'])}", report["over_guideline"]),
        ("Pace", f"{report['wpm']:.0f} words per minute" + ("" if pace == "good" else f" ({pace})"), pace != "good"),
        (
            "Fillers",
            f"{report['filler_count']} ({report['fillers_per_min']:.1f} per minute)",
            report["fillers_per_min"] > FILLERS_TARGET_PER_MIN,
        ),
    ]
    if report.get("fillers"):
        rows.append(("", filler_counts(report), report["fillers_per_min"] > FILLERS_TARGET_PER_MIN))
    pauses = report.get("pauses", [])
    rows.append(("Long pauses", f"{len(pauses)} ({report.get('pause_threshold_s', 2.0):g} s or longer)", bool(pauses)))
    rows.append(("First word", f"after {at(report['first_word_s'])}", False))
    rows.append(("Recording", mmss(report["duration_s"]), False))
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold")
    table.add_column()
    for label, value, bad in rows:
        table.add_row(label, Text(value, style=warn if bad else ""))
    return table


def rubric_text(report: dict, covered: Style, missed: Style, quote: Style) -> Text:
    """Each point: ✔ with the words that covered it, or ✘ with what a strong answer says."""
    if not report.get("rubric"):
        return Text("This question has no rubric.")
    text = Text()
    for n, r in enumerate(report["rubric"]):
        if n:
            text.append("\n")
        if r["covered"]:
            text.append("✔ ", style=covered)
            text.append(r["point"], style=covered)
            if r.get("evidence"):
                text.append(f"\n  at {mmss(r.get('evidence_start'))}: ")
                text.append(f"“{r['evidence']}”", style=quote)
        elif r.get("status") == "partly" and r.get("evidence"):
            text.append("◐ ", style=missed)
            text.append(r["point"], style=missed)
            text.append(f"\n  partly, at {mmss(r.get('evidence_start'))}: ")
            text.append(f"“{r['evidence']}”", style=quote)
        else:
            text.append("✘ ", style=missed)
            text.append(r["point"], style=missed)
            if r.get("strong"):
                text.append(f"\n  A strong answer: {r['strong']}", style=quote)
    return text


def story_line(report: dict, warn: Style) -> Text | None:
    structure = report.get("structure")
    if not structure:
        return None
    text = Text()
    text.append("Story: ", style="bold")
    phases = structure.get("phases", [])
    text.append(" · ".join(f"{p['name']} {mmss(p['end'] - p['start'])}" for p in phases) or "no phases heard")
    agency = structure.get("agency")
    if agency and "action" not in structure.get("missing", []) and phases:
        text.append(f" · actions: {agency['i']} I, {agency['we']} we", style=warn if agency.get("mostly_we") else "")
    if structure.get("missing"):
        text.append(f" · missing: {', '.join(structure['missing'])}", style=warn)
    for flag in structure.get("flags", []):
        text.append(f"\n! {flag['message']}", style=warn)
    return text


def playback_line(state: str, position_s: float, duration_s: float, width: int = 30) -> Text:
    """"▶ 0:05.7 / 0:26.7 ━━━━━─────" (state is ▶ or ⏸, or a sentence when there is no replay)."""
    text = Text()
    text.append(f"{state} {at(position_s)} / {at(duration_s)} ", style="bold")
    done = round(width * min(1.0, position_s / duration_s)) if duration_s > 0 else 0
    text.append("━" * done, style="bold")
    text.append("─" * (width - done), style="dim")
    return text


# -- compare
def _signed_clock(seconds: float) -> str:
    sign = "+" if seconds > 0 else "−" if seconds < 0 else "±"
    whole = round(abs(seconds))
    return f"{sign}{whole // 60}:{whole % 60:02d}"


def _signed(value: float, digits: int = 0) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value):.{digits}f}"


FORMATS = {
    "Speaking time": (mmss, _signed_clock),
    "Pace": (lambda v: f"{v:.0f} wpm", lambda d: _signed(d) + " wpm"),
    "Fillers per minute": (lambda v: f"{v:.1f}", lambda d: _signed(d, 1)),
    "Fillers": (lambda v: f"{v:.0f}", _signed),
    "Long pauses": (lambda v: f"{v:.0f}", _signed),
    "Rubric points": (lambda v: f"{v:.0f}", _signed),
}


def change_cells(change: Change, better: Style, worse: Style, same: Style) -> list[Text | str]:
    """Measure, before, after, and the change marked ▲ better / ▼ worse."""
    value, delta = FORMATS.get(change.name, (str, str))
    neutral = "same" if not change.delta else "within the guideline" if change.name == "Speaking time" else ""
    mark = {BETTER: ("▲ better", better), WORSE: ("▼ worse", worse)}.get(change.verdict, (neutral, same))
    moved = Text(delta(change.delta), style=mark[1]) if change.delta else Text("", style=same)
    moved.append(("  " if change.delta else "") + mark[0], style=mark[1])
    return [change.name, value(change.before), value(change.after), moved]


def compare_table(comparison: Comparison, better: Style, worse: Style, same: Style) -> Table:
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("Measure", style="bold")
    table.add_column(f"Take {comparison.before.number}", justify="right")
    table.add_column(f"Take {comparison.after.number}", justify="right")
    table.add_column("Change")
    for change in comparison.changes:
        table.add_row(*change_cells(change, better, worse, same))
    return table


def rubric_changes_text(comparison: Comparison, gained: Style, lost: Style, kept: Style, missed: Style) -> Text:
    """Gained and lost first: they are the news."""
    groups = [
        ("Gained", "✚", comparison.gained, gained),
        ("Lost", "✖", comparison.lost, lost),
        ("Kept", "✔", comparison.kept, kept),
        ("Still missed", "·", comparison.missed, missed),
    ]
    text = Text()
    for title, mark, points, style in groups:
        if not points:
            continue
        if text:
            text.append("\n")
        text.append(f"{title} ({len(points)})\n", style="bold")
        for point in points:
            text.append(f"{mark} {point}\n", style=style)
    if not text:
        return Text("This question has no rubric.")
    text.rstrip()
    return text
