"""A saved take as Markdown (for reading and sharing) or JSON (the full report).

The Markdown keeps to CommonMark plus tables and task lists, so it reads the same on
GitHub, in an editor's preview and in a plain viewer: fillers are bold and bracketed,
long pauses italic in place, and every sentence starts with its time.
"""

from __future__ import annotations

from datetime import datetime

from mock_interview.core.delivery import habits, prosody
from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.store.storage import Take
from mock_interview.core.textreport import NOTHING_HEARD, clock, gap_marks, mark_words, story_timeline
from mock_interview.core.speech.words import Word

LEGEND = (
    "Fillers are shown **\\[like this\\]**; long pauses as *(pause 2.4 s)* where they happened; "
    "speech heard but not transcribed as *\\[not transcribed 0:12-0:26\\]*."
)


def _escape(text: str) -> str:
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def at(seconds: float | None) -> str:
    """A measured time, always m:ss.s, so the sentence times line up."""
    if seconds is None:
        return "-"
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def saved_at(created_at: str) -> str:
    """"2025-03-01 14:05" from the stored ISO time."""
    try:
        return datetime.fromisoformat(created_at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created_at


def take_markdown(take: Take, report: dict) -> str:
    q = report.get("question") or {}
    lines = [f"# Take {take.number}: {_escape(q.get('text') or 'free answer')}", ""]
    if q:
        lines.append(f"Question `{q.get('bank')}:{q.get('id')}` ({q.get('kind')}), saved {saved_at(take.created_at)}.")
    else:
        lines.append(f"Saved {saved_at(take.created_at)}.")
    if report.get("heard_nothing"):
        lines += ["", f"**{NOTHING_HEARD}**"]
    over = "**over the guideline**" if report["over_guideline"] else "within the guideline"
    lines += [
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Speaking time | {at(report['speaking_s'])} of {clock(report['guideline_s'])} ({over}) |",
        f"| Recording | {at(report['duration_s'])} |",
        f"| Time to first word | {at(report['first_word_s'])} |",
        f"| Pace | {report['wpm']:.0f} words per minute |",
        f"| Fillers | {report['filler_count']} ({report['fillers_per_min']:.1f} per minute) |",
        f"| Long pauses | {len(report['pauses'])} (at least {report.get('pause_threshold_s', 2.0):.1f} s) |",
    ]
    if report.get("uncovered"):
        lines.append(f"| Not transcribed | {len(report['uncovered'])} stretch(es) of speech |")
    if report.get("model"):
        lines.append(f"| Speech model | {report['model']} |")
    if report["rubric"]:
        lines.append(f"| Rubric | {report['rubric_covered']} of {report['rubric_total']} points covered |")
        lines += ["", "## Rubric", "", *rubric_lines(report)]
    if report.get("structure"):
        lines += ["", "## Story (SOAR)", "", *story_lines(report["structure"])]
    if report.get("prosody") or report.get("habits"):
        lines += ["", "## Voice and habits", "", *voice_lines(report)]
    lines += ["", "## Transcript", "", LEGEND, ""]
    lines += transcript_lines(report) or ["(no speech heard)"]
    lines.append("")
    return "\n".join(lines)


def voice_lines(report: dict) -> list[str]:
    """Pitch, loudness and language habits as observations with their numbers."""
    out = []
    if report.get("prosody"):
        out += [f"- **Voice**: {_escape(line)}" for line in prosody.observations(report["prosody"])]
    if report.get("habits"):
        out += [f"- **Habits**: {_escape(line)}" for line in habits.observations(report["habits"])]
    return out


def rubric_lines(report: dict) -> list[str]:
    """A task list: ticked points with the words that covered them, open ones with a hint."""
    out = []
    for r in report["rubric"]:
        if r["covered"]:
            when = f" (said at {at(r['evidence_start'])})" if r.get("evidence_start") is not None else ""
            out.append(f"- [x] **{_escape(r['point'])}**: “{_escape(r['evidence'] or '')}”{when}")
        elif r.get("status") == "partly" and r.get("evidence"):
            when = f" (at {at(r['evidence_start'])})" if r.get("evidence_start") is not None else ""
            out.append(f"- [ ] **{_escape(r['point'])}**: partly, “{_escape(r['evidence'])}”{when}")
        else:
            strong = f" A strong answer: {_escape(r['strong'])}" if r.get("strong") else ""
            out.append(f"- [ ] **{_escape(r['point'])}**: missed.{strong}")
    return out


def story_lines(structure: dict) -> list[str]:
    phases = structure.get("phases", [])
    shares, totals = story_timeline([(p["name"], p["start"], p["end"]) for p in phases])
    out = [
        f"- **{p['name'].capitalize()}**: {at(p['start'])} to {at(p['end'])} ({share:.0%} of the story)"
        for p, share in zip(phases, shares)
    ] or ["- No phases heard."]
    if totals:
        out.append(f"- **In all**: {totals}")
    agency = structure.get("agency")
    if agency and structure.get("phases") and "action" not in structure.get("missing", []):
        out.append(f"- **Actions**: {agency['i']} I, {agency['we']} we")
    budget = [b for b in structure.get("budget", []) if b["part"] != "lesson"]
    if budget:
        out.append("- **Time budget**: " + " · ".join(
            f"{b['part']} {b['share']:.0%} ({b['target']}{'' if b['ok'] else ': ' + _escape(b['advice'])})" for b in budget))
    if structure.get("missing"):
        out.append(f"- **Missing**: {', '.join(structure['missing'])}")
    out += [f"- ⚠ {_escape(f['message'])}" for f in structure.get("flags", [])]
    return out


def transcript_lines(report: dict) -> list[str]:
    """One line per sentence, each with its time, fillers and long pauses marked in place.

    Sentences end at punctuation only: splitting at silences, as the analysis does,
    would put every long pause at the end of a line instead of where it fell.
    """
    raw = report["words"]
    words = [Word(w["text"], w["start"], w["end"], w.get("probability", 1.0)) for w in raw]
    marks = gap_marks([w.start for w in words], report["pauses"], report.get("uncovered") or [], report.get("sounds") or [])
    render = dict(
        filler=lambda t: f"**\\[{t}\\]**",
        pause=lambda d: f"*(pause {d:.1f} s)*",
        bare=lambda span: f"*\\[not transcribed {span}\\]*",
        sound=lambda said: f"*\\[{said}\\]*",
    )
    out = []
    if not words and marks:
        out.append("- " + " ".join(mark_words([], [], marks, **render)))
    for s in split_sentences(words, break_s=float("inf")):
        span = range(s.first, s.last + 1)
        parts = mark_words(
            [_escape(raw[i]["text"].strip()) for i in span],
            [raw[i]["filler"] for i in span],
            {k: v for k, v in marks.items() if k in span or (k == -1 and s.first == 0)},
            first=s.first,
            **render,
        )
        out.append(f"- `{at(s.start)}` " + " ".join(parts))
    return out
