"""Does the prosody measure hear what it claims? Flat against varied voices, rising
question endings against falling statements, trailing-off sentence ends.

    .venv/bin/python bench/prosody.py [--gen /work/gen/prosody] [--json]

Generates (once, outside the repository) the same sentences spoken by espeak-ng
flat (SSML ``<prosody range="0">``: no pitch movement at all, checked below) and
varied (its ordinary intonation), at three pitches and rates; the statements again
with the last word whispered-quiet (``volume="x-soft"``, a trailing-off end); and by
the optional Piper voice when it is installed. Each file is transcribed by the app's
Whisper model (word times as the app gets them) and measured by
``core.delivery.prosody``; the real recordings in ../shared/speech are measured too
(all of them real people, none flat).

The sentences are split once, here, into a dev part (used to choose the thresholds)
and a held-out part (never used to choose them). For each measure the script prints
the threshold the dev part supports (most right, then the middle of the widest gap) beside the one the
module uses, and how the module's threshold does on dev, held out and real speech.
A figure per file is printed, then the summary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mock_interview.core.delivery import prosody as P
from mock_interview.core.speech.audio import load_audio
from mock_interview.core.speech.words import Word

ROOT = Path(__file__).resolve().parents[1]
SPEECH = Path(os.environ.get("MOCK_INTERVIEW_SPEECH_DIR", ROOT.parent / "shared" / "speech"))

# (id, text, split): statements and yes/no questions, in the project's own words. Frozen:
# the "test" ones were never looked at while choosing thresholds.
TEXTS = [
    ("s1", "We rolled the model back within the hour and the errors stopped.", "dev"),
    ("s2", "The feature store kept training and serving values in step.", "test"),
    ("s3", "Our nightly job retrained the ranking model on fresh clicks.", "dev"),
    ("s4", "The drift alert fired when the input mix changed after the launch.", "test"),
    ("s5", "I added a canary release so that only a few users saw the new model.", "dev"),
    ("s6", "We versioned every dataset together with the code that produced it.", "test"),
    ("q1", "Did you roll the model back within the hour?", "dev"),
    ("q2", "Does the feature store keep training and serving values in step?", "test"),
    ("q3", "Could the nightly job retrain the ranking model on fresh clicks?", "dev"),
    ("q4", "Is the drift alert firing when the input mix changes?", "test"),
    ("q5", "Would a canary release show the new model to only a few users?", "dev"),
    ("q6", "Have you versioned every dataset together with its code?", "test"),
]
ESPEAK = [(35, 150), (50, 175), (70, 200)]
"""(pitch 0-99, rate words per minute) of the espeak-ng renditions."""


@dataclass
class Measured:
    name: str
    split: str
    kind: str
    """statement or question"""
    style: str
    """flat, varied, trail (last word quiet), piper or real"""
    range_st: float | None
    rise_st: float | None
    drop_db: float | None
    words: str
    ends: str = ""
    """Real recordings: sentence ends heard trailing off and statements heard rising, of all sentences."""


def espeak(text: str, out: Path, pitch: int, rate: int, style: str) -> None:
    if style == "flat":
        ssml = f'<speak><prosody range="0">{text}</prosody></speak>'
    elif style == "trail":
        body, last = text[:-1].rsplit(" ", 1)
        # The full stop inside the element: after it, espeak-ng reads it out as "dot".
        ssml = f'<speak>{body} <prosody volume="x-soft">{last}{text[-1]}</prosody></speak>'
    else:
        ssml = f"<speak>{text}</speak>"
    subprocess.run(["espeak-ng", "-m", "-p", str(pitch), "-s", str(rate), "-w", str(out), ssml], check=True)


def piper(text: str, out: Path) -> bool:
    try:
        from mock_interview.core.voice import VoiceProfile, piper_available, synthesize_piper
    except ImportError:
        return False
    if not piper_available():
        return False
    synthesize_piper(text, VoiceProfile("joe", engine="piper", rate=165, volume=1.0), out)
    return True


def generate(folder: Path) -> list[tuple[Path, str, str, str]]:
    """(file, split, kind, style) of the generated set, synthesizing what is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for tid, text, split in TEXTS:
        kind = "question" if text.endswith("?") else "statement"
        styles = ["flat", "varied"] + (["trail"] if kind == "statement" else [])
        for pitch, rate in ESPEAK:
            for style in styles:
                if style == "trail" and (pitch, rate) != ESPEAK[1]:
                    continue
                out = folder / f"{tid}_espeak_p{pitch}_s{rate}_{style}.wav"
                if not out.exists():
                    espeak(text, out, pitch, rate, style)
                items.append((out, split, kind, style))
        out = folder / f"{tid}_piper.wav"
        if out.exists() or piper(text, out):
            items.append((out, split, kind, "piper"))
    return items


def real_recordings() -> list[tuple[Path, str, str, str]]:
    files = sorted(p for p in SPEECH.rglob("*") if p.suffix in {".wav", ".flac"})
    return [(p, "real", "statement", "real") for p in files]


def words_of(path: Path, samples: np.ndarray, transcriber) -> list[Word]:
    """Whisper's words, cached beside a generated file (never beside the real recordings)."""
    cache = path.with_suffix(".words.json") if SPEECH not in path.parents else None
    if cache and cache.exists():
        return [Word(**w) for w in json.loads(cache.read_text())]
    words = transcriber.transcribe(samples)
    if cache:
        cache.write_text(json.dumps([w.to_dict() for w in words]))
    return words


