"""The shape of a behavioral story: where its SOAR phases are, and what interviewers mark down.

Each sentence is scored for the cues of each phase (situation, obstacle, action,
result, lesson); a left-to-right Viterbi pass then assigns the sentences to phases in
story order, so a phase is a contiguous stretch of the answer. A phase is found only
when at least one of its sentences carries its own cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from mock_interview.core.delivery.analysis import Sentence
from mock_interview.core.text import normalise
from mock_interview.core.speech.words import Word, join_text

PHASES = ("situation", "obstacle", "action", "result", "lesson")

_CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        r"at my (last|previous|current|old) (job|company|team|role)", r"a (few|couple of) (years|months) ago",
        r"last (year|quarter|spring|summer|autumn|fall|winter)", r"i was (working|the|a|an|on|leading|responsible)",
        r"we were (building|running|working|migrating|launching|using)", r"our team", r"the team (was|had)",
        r"(the|for) context", r"background", r"at the time", r"we had (a|an|this)", r"responsible for",
        r"we (deployed|launched|shipped|built|ran|owned)", r"our (system|model|pipeline|service|platform)",
        r"(i|we) (work|worked) (at|for|on)", r"back when", r"it was (a|an|my)",
    ),
    "obstacle": (
        r"the (problem|issue|challenge|complication|catch|trouble|risk) (was|is)", r"(problem|issue|challenge)s?\b",
        r"(started|began) (to )?(drop|fail|degrad|slow|break|misbehav|go down)", r"\b(broke|crashed|failed|outage)\b",
        r"went (wrong|down|sideways)", r"\bincident\b", r"\bbut then\b", r"\bhowever\b", r"\bunfortunately\b",
        r"(didn't|did not|couldn't|could not|wasn't|was not) (work|know|have|point|reproduce|agree)",
        r"(alert|page|pager)s? (fired|went off)", r"\bdisagree", r"\bpush(ed)? back\b", r"\bdeadline\b",
        r"\bconflict\b", r"\bblocked\b", r"\bmistake\b", r"no (one|way|tests|logging|versioning|monitoring)",
        r"(dropped|dropping|degraded|spiked|spiking)",
    ),
    "action": (
        r"\b(i|we) (decided|built|rebuilt|rewrote|added|set up|wrote|proposed|sat down|talked|spoke|worked|traced|investigated|fixed|"
        r"implemented|introduced|created|started|led|pulled|rolled|reverted|ran|asked|suggested|organized|"
        r"organised|designed|moved|changed|pushed|walked|paired|met|reached out|dug|found|put|made|wrote up|"
        r"drafted|scheduled|brought|offered|convinced|negotiated|prioritized|prioritised|cut|split|automated)",
        r"\bso (i|we)\b", r"\bfirst,? (i|we)\b", r"\bthen (i|we)\b", r"\bmy (approach|plan|first step)\b",
        r"\bwhat i did\b", r"\bi (had|needed|wanted) to\b", r"\bi('m| am) the one who\b",
    ),
    "result": (
        r"\bas a result\b", r"\bin the end\b", r"\bthe (result|outcome|impact)\b", r"\brecover(ed|y)\b",
        r"\b(improv|reduc|increas|decreas|cut|sav|drop)(ed|ing)? (by|from|to)\b", r"\bpercent\b", r"\d+ ?%",
        r"\bwent (from|down|up)\b", r"\b(down|up) to\b", r"\bended up\b", r"\bafter that\b", r"\bsince then\b",
        r"\b(it|that) worked\b", r"\bwe (shipped|launched|hit|met|made) (it|the)\b", r"\bsucce(ss|eded)\b",
        r"\bbecame\b", r"\bnever (saw|had) (it|that|the same)\b", r"\b(x|times) (faster|cheaper|fewer)\b",
    ),
    "lesson": (
        r"\bi learn(ed|t)\b", r"\blessons?\b", r"\btaught me\b", r"\bnext time\b", r"\bgoing forward\b",
        r"\bnow i (always|make sure|start|check)\b", r"\bin hindsight\b", r"\blooking back\b", r"\btakeaway\b",
        r"\bwhat i took away\b", r"\bif i (did|had to do) it again\b", r"\bi would (have|do)\b",
        r"\bi realized\b", r"\bi realised\b", r"\bthe (big|main|key) thing i\b", r"\bthat experience\b",
        r"\bshaped how\b", r"\bfrom then on\b",
    ),
}
_COMPILED = {phase: [re.compile(p) for p in pats] for phase, pats in _CUES.items()}

_MEASURE = re.compile(
    r"\d|\b(percent|half|double|doubled|twice|triple|tripled|x|times|hours?|days?|weeks?|months?|minutes?|seconds?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred|thousand|million|dollars?)\b"
)
_I_WORDS = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself)\b")
_WE_WORDS = re.compile(r"\b(we|we're|we've|we'd|we'll|us|our|ourselves)\b")
_HEDGES = re.compile(
    r"\b(i think maybe|i guess|sort of|kind of|kinda|sorta|maybe|probably|i'm not sure|i feel like|more or less|"
    r"somewhat|i suppose)\b"
)

SITUATION_MAX_SHARE = 0.40
HEDGE_LIMIT = 3


@dataclass(frozen=True)
class Phase:
    name: str
    start: float
    end: float
    first: int
    """Index of its first sentence."""
    last: int

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Flag:
    id: str
    message: str


@dataclass
class Structure:
    phases: list[Phase]
    missing: list[str]
    flags: list[Flag] = field(default_factory=list)
    shares: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "phases": [
                {"name": p.name, "start": round(p.start, 2), "end": round(p.end, 2), "share": self.shares.get(p.name, 0.0)}
                for p in self.phases
            ],
            "missing": list(self.missing),
            "flags": [{"id": f.id, "message": f.message} for f in self.flags],
        }


def _lower(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def cue_scores(text: str) -> list[float]:
    t = _lower(text)
    return [float(sum(1 for p in _COMPILED[phase] if p.search(t))) for phase in PHASES]


HINT_WEIGHT = 2.0
_CLAUSE_STARTS = frozenset({"and", "but", "so", "then", "which"})


def split_clauses(words: Sequence[Word], sentences: Sequence[Sentence]) -> list[Sentence]:
    """Sentences cut again where a comma is followed by "and", "but", "so" or "then".

    One spoken sentence often carries two phases ("In the end we lost two days, and I
    learned to check the data first").
    """
    out: list[Sentence] = []
    for s in sentences:
        first = s.first
        for i in range(s.first + 1, s.last + 1):
            prev = words[i - 1].text.rstrip()
            if prev.endswith(",") and normalise(words[i].text) in _CLAUSE_STARTS and i - first >= 3:
                out.append(_unit(words, first, i - 1))
                first = i
        out.append(_unit(words, first, s.last))
    return out


def _unit(words: Sequence[Word], first: int, last: int) -> Sentence:
    chunk = words[first : last + 1]
    return Sentence(first, last, chunk[0].start, chunk[-1].end, join_text(chunk))


def assign_phases(sentences: Sequence[Sentence], hints: dict[int, str] | None = None) -> list[int]:
    """The phase index of each sentence, non-decreasing through the story (Viterbi).

    ``hints`` maps a sentence index to a phase the rubric judge heard in it (the
    sentence that covered the question's "result" point is a result).
    """
    n, k = len(sentences), len(PHASES)
    if n == 0:
        return []
    emit = [cue_scores(s.text) for s in sentences]
    for i, phase in (hints or {}).items():
        if 0 <= i < n and phase in PHASES:
            emit[i][PHASES.index(phase)] += HINT_WEIGHT
    step_cost = 0.6  # moving on to a later phase must be earned by its cues
    neg = float("-inf")
    score = [[neg] * k for _ in range(n)]
    back = [[0] * k for _ in range(n)]
    for s in range(k):  # a story may open on any phase, but most open on the situation
        score[0][s] = emit[0][s] - 0.1 * s
    for i in range(1, n):
        for s in range(k):
            best, arg = neg, 0
            for p in range(s + 1):
                v = score[i - 1][p] - step_cost * (s - p)
                if v > best:
                    best, arg = v, p
            score[i][s] = best + emit[i][s]
            back[i][s] = arg
    state = max(range(k), key=lambda s: (score[n - 1][s], -s))
    path = [state]
    for i in range(n - 1, 0, -1):
        state = back[i][state]
        path.append(state)
    path.reverse()
    # A phase with no sentence of its own cues is not really there: fold it into the one before.
    for phase in set(path):
        if not any(emit[i][phase] > 0 for i, p in enumerate(path) if p == phase):
            earlier = [p for p in path if p < phase]
            path = [(max(earlier) if earlier else p) if p == phase else p for p in path]
    return path


def analyze_structure(
    sentences: Sequence[Sentence], speaking_s: float, hints: dict[int, str] | None = None
) -> Structure:
    path = assign_phases(sentences, hints)
    phases: list[Phase] = []
    for i, (sentence, p) in enumerate(zip(sentences, path)):
        name = PHASES[p]
        if phases and phases[-1].name == name:
            last = phases[-1]
            phases[-1] = Phase(name, last.start, sentence.end, last.first, i)
        else:
            phases.append(Phase(name, sentence.start, sentence.end, i, i))
    # Each phase runs until the next begins, so the shares add up to the whole answer.
    phases = [
        Phase(p.name, p.start, phases[j + 1].start if j + 1 < len(phases) else p.end, p.first, p.last)
        for j, p in enumerate(phases)
    ]
    total = speaking_s or sum(p.duration for p in phases) or 1.0
    shares = {p.name: round(p.duration / total, 3) for p in phases}
    found = {p.name for p in phases}
    missing = [name for name in PHASES if name not in found]
    return Structure(phases, missing, _flags(sentences, phases, shares, missing), shares)


def _text_of(sentences: Sequence[Sentence], phase: Phase) -> str:
    return " ".join(_lower(s.text) for s in sentences[phase.first : phase.last + 1])


def _flags(sentences: Sequence[Sentence], phases: list[Phase], shares: dict, missing: list[str]) -> list[Flag]:
    flags: list[Flag] = []
    by_name = {p.name: p for p in phases}
    if "result" in missing:
        flags.append(Flag("no-result", "No result stated: say how it ended, ideally with a number."))
    elif not _MEASURE.search(_text_of(sentences, by_name["result"])):
        flags.append(Flag("result-unmeasured", "The result has no measure: give a number, a percentage or a time."))
    if "lesson" in missing:
        flags.append(Flag("no-lesson", "No lesson: close with what you learned or do differently now."))
    if shares.get("situation", 0.0) > SITUATION_MAX_SHARE:
        flags.append(
            Flag(
                "long-situation",
                f"The situation takes {shares['situation']:.0%} of the time: keep the set-up under 40%.",
            )
        )
    if "action" in by_name:
        text = _text_of(sentences, by_name["action"])
        mine, ours = len(_I_WORDS.findall(text)), len(_WE_WORDS.findall(text))
        if ours > mine and mine + ours >= 3:
            flags.append(
                Flag("we-not-i", f"The action says \"we\" {ours} times and \"I\" {mine}: say what you did yourself.")
            )
    hedges = len(_HEDGES.findall(" ".join(_lower(s.text) for s in sentences)))
    if hedges >= HEDGE_LIMIT:
        flags.append(Flag("hedging", f"{hedges} hedges (\"I think maybe\", \"sort of\"): state it plainly."))
    return flags
