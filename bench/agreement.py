"""How often two labellers agree on the story corpus: the ceiling a judge can be held to.

    python bench/agreement.py

``bench/data/second/`` holds the dev stories (and the last three writers' train stories, and both frozen test splits) labelled a second time, blind: a second labeller
was given the sentences of each story (labels and style notes taken off) and the labelling
rules of bench/data/README.md, nothing else. Prints, per file and overall, the share of
sentences both gave the same phase, the missing-phase verdicts (story x phase) they agree on,
and the pairs they disagreed on.
"""

from __future__ import annotations

import sys
from collections import Counter

from story_corpus import DATA, LABELS, _read

PHASES = [name for name in LABELS.values() if name != "none"]


def main() -> int:
    sentences = same = verdicts = same_verdicts = 0
    pairs: Counter = Counter()
    second = sorted((DATA / "second").glob("stories_*.txt"))
    if not second:
        print(f"no second labels under {DATA / 'second'}", file=sys.stderr)
        return 1
    for path in second:
        first = {s.id: s for s in _read(DATA / path.name)}
        n = k = 0
        for story in _read(path):
            ref = first[story.id]
            if [t for _, t in ref.sentences] != [t for _, t in story.sentences]:
                print(f"{path.name}: {story.id}: the sentences differ from {path.name} of the corpus", file=sys.stderr)
                return 1
            for (a, _), (b, _) in zip(ref.sentences, story.sentences):
                n += 1
                k += a == b
                if a != b:
                    pairs[(a, b)] += 1
            for phase in PHASES:
                verdicts += 1
                same_verdicts += (phase in ref.phases) == (phase in story.phases)
        sentences += n
        same += k
        print(f"{path.name:22} sentences {k}/{n} = {k / n:.3f}")
    print(f"{'all':22} sentences {same}/{sentences} = {same / sentences:.3f}   "
          f"missing-phase verdicts {same_verdicts}/{verdicts} = {same_verdicts / verdicts:.3f}")
    print("disagreements (first labeller -> second):", ", ".join(f"{a}->{b} {c}" for (a, b), c in pairs.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
