"""Does the follow-up asked for a missing story phase probe that phase?

    PYTHONPATH=src .venv/bin/python bench/followups.py [--show]

For every behavioral question of the shipped banks and every gap a story can leave (no result,
a result without a number, no lesson, no action, actions told with "we", no obstacle, no
situation), the follow-up ``core.judge.followups`` would ask, and whether it probes the gap by
the labels below: which gaps each of the banks' own follow-ups probes, written by hand before
the rule that picks among them was changed. The built-in prompt of a phase
(``PHASE_PROMPTS``) probes its own phase. Prints the share of gaps whose follow-up probes them,
per question and overall; ``--show`` prints each choice.
"""

from __future__ import annotations

import argparse

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

SERVES = {"result": {"result", "measure"}, "measure": {"measure"}, "agency": {"agency"}}
"""Labels that probe a gap, where more than the gap's own name does."""


def probes(question_id: str, prompt: str, gap: str) -> bool:
    if prompt == PHASE_PROMPTS[gap]:
        return True
    labels = PROBES[question_id].get(prompt)
    if labels is None:
        raise SystemExit(f"{question_id}: the follow-up {prompt!r} has no label here; label it first")
    return bool(set(labels) & SERVES.get(gap, {gap}))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each question's follow-up for each gap")
    args = ap.parse_args()
    total = right = bank = 0
    for b in load_banks():
        for q in b.questions:
            if q.kind != "behavioral":
                continue
            hits = 0
            for name in GAPS:
                choice = follow_up_for(Gap("phase", name, PHASE_LABELS[name]), q)
                ok = probes(q.id, choice.prompt, name)
                hits += ok
                bank += choice.from_bank
                if args.show:
                    print(f"  {q.id:22} {name:9} {'ok ' if ok else 'NO '} {'bank' if choice.from_bank else 'own '} {choice.prompt}")
            total += len(GAPS)
            right += hits
            print(f"{q.id:24} {hits}/{len(GAPS)}")
    print(f"follow-ups that probe the gap they were asked for: {right}/{total} = {right / total:.2f} "
          f"({bank} from the bank's own prompts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
