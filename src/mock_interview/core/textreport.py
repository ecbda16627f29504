"""The report as plain text, for the terminal without the app."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import Callable, Sequence

from mock_interview.core.delivery import habits, prosody
from mock_interview.core.judge.structure import stretch_shares
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
"""("word" | "filler" | "pause" | "uncovered" | "sound", text): a run of filler words is one
piece; a pause's text is its length in seconds; an uncovered stretch's is "0:12-0:26"; a
sound's is its name and time, "laughter 0:06"."""


def _fields(r) -> dict:
    return r if isinstance(r, dict) else vars(r)


def _after(starts: Sequence[float], at: float) -> int:
    """The index of the last word (``starts`` in time order) that starts before ``at``; -1: none."""
    return bisect_left(starts, at) - 1


def _span(d: dict) -> str:
    a, b = clock(round(d["start"])), clock(round(d["end"]))
    return f"{a}-{b}" if a != b else f"{a}, {d['end'] - d['start']:.1f} s"


def _sound(d: dict) -> str:
    return f"{d.get('name', 'sound')} {clock(round(d['start']))}"


def gap_marks(
    starts: Sequence[float], pauses: Sequence = (), uncovered: Sequence = (), sounds: Sequence = ()
) -> dict[int, list[Piece]]:
    """What lies between words: long pauses, speech heard but not transcribed and sounds, as
    pieces keyed by the index of the word they follow (-1: before all), each gap's in the order
    heard ("[laughter 0:07] [not transcribed 0:08, 0.5 s]", never the other way round).

    Each of ``pauses`` (a :class:`~mock_interview.core.delivery.analysis.Pause` or its JSON:
    ``start``, ``end``, ``after`` or ``after_word``), ``uncovered`` and ``sounds`` (``start``,
    ``end``, ``name``) is an object or a dict. Two pauses after one word (either side of a
    laugh) are both kept."""
    timed: list[tuple[int, float, Piece]] = []
    for p in map(_fields, pauses):
        after = p.get("after", p.get("after_word"))
        seconds = p.get("duration_s", round(p["end"] - p["start"], 3))
        timed.append((int(after), p["start"], ("pause", f"{seconds:.1f}")))
    for kind, stretches, label in (("uncovered", uncovered, _span), ("sound", sounds, _sound)):
        for d in map(_fields, stretches):
            timed.append((_after(starts, d["start"]), d["start"], (kind, label(d))))
    out: dict[int, list[Piece]] = {}
    for after, _, piece in sorted(timed, key=lambda t: (t[0], t[1])):
        out.setdefault(after, []).append(piece)
    return out


def marked_pieces(
    texts: Sequence[str],
    fillers: Sequence[bool],
    marks: dict[int, list[Piece]],
    first: int = 0,
) -> list[Piece]:
    """Words, each run of filler words as one piece, and what lies between words in place.

    ``marks`` (from :func:`gap_marks`) maps a word index (counted from ``first``) to the long
    pauses, untranscribed speech and sounds after that word.
    """
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.append(("filler", " ".join(run)))
            run.clear()

    def gap(k: int) -> None:
        if k in marks:
            flush()
            pieces.extend(marks[k])

    if first == 0:
        gap(-1)
    for k, (text, is_filler) in enumerate(zip(texts, fillers)):
        if is_filler:
            run.append(text)
        else:
            flush()
            pieces.append(("word", text))
        gap(first + k)
    flush()
    return pieces


def mark_words(
    texts: Sequence[str],
    fillers: Sequence[bool],
    marks: dict[int, list[Piece]],
    filler: Callable[[str], str],
    pause: Callable[[float], str],
    first: int = 0,
    bare: Callable[[str], str] = lambda span: f"[not transcribed {span}]",
    sound: Callable[[str], str] = lambda said: f"[{said}]",
) -> list[str]:
    """:func:`marked_pieces` rendered as strings."""
    render = {"word": lambda t: t, "filler": filler, "pause": lambda t: pause(float(t)), "uncovered": bare,
              "sound": sound}
    return [render[kind](text) for kind, text in marked_pieces(texts, fillers, marks, first)]


