"""Whether a partly told "Obstacle and root cause" shows the clause that tells the cause.

    PYTHONPATH=src .venv/bin/python bench/evidence.py

For each story labelled in ``bench/data/root_cause_evidence.json`` (written as text, judged by the
shipped story judge through the app's own report), the clause the report shows as the point's
evidence against the clauses labelled by hand as telling the cause; beside it the rule used before
stop 38, the obstacle clause the judge was surest of. ``chosen_on`` are the train and dev stories
the rule was chosen on; ``held_out`` the test split's one such story.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from story import timed_words  # noqa: E402
from story_corpus import load  # noqa: E402

from mock_interview.core.judge.questions import find_question, load_bank  # noqa: E402
from mock_interview.core.report import build_report  # noqa: E402


def main() -> int:
    data = json.loads((ROOT / "bench" / "data" / "root_cause_evidence.json").read_text())
    banks = [load_bank(p) for p in sorted((ROOT / "questions").glob("*.toml"))]
    question = find_question(banks, data["question"])
    stories = {s.id: s for split in ("train", "dev", "test") for s in load(split)}
    for part in ("chosen_on", "held_out"):
        shown = surest = 0
        for story_id, right in data[part].items():
            words = timed_words(stories[story_id].text)
            report = build_report(words, words[-1].end + 1, question)
            st = report.structure
            point = next(p for p in report.rubric if p.id == data["point"])
            obstacle = [i for i, name in enumerate(st.labels) if name == "obstacle"]
            at = next((j for j, i in enumerate(obstacle) if point.evidence and st.units[i].text == point.evidence.text), None)
            best = max(range(len(obstacle)), key=lambda j: st.confidence[obstacle[j]])
            shown += at in right
            surest += best in right
            if at not in right:
                print(f"  {story_id}: shown clause {at}, the cause in {right}")
        n = len(data[part])
        print(f"{part}: the clause shown tells the cause in {shown} of {n}; the judge's surest clause (before stop 38) {surest} of {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
