"""Write the short cue sounds in assets/ (run once; the WAVs are committed)."""

from pathlib import Path

import numpy as np
import soundfile

RATE = 48_000
OUT = Path(__file__).resolve().parents[1] / "assets"


def tone(freqs, seconds, volume=0.35):
    t = np.arange(int(RATE * seconds)) / RATE
    wave = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
    envelope = np.minimum(1.0, t / 0.01) * np.exp(-t * 6.0)
    return (volume * wave * envelope).astype(np.float32)


def silence(seconds):
    return np.zeros(int(RATE * seconds), dtype=np.float32)


CUES = {
    "start": np.concatenate([tone([660], 0.12), silence(0.05), tone([880], 0.25)]),
    "wrap-up": tone([523.25, 659.25], 0.6, volume=0.18),
    "stop": np.concatenate([tone([880], 0.12), silence(0.05), tone([660], 0.25)]),
}

if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, samples in CUES.items():
        soundfile.write(OUT / f"cue-{name}.wav", samples, RATE, subtype="PCM_16")
        print(OUT / f"cue-{name}.wav")