def story_timeline(stretches: Sequence[tuple[str, float, float]]) -> tuple[list[float], str | None]:
    """Each stretch's own share of the told story, from its (phase, start, end): a phase told twice has
    two, and together they make the whole; and "situation 27% · obstacle 48%", each phase's whole share
    in the order first told, where a phase is told twice (else None)."""
    shares = stretch_shares([(start, end) for _, start, end in stretches])
    totals: dict[str, float] = {}
    for (name, _, _), share in zip(stretches, shares):
        totals[name] = totals.get(name, 0.0) + share
    if len(totals) == len(stretches):
        return shares, None
    return shares, " · ".join(f"{name} {share:.0%}" for name, share in totals.items())


def marked_transcript(report: Report) -> str:
    """The transcript with fillers bracketed, long pauses and untranscribed speech written in place."""
    a = report.analysis
    return " ".join(
        mark_words(
            [w.text.strip() for w in a.words],
            a.filler_flags,
            gap_marks([w.start for w in a.words], a.pauses, a.uncovered, a.sounds),
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


NOTHING_HEARD = "No speech heard: the recording is silent or holds no voice, so nothing below is about an answer."
"""The text report's first line (after the question) for a recording with no speech in it."""


def format_report(report: Report) -> str:
    a = report.analysis
    lines: list[str] = []
    if report.question:
        lines.append(f"Question ({report.question.qualified_id}, {report.question.kind}): {report.question.text}")
        lines.append("")
    if report.heard_nothing:
        lines += [NOTHING_HEARD, ""]
    over = "OVER the guideline" if a.over_guideline else "within the guideline"
    lines += [
        f"Speaking time   {clock(a.speaking_s)} of {clock(a.guideline_s)} ({over})",
        f"Recording       {clock(a.duration_s)}, first word at {clock(a.first_word_s)}",
        f"Pace            {a.wpm:.0f} words per minute",
        f"Fillers         {len(a.fillers)} ({a.fillers_per_min:.1f} per minute)"
        + (f", {len(a.bursts)} burst(s)" if a.bursts else ""),
        f"Long pauses     {len(a.pauses)} (>= {a.options.pause_s:.1f} s)",
    ]
    if a.uncovered:
        lines.append(f"Not transcribed {len(a.uncovered)} stretch(es) of speech, {sum(r.end - r.start for r in a.uncovered):.1f} s")
    if a.sounds:
        lines.append(f"Sounds heard    {_sound_counts(a.sounds)} (not words, not pauses)")
    if report.model:
        lines.append(f"Speech model    {report.model}")
    if a.fillers:
        lines.append("                " + ", ".join(f"{f.text} at {clock(f.start)}" for f in a.fillers[:20]))
    lines += delivery_lines(report.to_dict(), "{:<16}")
    if report.rubric:
        lines += ["", f"Rubric          {report.covered} of {len(report.rubric)} points covered"]
        for r in report.rubric:
            if r.covered:
                lines.append(f"  [x] {r.point}\n        said at {clock(r.evidence.start)}: \"{r.evidence.text}\"")
            elif r.status == "partly":
                hint = f"\n        a strong answer: {r.strong}" if r.strong else ""
                lines.append(f"  [~] {r.point} (partly)\n        at {clock(r.evidence.start)}: \"{r.evidence.text}\"{hint}")
            else:
                hint = f"\n        a strong answer: {r.strong}" if r.strong else ""
                lines.append(f"  [ ] {r.point} (missed){hint}")
    if report.structure is not None:
        st = report.structure
        lines += ["", "Story structure (SOAR)"]
        shares, totals = story_timeline([(p.name, p.start, p.end) for p in st.phases])
        for p, share in zip(st.phases, shares):
            span = f"{clock(p.start)} to {clock(p.end)}"
            lines.append(f"  {p.name:<10} {span:<20} {share:>4.0%}")
        if totals:
            lines.append(f"  in all: {totals}")
        if st.phases:
            if "action" not in st.missing:
                lines.append(f"  {st.agency.line}")
            lines.append(f"  budget: {st.budget_line}")
        if st.missing:
            lines.append(f"  missing: {', '.join(st.missing)}")
        for f in st.flags:
            lines.append(f"  ! {f.message}")
    lines += ["", "Transcript", marked_transcript(report) or "(no speech heard)"]
    return "\n".join(lines)


def _sound_counts(sounds: Sequence) -> str:
    """"laughter x2, sigh x1": the sounds of a take by name."""
    return ", ".join(f"{name} x{n}" for name, n in Counter(r.name for r in sounds).items())
