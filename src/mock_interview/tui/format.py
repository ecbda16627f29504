"""Turning reports and times into the text the screens show (Rich ``Text``, no widgets)."""

from __future__ import annotations

from typing import Collection, Sequence

from rich.style import Style
from rich.table import Table
from rich.text import Text

from mock_interview.core.delivery.analysis import Analysis
from mock_interview.core.report import Report
from mock_interview.core.judge.rubric import PointResult
from mock_interview.core.store.storage import Take
from mock_interview.core.judge.stories import PointsDiff
from mock_interview.core.textreport import Piece, gap_marks, marked_pieces
from mock_interview.core.speech.words import Word, join_text


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
        gap_marks([w.start for w in analysis.words], analysis.pauses, analysis.uncovered, analysis.sounds),
    )
    text = Text()
    for n, (kind, piece) in enumerate(pieces):
        if n:
            text.append(" ")
        if kind in ("word", "filler"):
            text.append(piece, style=filler if kind == "filler" else "")
        else:
            text.append(mark_label((kind, piece)), style=pause)
    return text


def mark_label(piece: Piece) -> str:
    """A long pause ("⏸ 2.4s"), speech not transcribed or a sound heard, as the app shows it."""
    kind, said = piece
    return f"⏸ {said}s" if kind == "pause" else f"[not transcribed {said}]" if kind == "uncovered" else f"[{said}]"


def live_transcript(words: list[Word]) -> Text:
    return Text(join_text(words))


def rubric_table(
    report: Report,
    covered: Style,
    missed: Style,
    quote: Style,
    points: Sequence[PointResult] | None = None,
    in_follow_up: Collection[str] | None = None,
) -> Table:
    """Each rubric point: covered with the words that covered it, or missed with what a strong answer says.

    ``points`` are the report's rubric unless given (a story's talking points); those in
    ``in_follow_up`` (by default, the rubric points the follow-up reply covered) say so.
    """
    later = set(in_follow_up) if in_follow_up is not None else set(report.follow_up.covered if report.follow_up else ())
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    for point in report.rubric if points is None else points:
        line = Text(point.point, style=covered if point.covered else missed)
        if point.covered and point.evidence is not None:
            where = "in the follow-up" if point.id in later else f"at {mmss(point.evidence.start)}"
            line.append(f"\n{where}: ", style="")
            line.append(f"“{point.evidence.text}”", style=quote)
            table.add_row(Text("✔", style=covered), line)
        elif point.status == "partly" and point.evidence is not None:
            line = Text(point.point, style=missed)
            line.append(f"\npartly, at {mmss(point.evidence.start)}: ", style="")
            line.append(f"“{point.evidence.text}”", style=quote)
            if point.strong:
                line.append(f"\nA strong answer: {point.strong}", style=quote)
            table.add_row(Text("◐", style=missed), line)
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
    if "action" not in structure.missing:
        text.append(f" · {structure.agency.line}", style=warn if structure.agency.mostly_we else "")
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
    heard_by = f", heard by {report.model}" if report.model else ""  # the speech model that transcribed it
    rows.append(("Recording", mmss(a.duration_s) + heard_by, False))
    return rows


def previous_take_line(previous: Take | None) -> str:
    if previous is None:
        return "First take of this question"
    return (
        f"Take {previous.number} was {mmss(previous.speaking_s)}, {previous.filler_count} fillers, "
        f"{previous.rubric_covered} of {previous.rubric_total} points"
    )


def follow_up_text(report: Report, warn: Style, quote: Style) -> Text | None:
    """The follow-up question, why it was asked, the reply and what it added to the take."""
    fu = report.follow_up
    if fu is None:
        return None
    a = fu.analysis
    text = Text()
    text.append("Follow-up", style="bold")
    text.append(f" (asked because: {fu.choice.gap.reason}): ")
    text.append(f"“{fu.choice.prompt}”", style=quote)
    text.append(f"\nReply: {mmss(a.speaking_s)} / {mmss(a.guideline_s)}", style=warn if a.over_guideline else "")
    text.append(f", {len(a.fillers)} fillers")
    text.append(": ")
    text.append(f"“{a.transcript}”" if a.words else "(no speech heard)", style=quote)
    gained = [r.point for r in report.rubric if r.id in fu.covered]
    if gained:
        text.append(f"\nThe reply covered: {'; '.join(gained)}")
    elif report.rubric:
        text.append("\nThe reply covered no rubric point the answer had missed.", style=warn)
    return text


def talking_points_title(report: Report) -> Text | None:
    story = report.story
    if story is None:
        return None
    text = Text()
    text.append(f"Talking points: {story.covered} of {len(story.points)}", style="bold")
    text.append(f" · story “{story.story.title}”, target {mmss(story.story.target_s)}")
    return text


def story_diff_text(diff: PointsDiff | None, covered: Style, missed: Style) -> Text:
    """What changed since the previous take of the same story."""
    if diff is None:
        return Text("First take of this story.")
    if not diff.changed:
        return Text("The same talking points as the previous take of this story.")
    text = Text("Since the previous take of this story:")
    for point in diff.appeared:
        text.append(f"\n+ now said: {point}", style=covered)
    for point in diff.disappeared:
        text.append(f"\n− no longer said: {point}", style=missed)
    return text
