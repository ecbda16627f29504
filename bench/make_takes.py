"""Build short live takes for bench/stop_latency.py: what a user says before pressing stop.

    .venv/bin/python bench/make_takes.py [--out /work/gen/takes] [--noise 12] [--count 8]

Each take joins three to five of the real recordings in ../shared/speech (read by path, never
copied into the project) with gaps of 0.2 to 2 s, at the normal level, and ends 0.5 s after its
last word, where a user presses stop. ``--noise DB`` adds bench/make_corpus.py's hiss and hum at that
speech-to-noise ratio (none without it). ``--count`` takes (8 unless told) are ``dev_N`` (seeds
from 100, to look at and choose on) and as many ``test_N`` (seeds from 200, to report), each with
NAME.txt beside it; a larger count keeps the first eight as they were and adds more (a rare case,
such as a look-ahead whose decode loops, may need dozens of takes to show).
The same recordings are in both halves, in other combinations and with other noise: the test half
holds out the take, not the speaker.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import SAMPLE_RATE, finish, real_pieces  # noqa: E402

END_S = 0.5
"""Silence after the last word: the stop."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/work/gen/takes"))
    ap.add_argument("--noise", type=float, default=None, metavar="DB")
    ap.add_argument("--count", type=int, default=8, help="takes in each half (1 to 100)")
    args = ap.parse_args()
    if not 1 <= args.count <= 100:
        print("make_takes: --count must be 1 to 100 (each half's seeds are 100 apart)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    pieces = real_pieces()
    if not pieces:
        print("no recordings with references found in ../shared/speech", file=sys.stderr)
        return 1
    for split, base in (("dev", 100), ("test", 200)):
        for k in range(args.count):
            rng = np.random.default_rng(base + k)
            chosen = rng.choice(len(pieces), size=int(rng.integers(3, 6)), replace=False)
            audio = [np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)]
            for j, i in enumerate(chosen):
                gap = rng.uniform(0.2, 2.0) if j < len(chosen) - 1 else END_S
                audio += [pieces[i][0].astype(np.float32), np.zeros(int(gap * SAMPLE_RATE), np.float32)]
            take = finish(np.concatenate(audio), "normal", args.noise, rng)
            name = f"{split}_{k}"
            soundfile.write(args.out / f"{name}.wav", take, SAMPLE_RATE, subtype="PCM_16")
            (args.out / f"{name}.txt").write_text(" ".join(pieces[i][1] for i in chosen) + "\n")
            print(f"{name}: {len(take) / SAMPLE_RATE:.1f} s, recordings {[int(i) for i in chosen]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
