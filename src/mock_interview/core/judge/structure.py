"""The shape of a behavioral story: where its SOAR phases are, and what interviewers mark down.

The story judge (:mod:`mock_interview.core.judge.phases`, a small model fitted on
labelled stories) gives every clause of the answer its phase: situation, obstacle,
action, result, lesson, or none (small talk, an off-topic stretch). From those labels
this module builds the phases on the timeline, what is missing (a phase no clause
serves), who acted in the action phase ("I" or "we"), and where the minutes went
against a story's time budget.

The cue lists below are the original rules: the model uses their scores as features,
and ``bench/story.py`` keeps :func:`assign_phases` as the baseline it is measured against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from mock_interview.core.delivery.analysis import Sentence
from mock_interview.core.judge.questions import STORY_PHASES
from mock_interview.core.judge.vocabulary import NUMBER_WORDS
from mock_interview.core.text import normalise
from mock_interview.core.speech.words import Word, join_text

PHASES = STORY_PHASES

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
    r"\d|\b(percent|half|halved|double|doubled|twice|triple|tripled|hours?|days?|weeks?|months?|minutes?|seconds|dollars?|"
    + "|".join(sorted(NUMBER_WORDS)) + r")\b"
)
"""A measure: a digit, a number word (:data:`vocabulary.NUMBER_WORDS`: not "one", as in "no one
noticed"), a share or a span of time. Not "second" ("the second version") or "times" ("at times")."""
MEASURED_POINT = "measured"
"""The rubric point that asks for a number on the result ("Puts a number on the result"); where a
question has it and it is covered, the :data:`UNMEASURED` flag is dropped (:func:`evidence.agree_measure`)."""
_HEDGES = re.compile(
    r"\b(i think maybe|i guess|sort of|kind of|kinda|sorta|maybe|probably|i'm not sure|i feel like|more or less|"
    r"somewhat|i suppose)\b"
)

HEDGE_LIMIT = 3
SETUP_MAX_SHARE = 1 / 3
"""The situation and the obstacle together take at most a third of the story..."""
SETUP_TOLERANCE = 0.07
"""...give or take: a set-up is flagged above 40% of the story..."""
SETUP_GRACE_S = 2.0
"""...and when at least this many seconds could go."""
WE_MAX_SHARE = 0.5
"""An action phase whose agents are more than half "we" is flagged..."""
WE_MIN_COUNT = 3
"""...once it names at least this many agents."""


_I_AGENT = frozenset({"i", "i'm", "i've", "i'd", "i'll", "myself"})
_WE_AGENT = frozenset({"we", "we're", "we've", "we'd", "we'll", "ourselves"})


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


UNMEASURED = Flag("result-unmeasured", "The result has no measure: give a number, a percentage or a time.")
OFF_TOPIC = Flag("off-topic", "This story does not sound like an answer to the question asked, so the parts any "
                 "story has count only partly: tell one that answers it.")
"""Raised by :func:`evidence.place_evidence` when the answer tells a story that the topic model places
at another question (:func:`rubric.on_topic`): otherwise the user would see every point "partly" and
no reason."""


@dataclass(frozen=True)
class Agency:
    """Who acts in the action phase: first-person singular against plural subjects."""

    i: int
    we: int

    @property
    def mostly_we(self) -> bool:
        total = self.i + self.we
        return total >= WE_MIN_COUNT and self.we / total > WE_MAX_SHARE

    @property
    def line(self) -> str:
        """"actions: 2 I, 7 we"."""
        return f"actions: {self.i} I, {self.we} we"


@dataclass(frozen=True)
class Budget:
    """One part of the story's time budget: its share against what is recommended."""

    part: str
    """"set-up" (situation and obstacle), "action", "result" or "lesson"."""
    share: float
    seconds: float
    target: str
    """The recommendation, in a few words ("at most a third")."""
    ok: bool
    advice: str = ""
    """What to cut or add when not ok."""


@dataclass
class Structure:
    phases: list[Phase]
    missing: list[str]
    flags: list[Flag] = field(default_factory=list)
    shares: dict[str, float] = field(default_factory=dict)
    units: list[Sentence] = field(default_factory=list)
    """The clauses that were judged."""
    labels: list[str] = field(default_factory=list)
    """The phase of each clause ("none" for no phase)."""
    confidence: list[float] = field(default_factory=list)
    """How sure the judge was of each clause's phase (0 to 1)."""
    agency: Agency = Agency(0, 0)
    budget: list[Budget] = field(default_factory=list)

    def clauses_of(self, phase: str) -> list[int]:
        return [i for i, name in enumerate(self.labels) if name == phase]

    def measured_clause(self) -> int | None:
        """The first result clause that says a measure (a number, a percentage, a time), if any."""
        return next((i for i in self.clauses_of("result") if _MEASURE.search(_lower(self.units[i].text))), None)

    @property
    def budget_line(self) -> str:
        """"set-up 45% (at most a third) · action 30% (the largest part)": each part against its budget."""
        return " · ".join(f"{b.part} {b.share:.0%}{'' if b.ok else ' !'}" for b in self.budget if b.part != "lesson")

    def to_dict(self) -> dict:
        own = stretch_shares([(p.start, p.end) for p in self.phases])
        return {
            "phases": [
                {"name": p.name, "start": round(p.start, 2), "end": round(p.end, 2), "share": self.shares.get(p.name, 0.0),
                 "stretch_share": round(s, 3)}
                for p, s in zip(self.phases, own)
            ],
            "missing": list(self.missing),
            "flags": [{"id": f.id, "message": f.message} for f in self.flags],
            "clauses": [
                {"text": u.text, "start": round(float(u.start), 2), "end": round(float(u.end), 2), "phase": name,
                 "confidence": round(float(c), 3)}
                for u, name, c in zip(self.units, self.labels, self.confidence)
            ],
            "agency": {"i": self.agency.i, "we": self.agency.we, "mostly_we": bool(self.agency.mostly_we)},
            "budget": [
                {"part": b.part, "share": round(float(b.share), 3), "seconds": round(float(b.seconds), 1),
                 "target": b.target, "ok": bool(b.ok), "advice": b.advice}
                for b in self.budget
            ],
        }


def stretch_shares(spans: Sequence[tuple[float, float]]) -> list[float]:
    """Each (start, end) stretch's own share of all of them: a phase told twice has two shares, and
    together they make the whole told story."""
    told = sum(max(0.0, end - start) for start, end in spans) or 1.0
    return [max(0.0, end - start) / told for start, end in spans]


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
    units: Sequence[Sentence],
    speaking_s: float,
    labels: Sequence[str] | None = None,
    continues: Sequence[bool] | None = None,
) -> Structure:
    """The story's phases, what is missing, who acted, and its time budget.

    ``labels`` are the clauses' phases when already known (a test, a baseline); by
    default the story judge decides them. ``continues[i]`` says clause ``i`` carries on
    the sentence of the clause before it (see :func:`phases.continuations`).
    """
    from mock_interview.core.judge import phases as model

    units = list(units)
    if labels is None:
        names, probs = model.load().decode([u.text for u in units], continues)
        confidence = [float(probs[i, model.LABELS.index(n)]) for i, n in enumerate(names)]
    else:
        names, confidence = list(labels), [1.0] * len(units)
    phases: list[Phase] = []
    for i, (unit, name) in enumerate(zip(units, names)):
        if name not in PHASES:
            continue  # small talk between phases belongs to the phase before it
        if phases and phases[-1].name == name:
            last = phases[-1]
            phases[-1] = Phase(name, last.start, unit.end, last.first, i)
        else:
            phases.append(Phase(name, unit.start, unit.end, i, i))
    # Each phase runs until the next begins, so the shares add up to the whole story.
    phases = [
        Phase(p.name, p.start, phases[j + 1].start if j + 1 < len(phases) else p.end, p.first, p.last)
        for j, p in enumerate(phases)
    ]
    total = sum(p.duration for p in phases) or speaking_s or 1.0
    shares: dict[str, float] = {}
    for p, share in zip(phases, stretch_shares([(p.start, p.end) for p in phases])):
        shares[p.name] = round(shares.get(p.name, 0.0) + share, 3)
    found = {p.name for p in phases}
    missing = [name for name in PHASES if name not in found]
    action_text = " ".join(u.text for u, n in zip(units, names) if n == "action")
    agency = count_agency(action_text)
    budget = time_budget(shares, total, missing)
    structure = Structure(phases, missing, [], shares, units, names, confidence, agency, budget)
    structure.flags = _flags(structure)
    return structure


