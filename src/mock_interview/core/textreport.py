"""The report as plain text, for the terminal without the app."""

from __future__ import annotations

from mock_interview.core.report import Report


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def marked_transcript(report: Report, filler_mark: tuple[str, str] = ("[", "]"), pause_mark: str = "⏸ {:.1f}s") -> str:
    """The transcript with fillers bracketed and long pauses written in place."""
    a = report.analysis
    pauses = {p.after: p for p in a.pauses}
    parts: list[str] = []
    for i, (w, filler) in enumerate(zip(a.words, a.filler_flags)):
        text = w.text.strip()
        parts.append(f"{filler_mark[0]}{text}{filler_mark[1]}" if filler else text)
        if i in pauses:
            parts.append(f"({pause_mark.format(pauses[i].duration)})")
    return " ".join(parts)


def format_report(report: Report) -> str:
    a = report.analysis
    lines: list[str] = []
    if report.question:
        lines.append(f"Question ({report.question.qualified_id}, {report.question.kind}): {report.question.text}")
        lines.append("")
    over = "OVER the guideline" if a.over_guideline else "within the guideline"
    lines += [
        f"Speaking time   {clock(a.speaking_s)} of {clock(a.guideline_s)} ({over})",
        f"Recording       {clock(a.duration_s)}, first word at {clock(a.first_word_s)}",
        f"Pace            {a.wpm:.0f} words per minute",
        f"Fillers         {len(a.fillers)} ({a.fillers_per_min:.1f} per minute)"
        + (f", {len(a.bursts)} burst(s)" if a.bursts else ""),
        f"Long pauses     {len(a.pauses)} (>= {a.options.pause_s:.1f} s)",
    ]
    if a.fillers:
        lines.append("                " + ", ".join(f"{f.text} at {clock(f.start)}" for f in a.fillers[:20]))
    if report.rubric:
        lines += ["", f"Rubric          {report.covered} of {len(report.rubric)} points covered"]
        for r in report.rubric:
            if r.covered:
                lines.append(f"  [x] {r.point}\n        said at {clock(r.evidence.start)}: \"{r.evidence.text}\"")
            else:
                hint = f"\n        a strong answer: {r.strong}" if r.strong else ""
                lines.append(f"  [ ] {r.point} (missed){hint}")
    lines += ["", "Transcript", marked_transcript(report) or "(no speech heard)"]
    return "\n".join(lines)
