"""A saved take as Markdown (for reading and sharing) or JSON (the full report)."""

from __future__ import annotations

from mock_interview.core.analysis import split_sentences
from mock_interview.core.storage import Take
from mock_interview.core.textreport import clock, mark_words
from mock_interview.core.words import Word


def _escape(text: str) -> str:
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def take_markdown(take: Take, report: dict) -> str:
    q = report.get("question") or {}
    title = f"Take {take.number}"
    lines = [f"# {title}: {_escape(q.get('text') or 'free answer')}", ""]
    if q:
        lines.append(f"Question `{q.get('bank')}:{q.get('id')}` ({q.get('kind')}), saved {take.created_at}.")
    else:
        lines.append(f"Saved {take.created_at}.")
    over = "over the guideline" if report["over_guideline"] else "within the guideline"
    lines += [
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Speaking time | {clock(report['speaking_s'])} of {clock(report['guideline_s'])} ({over}) |",
        f"| Recording | {clock(report['duration_s'])} |",
        f"| Time to first word | {clock(report['first_word_s'])} |",
        f"| Pace | {report['wpm']:.0f} words per minute |",
        f"| Fillers | {report['filler_count']} ({report['fillers_per_min']:.1f} per minute) |",
        f"| Long pauses | {len(report['pauses'])} (at least {report.get('pause_threshold_s', 2.0):.1f} s) |",
    ]
    if report["rubric"]:
        lines[-1:-1] = []
        lines.append(f"| Rubric | {report['rubric_covered']} of {report['rubric_total']} points |")
        lines += ["", "## Rubric", ""]
        for r in report["rubric"]:
            if r["covered"]:
                at = f" ({clock(r['evidence_start'])})" if r.get("evidence_start") is not None else ""
                lines.append(f"- [x] **{_escape(r['point'])}**: “{_escape(r['evidence'] or '')}”{at}")
            else:
                strong = f" A strong answer: {_escape(r['strong'])}" if r.get("strong") else ""
                lines.append(f"- [ ] **{_escape(r['point'])}**: missed.{strong}")
    lines += ["", "## Transcript", ""]
    lines += transcript_lines(report) or ["(no speech heard)"]
    lines += ["", "Fillers are shown **\\[like this\\]**; long pauses as *(pause 2.4 s)*.", ""]
    return "\n".join(lines)


def transcript_lines(report: dict) -> list[str]:
    """One line per sentence, each with its time, fillers and long pauses marked."""
    raw = report["words"]
    words = [Word(w["text"], w["start"], w["end"], w.get("probability", 1.0)) for w in raw]
    pauses = {p["after_word"]: p["duration_s"] for p in report["pauses"]}
    out = []
    for s in split_sentences(words):
        span = range(s.first, s.last + 1)
        parts = mark_words(
            [_escape(raw[i]["text"]) for i in span],
            [raw[i]["filler"] for i in span],
            pauses,
            filler=lambda t: f"**\\[{t}\\]**",
            pause=lambda d: f"*(pause {d:.1f} s)*",
            first=s.first,
        )
        out.append(f"- `{clock(s.start)}` " + " ".join(parts))
    return out
