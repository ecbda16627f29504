"""The report as plain text, for the terminal without the app."""

from __future__ import annotations

from typing import Callable, Sequence

from mock_interview.core.delivery import habits, prosody
from mock_interview.core.report import Report


def clock(seconds: float | None) -> str:
    """m:ss.s for measured times, m:ss for whole seconds (guidelines)."""
    if seconds is None:
        return "-"
    seconds = max(0.0, seconds)
    if float(seconds).is_integer():
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


Piece = tuple[str, str]
"""("word" | "filler" | "pause", text): a run of filler words is one piece; a pause's
text is its length in seconds."""


def marked_pieces(
    texts: Sequence[str], fillers: Sequence[bool], pauses: dict[int, float], first: int = 0
) -> list[Piece]:
    """Words, each run of filler words as one piece, and long pauses in place.

    ``pauses`` maps a word index (counted from ``first``) to the pause after that word.
    """
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.append(("filler", " ".join(run)))
            run.clear()

    for k, (text, is_filler) in enumerate(zip(texts, fillers)):
        if is_filler:
            run.append(text)
        else:
            flush()
            pieces.append(("word", text))
        if first + k in pauses:
            flush()
            pieces.append(("pause", f"{pauses[first + k]:.1f}"))
    flush()
    return pieces


def mark_words(
    texts: Sequence[str],
    fillers: Sequence[bool],
    pauses: dict[int, float],
    filler: Callable[[str], str],
    pause: Callable[[float], str],
    first: int = 0,
) -> list[str]:
    """:func:`marked_pieces` rendered as strings."""
    render = {"word": lambda t: t, "filler": filler, "pause": lambda t: pause(float(t))}
    return [render[kind](text) for kind, text in marked_pieces(texts, fillers, pauses, first)]


def marked_transcript(report: Report) -> str:
    """The transcript with fillers bracketed and long pauses written in place."""
    a = report.analysis
    return " ".join(
        mark_words(
            [w.text.strip() for w in a.words],
            a.filler_flags,
            {p.after: p.duration for p in a.pauses},
            filler=lambda t: f"[{t}]",
            pause=lambda s: f"(pause {s:.1f}s)",
        )
    )


def delivery_lines(d: dict, label: str) -> list[str]:
    """"Voice" and "Habits" of a report's JSON as labelled lines (``label``: the label's format)."""
    out: list[str] = []
    for name, lines in (
        ("Voice", prosody.observations(d["prosody"]) if d.get("prosody") else []),
        ("Habits", habits.observations(d["habits"]) if d.get("habits") else []),
    ):
        for n, line in enumerate(lines):
            out.append((label.format(name) if n == 0 else label.format("")) + line)
    return out


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
    lines += delivery_lines(report.to_dict(), "{:<16}")
    if report.rubric:
        lines += ["", f"Rubric          {report.covered} of {len(report.rubric)} points covered"]
        for r in report.rubric:
            if r.covered:
                lines.append(f"  [x] {r.point}\n        said at {clock(r.evidence.start)}: \"{r.evidence.text}\"")
            else:
                hint = f"\n        a strong answer: {r.strong}" if r.strong else ""
                lines.append(f"  [ ] {r.point} (missed){hint}")
    if report.structure is not None:
        st = report.structure
        lines += ["", "Story structure (SOAR)"]
        for p in st.phases:
            lines.append(f"  {p.name:<10} {clock(p.start)} to {clock(p.end)}  {st.shares.get(p.name, 0):.0%}")
        if st.missing:
            lines.append(f"  missing: {', '.join(st.missing)}")
        for f in st.flags:
            lines.append(f"  ! {f.message}")
    lines += ["", "Transcript", marked_transcript(report) or "(no speech heard)"]
    return "\n".join(lines)