def measure(path: Path, split: str, kind: str, style: str, transcriber) -> Measured:
    samples = load_audio(path).samples
    contour = P.contour_of(samples)
    words = [w for w in words_of(path, samples, transcriber) if w.text.strip()]
    lv = P.levels(contour.pitch, contour.intensity)
    rise = drop = None
    ends = ""
    if style != "real":  # one sentence per generated file
        rise = P.end_rise_st(contour, words, lv.pitch_median_hz)
        drop = P.end_drop_db(contour, words)
    else:  # as the report measures a take
        from mock_interview.core.report import build_report

        pr = build_report(words, len(samples) / 16000, contour=contour).prosody
        ends = f"trail {len(pr.trailing_off)}/{pr.sentences} rise {len(pr.rising_statements)}/{pr.sentences}"
    name = str(path.relative_to(SPEECH)) if style == "real" else path.name
    text = " ".join(w.text.strip() for w in words)
    return Measured(name, split, kind, style, lv.pitch_range_st, rise, drop, text, ends)


def best_threshold(low: list[float], high: list[float]) -> float | None:
    """The threshold that puts most of ``low`` below it and of ``high`` at or above it;
    among equals, the one in the middle of the widest gap between measured values."""
    if not low or not high:
        return None
    values = sorted(set(low + high))
    cuts = [((a + b) / 2, b - a) for a, b in zip(values, values[1:])]

    def right(t: float) -> int:
        return sum(v < t for v in low) + sum(v >= t for v in high)

    best = max(cuts, key=lambda c: (right(c[0]), c[1]))
    return round(best[0], 2)


def score(rows: list[Measured], value, positive, threshold: float, below: bool = False) -> dict:
    """Of the rows that should be called (``positive``), how many are; of the others, how
    many are called anyway; and which rows are wrong."""
    judged = [(r, value(r)) for r in rows if value(r) is not None]
    called = {r.name for r, v in judged if ((v < threshold) if below else (v >= threshold))}
    pos = [r for r, _ in judged if positive(r)]
    neg = [r for r, _ in judged if not positive(r)]
    wrong = [r.name for r, _ in judged if (r.name in called) != positive(r)]
    out = {
        "found": f"{sum(r.name in called for r in pos)} of {len(pos)}",
        "false_alarms": f"{sum(r.name in called for r in neg)} of {len(neg)}",
    }
    if len(judged) < len(rows):
        out["not_measured"] = len(rows) - len(judged)
    if wrong:
        out["wrong"] = wrong
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gen", type=Path, default=Path("/work/gen/prosody"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from mock_interview.core.speech.transcribe import WhisperTranscriber

    transcriber = WhisperTranscriber()
    transcriber.load()
    rows = [measure(*item, transcriber) for item in generate(args.gen) + real_recordings()]

    if args.json:
        print(json.dumps([r.__dict__ for r in rows], indent=1))
    else:
        print(f"{'file':44} {'split':5} {'style':6} {'range st':>8} {'rise st':>8} {'drop dB':>8}  words")
        for r in rows:
            f = lambda x: "-" if x is None else f"{x:.1f}"  # noqa: E731
            print(f"{r.name:44} {r.split:5} {r.style:6} {f(r.range_st):>8} {f(r.rise_st):>8} {f(r.drop_db):>8}  {r.ends or r.words[:50]}")

    def part(split: str) -> list[Measured]:
        return [r for r in rows if r.split == split]

    dev = part("dev")
    rng = lambda r: r.range_st  # noqa: E731
    flat_dev = [r.range_st for r in dev if r.style == "flat" and r.range_st is not None]
    other_dev = [r.range_st for r in dev if r.style != "flat" and r.range_st is not None]
    on_ends = lambda rs: [r for r in rs if r.style in {"varied", "piper"}]  # noqa: E731
    q_dev = [r.rise_st for r in on_ends(dev) if r.kind == "question" and r.rise_st is not None]
    s_dev = [r.rise_st for r in on_ends(dev) if r.kind == "statement" and r.rise_st is not None]
    trail_dev = [r.drop_db for r in dev if r.style == "trail" and r.drop_db is not None]
    plain_dev = [r.drop_db for r in on_ends(dev) if r.kind == "statement" and r.drop_db is not None]
    is_flat = lambda r: r.style == "flat"  # noqa: E731
    summary = {
        "flat": {
            "dev_supports": best_threshold(flat_dev, other_dev),
            "used": P.FLAT_RANGE_ST,
            "flat_range_st_dev_max": max(flat_dev, default=None),
            "varied_range_st_dev_min": min(other_dev, default=None),
            **{s: score(part(s), rng, is_flat, P.FLAT_RANGE_ST, below=True) for s in ("dev", "test", "real")},
        },
        "rising": {
            "dev_supports": best_threshold(s_dev, q_dev),
            "used": P.RISE_ST,
            **{
                s: score(on_ends(part(s)), lambda r: r.rise_st, lambda r: r.kind == "question", P.RISE_ST)
                for s in ("dev", "test")
            },
        },
        "trailing_off": {
            "dev_supports": best_threshold(plain_dev, trail_dev),
            "used": P.TRAIL_DB,
            **{
                s: score([r for r in part(s) if r.kind == "statement" and r.style in {"varied", "piper", "trail"}],
                         lambda r: r.drop_db, lambda r: r.style == "trail", P.TRAIL_DB)
                for s in ("dev", "test")
            },
        },
        "real_range_st": sorted(r.range_st for r in part("real") if r.range_st is not None),
        "real_sentence_ends": {k: sum(int(r.ends.split()[i].split("/")[j]) for r in part("real"))
                               for k, i, j in (("trailing_off", 1, 0), ("rising", 3, 0), ("sentences", 1, 1))},
    }
    print(json.dumps(summary, indent=2), file=sys.stderr if args.json else sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
