"""Does the follow-up asked for a missing story phase probe that phase?

    PYTHONPATH=src .venv/bin/python bench/followups.py [--held-out] [--show]

For every behavioral question of the shipped banks and every gap a story can leave (no result,
a result without a number, no lesson, no action, actions told with "we", no obstacle, no
situation), the follow-up ``core.judge.followups`` would ask, and whether it probes the gap by
the labels below: which gaps each of the banks' own follow-ups probes, written by hand before
the rule that picks among them was changed. The built-in prompt of a phase
(``PHASE_PROMPTS``) probes its own phase. Prints the share of gaps whose follow-up probes them,
overall; ``--held-out`` adds the follow-ups of :data:`HELD_OUT`; ``--show`` prints each choice.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from mock_interview.core.judge.followups import PHASE_LABELS, PHASE_PROMPTS, Gap, follow_up_for
from mock_interview.core.store.banks import load_banks

GAPS = ("result", "measure", "lesson", "action", "agency", "obstacle", "situation")

PROBES: dict[str, dict[str, tuple[str, ...]]] = {
    "failure": {
        "Looking back, when could you have noticed it was going wrong?": ("lesson",),
        "How did your manager or team react when you told them?": ("result",),
        "Can you give an example of applying that lesson later?": ("lesson",),
        "Which part of the mistake was your own, and what would you do differently?": ("lesson", "agency"),
    },
    "conflict": {
        "What was the strongest point on your colleague's side?": ("obstacle",),
        "What would you have done if you couldn't reach agreement?": (),
        "How is your working relationship with that person now?": ("result",),
    },
    "pushback": {
        "What would you have done if they had overruled you?": (),
        "How did you decide this was worth pushing back on?": (),
        "How did it affect your relationship with that person?": ("result",),
        "What evidence did you show them?": ("action",),
        "What did you offer instead of a flat no?": ("action",),
    },
    "incident": {
        "How did you decide between rolling back and fixing forward?": ("action",),
        "Who did you keep informed during the incident, and how?": ("action",),
        "What came out of the postmortem, and were the action items done?": ("lesson", "result"),
    },
    "influence": {
        "Who was hardest to convince, and what finally changed their mind?": ("obstacle", "action"),
        "What would you have done if the decision had gone the other way?": (),
        "Is the change still in place today?": ("result",),
        "What data or prototype did you use to make your case?": ("action",),
        "Who did you win over early, and how did you get the others on board?": ("action",),
    },
    "deadline": {
        "What did you cut, and how did you decide?": ("action",),
        "At what point did you tell stakeholders it was at risk?": ("action",),
        "What would you change so the next deadline is not a crunch?": ("lesson",),
    },
    "model-underperformed": {
        "Why didn't your existing monitoring catch this earlier?": ("obstacle",),
        "What exactly did you change so the same failure could not happen again?": ("action",),
        "How did you confirm the fix worked? What did the metric do?": ("result", "measure"),
        "What would you do differently if you launched that model today?": ("lesson",),
    },
    "pushback-data-science": {
        "What would you have done if they had gone ahead anyway?": (),
        "Which parts of your standard process did you drop for the faster path, and why were those safe to drop?": ("action",),
        "How did the data science team feel about it afterwards?": ("result",),
        "What was the data science team's goal, and how did you keep them on your side?": ("situation", "action"),
        "Which risks did you spell out to them, concretely?": ("action",),
    },
}
"""Which gaps each follow-up of the shipped behavioral questions probes (a result asked with a
number probes "measure" too; "agency" is asking what the speaker did themselves)."""

HELD_OUT: dict[str, dict[str, tuple[str, ...]]] = {
    "failure": {
        "What did it cost the team, in days or money?": ("result", "measure"),
        "What was going on around you when it happened?": ("situation",),
        "What did you personally do once you saw it?": ("action", "agency"),
        "How do you check for that kind of mistake now?": ("lesson",),
    },
    "conflict": {
        "What exactly did you disagree about?": ("obstacle",),
        "What did you say to them first?": ("action",),
        "Where did you both end up?": ("result",),
        "What do you do differently in disagreements since then?": ("lesson",),
    },
    "pushback": {
        "What happened to the request in the end?": ("result",),
        "Why was the request a problem?": ("obstacle",),
        "Which steps did you take yourself to change their mind?": ("action", "agency"),
        "What would you tell someone about to push back on their manager?": ("lesson",),
    },
    "incident": {
        "How long were users affected, and how many?": ("situation", "result", "measure"),
        "What made the cause hard to find?": ("obstacle",),
        "What was the first thing you did yourself?": ("action", "agency"),
        "What did the team change afterwards so it would not happen again?": ("lesson", "action"),
    },
    "influence": {
        "Why did people resist the idea at first?": ("obstacle",),
        "How did you personally make the case?": ("action", "agency"),
        "What did the decision change, measurably?": ("result", "measure"),
        "What did you learn about persuading people?": ("lesson",),
    },
    "deadline": {
        "Why was the deadline so tight?": ("situation", "obstacle"),
        "How did you plan the work yourself?": ("action", "agency"),
        "Did you make it, and by how much?": ("result", "measure"),
        "What did the crunch teach you?": ("lesson",),
    },
    "model-underperformed": {
        "How did you find out the model was underperforming?": ("situation",),
        "What made the drop hard to explain?": ("obstacle",),
        "What did you do yourself to get it back on track?": ("action", "agency"),
        "What changed in how you launch models after that?": ("lesson",),
    },
    "pushback-data-science": {
        "What did the data science team ask for, and why?": ("situation",),
        "What was the risk in doing it their way?": ("obstacle",),
        "How did it turn out for the model and the team?": ("result",),
        "What did you take away about working with data scientists?": ("lesson",),
    },
}
"""Follow-ups written for the same questions as a user who rewrote a bank's follow-ups might:
labelled when written, after the rules were measured on the banks' own follow-ups and before any
was run on these (held out)."""

SERVES = {"result": {"result", "measure"}, "measure": {"measure"}, "agency": {"agency"}}
"""Labels that probe a gap, where more than the gap's own name does."""