def count_agency(text: str) -> Agency:
    """First-person singular and plural subjects in ``text``; a restart ("we, we had") counts once."""
    words = _lower(text).replace(",", " ").split()
    words = [re.sub(r"[^a-z']", "", w) for w in words]
    i = we = 0
    prev = ""
    for w in words:
        if w and w != prev:
            i += w in _I_AGENT
            we += w in _WE_AGENT
        prev = w
    return Agency(i, we)


def _mmss(seconds: float) -> str:
    s = max(0, round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def time_budget(shares: dict[str, float], total_s: float, missing: Sequence[str] = ()) -> list[Budget]:
    """Each part of the story against the recommended budget: the set-up (situation and
    obstacle) at most a third, the action the largest part, a result stated."""
    if not shares:
        return []
    setup = shares.get("situation", 0.0) + shares.get("obstacle", 0.0)
    action = shares.get("action", 0.0)
    others = max((v for k, v in shares.items() if k != "action"), default=0.0)
    out = []
    over_s = (setup - SETUP_MAX_SHARE) * total_s
    fits = bool(setup <= SETUP_MAX_SHARE + SETUP_TOLERANCE or over_s < SETUP_GRACE_S)
    out.append(Budget("set-up", setup, setup * total_s, "at most a third", fits,
                      "" if fits else f"cut about {_mmss(over_s)} of set-up"))
    out.append(Budget("action", action, action * total_s, "the largest part", bool(action > 0 and action >= others),
                      "" if action > 0 and action >= others else "say more about what you did"))
    result = shares.get("result", 0.0)
    out.append(Budget("result", result, result * total_s, "stated", "result" not in missing,
                      "" if "result" not in missing else "say how it ended"))
    lesson = shares.get("lesson", 0.0)
    out.append(Budget("lesson", lesson, lesson * total_s, "a sentence or two", True))
    return out


def _flags(st: Structure) -> list[Flag]:
    flags: list[Flag] = []
    if not st.phases:
        return flags
    if "result" in st.missing:
        flags.append(Flag("no-result", "No result stated: say how it ended, ideally with a number."))
    elif st.measured_clause() is None:
        flags.append(UNMEASURED)
    if "lesson" in st.missing:
        flags.append(Flag("no-lesson", "No lesson: close with what you learned or do differently now."))
    setup = next((b for b in st.budget if b.part == "set-up"), None)
    if setup is not None and not setup.ok:
        flags.append(Flag(
            "long-setup",
            f"Situation and obstacle take {setup.share:.0%} of the story (budget: a third): {setup.advice}.",
        ))
    action = next((b for b in st.budget if b.part == "action"), None)
    if action is not None and not action.ok and "action" not in st.missing:
        biggest = max(st.shares, key=lambda k: st.shares[k])
        flags.append(Flag(
            "short-action",
            f"The action takes {action.share:.0%}, less than the {biggest} ({st.shares[biggest]:.0%}): "
            f"{action.advice}.",
        ))
    if st.agency.mostly_we:
        flags.append(Flag(
            "we-not-i",
            f"The actions say \"we\" {st.agency.we} times and \"I\" {st.agency.i}: say what you did yourself.",
        ))
    hedges = len(_HEDGES.findall(" ".join(_lower(u.text) for u in st.units)))
    if hedges >= HEDGE_LIMIT:
        flags.append(Flag("hedging", f"{hedges} hedges (\"I think maybe\", \"sort of\"): state it plainly."))
    return flags
