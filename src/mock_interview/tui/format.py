"""Turning reports and times into the text the screens show (Rich ``Text``, no widgets)."""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text

from mock_interview.core.analysis import Analysis
from mock_interview.core.report import Report
from mock_interview.core.storage import Take
from mock_interview.core.textreport import marked_pieces
from mock_interview.core.words import Word, join_text


def mmss(seconds: float | None) -> str:
    """``83.7`` as ``"1:23"``: whole seconds, as a clock shows them."""
    if seconds is None:
        return "-"
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def seconds_text(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f} s"


def marked_transcript(analysis: Analysis, filler: Style, pause: Style) -> Text:
    """The transcript with fillers styled and long pauses written in place ("⏸ 2.4s")."""
    pieces = marked_pieces(
        [w.text.strip() for w in analysis.words],
        analysis.filler_flags,
        {p.after: p.duration for p in analysis.pauses},
    )
    text = Text()
    for n, (kind, piece) in enumerate(pieces):
        if n:
            text.append(" ")
        if kind == "pause":
            text.append(f"⏸ {piece}s", style=pause)
        else:
            text.append(piece, style=filler if kind == "filler" else "")
    return text


def live_transcript(words: list[Word]) -> Text:
    return Text(join_text(words))


def rubric_table(report: Report, covered: Style, missed: Style, quote: Style) -> Table:
    """Each rubric point: covered with the words that covered it, or missed with what a strong answer says."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    for point in report.rubric:
        line = Text(point.point, style=covered if point.covered else missed)
        if point.covered and point.evidence is not None:
            line.append(f"\nat {mmss(point.evidence.start)}: ", style="")
            line.append(f"“{point.evidence.text}”", style=quote)
            table.add_row(Text("✔", style=covered), line)
        else:
            if point.strong:
                line.append(f"\nA strong answer: {point.strong}", style=quote)
            table.add_row(Text("✘", style=missed), line)
    return table


def filler_counts(analysis: Analysis) -> str:
    """"um ×3, like ×1": which fillers, most frequent first."""
    counts: dict[str, int] = {}
    for f in analysis.fillers:
        key = f.text.lower()
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{text} ×{n}" for text, n in ordered)


def story_text(report: Report, warn: Style) -> Text | None:
    """For a behavioral answer: how long each SOAR phase took, what is missing, what to fix."""
    structure = getattr(report, "structure", None)
    if structure is None:
        return None
    text = Text()
    text.append("Story: ", style="bold")
    text.append(" · ".join(f"{p.name} {mmss(p.duration)}" for p in structure.phases) or "no phases heard")
    if structure.missing:
        text.append(f" · missing: {', '.join(structure.missing)}", style=warn)
    for flag in structure.flags:
        text.append(f"\n! {flag.message}", style=warn)
    return text


def rubric_title(report: Report) -> str:
    if not report.rubric:
        return "Rubric: none for this question"
    return f"Rubric: {report.covered} of {len(report.rubric)} points covered"


def stats_rows(report: Report) -> list[tuple[str, str, bool]]:
    """(label, value, warn) rows for the delivery numbers; ``warn`` marks what went wrong."""
    a = report.analysis
    rows = [
        ("Speaking time", f"{mmss(a.speaking_s)} / {mmss(a.guideline_s)}", a.over_guideline),
        ("Pace", f"{a.wpm:.0f} words per minute", False),
        ("Fillers", f"{len(a.fillers)} ({a.fillers_per_min:.1f} per minute)", bool(a.fillers)),
    ]
    if a.fillers:
        rows.append(("", filler_counts(a), True))
    rows.append(("First word", f"after {seconds_text(a.first_word_s)}", False))
    rows.append(("Long pauses", f"{len(a.pauses)} ({a.options.pause_s:g} s or longer)", bool(a.pauses)))
    if a.pauses:
        rows.append(("", ", ".join(f"{p.duration:.1f} s at {mmss(p.start)}" for p in a.pauses[:4]), True))
    rows.append(("Recording", mmss(a.duration_s), False))
    return rows


def previous_take_line(previous: Take | None) -> str:
    if previous is None:
        return "First take of this question"
    return (
        f"Take {previous.number} was {mmss(previous.speaking_s)}, {previous.filler_count} fillers, "
        f"{previous.rubric_covered} of {previous.rubric_total} points"
    )
