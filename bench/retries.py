"""Does the coverage check's second try keep real speech and reject invented words?

    .venv/bin/python bench/retries.py [--corpus /work/gen/corpus] [--split dev|test|shared|all] [--spans 6]

Two measures, per split:
- ``dropped``: speech the first pass did hear, transcribed again on its own as a bare
  stretch would be (spans of 1 to 6 s inside what the VAD hears, 0.3 s either side, a
  fixed seed), raw (no confidence gate) and through ``transcribe_again``: the share of
  the first pass's words in the span that come back (``kept``), and the retry's words that
  are not among them (``extra``, per span).
- ``retries``: the coverage check's own second tries in ``analyze``: each word it would
  add, raw and gated, aligned with the reference (fillers as one class) as matching or
  invented, and the laughter it named.
Thresholds (:class:`mock_interview.core.speech.transcribe.Confidence`) were chosen on dev
and ``shared`` only.
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parity import files  # noqa: E402

from mock_interview.core.evaluate import reference_tokens  # noqa: E402
from mock_interview.core.delivery.fillers import is_hesitation  # noqa: E402
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from mock_interview.core.speech.engine import transcribe_file  # noqa: E402
from mock_interview.core.speech.transcribe import WhisperTranscriber, is_sound  # noqa: E402
from mock_interview.core.speech.vad import speech_regions  # noqa: E402

PAD_S = 0.3


def tokens(words) -> list[str]:
    out = [t for w in words if not is_sound(w.text) for t in reference_tokens(w.text)]
    return ["<uh>" if is_hesitation(t) else t for t in out]


def dropped(whisper: WhisperTranscriber, path: Path, n: int, rng: random.Random) -> Counter:
    audio = load_audio(path).samples
    first = whisper.transcribe(audio)
    regions = [r for r in speech_regions(audio) if r.end - r.start >= 1.0]
    c: Counter = Counter()
    for r in rng.sample(regions, min(n, len(regions))):
        length = min(r.end - r.start, rng.uniform(1.0, 6.0))
        a = rng.uniform(r.start, r.end - length)
        b = a + length
        said = Counter(tokens([w for w in first if a <= (w.start + w.end) / 2 <= b]))
        if not said:
            continue
        lo, hi = max(0.0, a - PAD_S), b + PAD_S
        piece = audio[int(lo * SAMPLE_RATE) : int(hi * SAMPLE_RATE)]
        for kind, opts in (("raw", replace(whisper.options, initial_prompt=None)), ("gated", None)):
            heard = whisper.transcribe(piece, options=opts) if opts else whisper.transcribe_again(piece)
            got = Counter(tokens([w for w in heard if a - lo <= (w.start + w.end) / 2 <= b - lo]))
            c[f"{kind}_kept"] += sum((said & got).values())
            c[f"{kind}_extra"] += sum((got - said).values())
        c["said"] += sum(said.values())
        c["spans"] += 1
    return c


class Spy(WhisperTranscriber):
    """Records what each second try of the coverage check would add; hands on the raw or the gated words."""

    raw = False
    calls: list = []

    def transcribe_again(self, samples):
        words = (
            self.transcribe(samples, options=replace(self.options, initial_prompt=None, sounds=True))
            if self.raw
            else super().transcribe_again(samples)
        )
        self.calls.append(words)
        return words


def retries(spy: Spy, path: Path) -> Counter:
    """Words the check's retries add, matched against the reference or invented, raw and gated."""
    c: Counter = Counter()
    ref = tokens_of(path.with_suffix(".txt").read_text(encoding="utf-8"))
    for kind in ("raw", "gated"):
        spy.raw, spy.calls = kind == "raw", []
        heard = transcribe_file(path, spy)
        added = {(w.text, w.probability) for call in spy.calls for w in call}
        hyp = tokens(heard.words)
        owner = [(w.text, w.probability) in added for w in heard.words if not is_sound(w.text) for _ in tokens([w])]
        good = set()
        for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
            if op == "equal":
                good.update(range(b0, b1))
        for i, mine in enumerate(owner):
            if mine:
                c[f"{kind}_{'match' if i in good else 'invented'}"] += 1
        c[f"{kind}_laughter"] += sum(is_sound(w.text) for call in spy.calls for w in call)
        c[f"{kind}_uncovered_s"] += round(sum(r.end - r.start for r in heard.uncovered), 2)
        if kind == "gated":
            c["retries"] += len(spy.calls)
    spy.raw = False
    return c


def tokens_of(text: str) -> list[str]:
    return ["<uh>" if is_hesitation(t) else t for t in reference_tokens(text)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/work/gen/corpus"))
    ap.add_argument("--split", default="dev", choices=["dev", "test", "shared", "all"])
    ap.add_argument("--spans", type=int, default=6, help="spans dropped on purpose per file")
    args = ap.parse_args()
    chosen = files(args.corpus, args.split)
    if not chosen:
        print(f"retries: no files (make the corpus first: bench/make_corpus.py --out {args.corpus})", file=sys.stderr)
        return 2
    spy = Spy()
    spy.load()
    rng = random.Random(11)
    totals: dict[str, Counter] = {}
    for path, group, split, _ in chosen:
        d = dropped(spy, path, args.spans, rng)
        r = retries(spy, path)
        print(f"{path.stem:<24} {dict(d)} {dict(r)}", flush=True)
        for key in (split, f"{split}/{group}"):
            totals.setdefault(key, Counter()).update(d + r)
    print()
    for key, c in sorted(totals.items()):
        said = max(1, c["said"])
        print(
            f"{key:<14} dropped on purpose: {c['spans']} spans, {c['said']} words; kept raw {c['raw_kept'] / said:.1%} "
            f"gated {c['gated_kept'] / said:.1%}; extra words per span raw {c['raw_extra'] / max(1, c['spans']):.2f} "
            f"gated {c['gated_extra'] / max(1, c['spans']):.2f} | check's retries {c['retries']}: "
            f"words matching the reference raw {c['raw_match']} gated {c['gated_match']}, invented raw "
            f"{c['raw_invented']} gated {c['gated_invented']}; laughter named {c['gated_laughter']}; "
            f"uncovered raw {c['raw_uncovered_s']:.1f} s gated {c['gated_uncovered_s']:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