def probes(labels: dict[str, tuple[str, ...]], prompt: str, gap: str) -> bool:
    """Whether ``prompt`` (a built-in prompt, or one of ``labels``) probes ``gap``."""
    if prompt == PHASE_PROMPTS[gap]:
        return True
    if prompt not in labels:
        raise SystemExit(f"the follow-up {prompt!r} has no label here; label it first")
    return bool(set(labels[prompt]) & SERVES.get(gap, {gap}))


def measure(sets: dict[str, dict[str, dict[str, tuple[str, ...]]]], show: bool = False) -> None:
    """Print, for each set of labelled follow-ups, how many gaps get a follow-up that probes them. The
    banks' own set (:data:`PROBES`) is asked as the banks have it; any other replaces their follow-ups."""
    behavioral = [q for b in load_banks() for q in b.questions if q.kind == "behavioral"]
    questions = [q for q in behavioral if q.id in PROBES]
    for q in behavioral:
        if q.id not in PROBES:
            print(f"{q.id}: not labelled here (a bank of your own?): left out")
    for name, table in sets.items():
        total = right = bank = could = tailored = 0
        for q in questions:
            labels = table[q.id]
            if table is not PROBES:  # the banks' own follow-ups are asked as the bank has them
                q = replace(q, follow_ups=list(labels))
            for gap in GAPS:
                choice = follow_up_for(Gap("phase", gap, PHASE_LABELS[gap]), q)
                ok = probes(labels, choice.prompt, gap)
                total += 1
                right += ok
                bank += choice.from_bank
                if any(probes(labels, p, gap) for p in labels):
                    could += 1
                    tailored += ok and choice.from_bank
                if show:
                    print(f"  {name:9} {q.id:22} {gap:9} {'ok ' if ok else 'NO '} {'bank' if choice.from_bank else 'own '} {choice.prompt}")
        print(f"{name:9} follow-ups that probe their gap {right}/{total} = {right / total:.2f}; "
              f"a question's own prompt that probes it, where one does, {tailored}/{could} = {tailored / max(1, could):.2f} "
              f"({bank} of the bank's prompts asked)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each question's follow-up for each gap")
    ap.add_argument("--held-out", action="store_true", help="also the held-out follow-ups (HELD_OUT)")
    args = ap.parse_args()
    sets = {"banks": PROBES, **({"held out": HELD_OUT} if args.held_out else {})}
    measure(sets, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
