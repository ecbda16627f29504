"""Time from the end of an answer to the finished report, through the app's streaming path.

    .venv/bin/python bench/latency.py AUDIO [--runs N] [--json] [--paced]

The recording is played in real time into a virtual microphone (a private PulseAudio
server, as in the end-to-end tests) and recorded through PortAudio by the app's own
recorder and live transcriber (core.session.TakeSession). ``--paced`` skips the sound
server and feeds the file at 1x speed straight into the live transcriber (no
``input_overflows`` then). Prints finalize_latency_s (stop to finished report),
batch_s (whole-file transcription, for comparison), rtf (batch_s / audio length),
wer_stream and wer_batch when NAME.txt sits beside AUDIO, input_overflows and
peak_rss_mb; and what the voice measures cost: voice_at_stop_s (prosody of the
unmeasured tail, plus the prosody and habits figures of the whole answer: what they add
after the stop) and prosody_background_s (the whole answer's pitch and loudness, which a
live take measures segment by segment while the user speaks).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio, resample
from mock_interview.core.devices import Recording
from mock_interview.core.evaluate import detected_fillers, reference_for, score
from mock_interview.core.delivery.habits import find_habits
from mock_interview.core.delivery.prosody import SEGMENT_S, ProsodyStream, measure_prosody
from mock_interview.core.report import build_report
from mock_interview.core.session import TakeSession
from mock_interview.core.speech.transcribe import WhisperTranscriber

POLL_S = 0.1


class PacedFile:
    """A recorder that delivers a file at 1x speed, by the clock, as a microphone would."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self._t0 = 0.0
        self._sent = 0

    def start(self, path: Path) -> None:
        self._t0 = time.perf_counter()

    def read_new(self) -> np.ndarray:
        due = min(len(self.samples), int((time.perf_counter() - self._t0) * SAMPLE_RATE))
        out, self._sent = self.samples[self._sent : due], max(self._sent, due)
        return out

    @property
    def elapsed_s(self) -> float:
        return self._sent / SAMPLE_RATE

    level = 0.0
    overflows = None

    def done(self) -> bool:
        return self._sent >= len(self.samples)

    def stop(self) -> Recording:
        return Recording(Path("paced"), SAMPLE_RATE, self._sent)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_paced(audio: np.ndarray, transcriber, folder: Path) -> tuple[float, list, int | None]:
    rec = PacedFile(audio)
    session = TakeSession(rec, transcriber, None, folder / "take.wav")  # only its recovery marker is written
    session.start()
    while not rec.done():
        session.poll()
        time.sleep(POLL_S)
    finished = session.stop()
    return finished.finalize_s, finished.report.analysis.words, None


def run_pulse(path: Path, transcriber, folder: Path) -> tuple[float, list, int | None]:
    from mock_interview.core.recorder import SoundDeviceRecorder
    from mock_interview.virtual_audio import VirtualAudio

    # paplay keeps real time with a 48 kHz WAV.
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / "answer48k.wav"
    samples = load_audio(path).samples
    soundfile.write(wav, resample(samples, SAMPLE_RATE, 48_000), 48_000, subtype="PCM_16")
    with VirtualAudio(folder / "pulse") as va:
        va.apply_to_process()
        recorder = SoundDeviceRecorder()
        session = TakeSession(recorder, transcriber, None, folder / "take.wav")
        session.start()
        player = va.play_into_mic(wav)
        while player.poll() is None:
            session.poll()
            time.sleep(POLL_S)
        session.poll()
        finished = session.stop()
    return finished.finalize_s, finished.report.analysis.words, recorder.overflows


def voice_cost(samples: np.ndarray, words: list, runs: int = 3) -> dict:
    """Seconds the prosody and habits add after the stop, and spend during the take."""
    at_stop, background = [], []
    a = build_report(words, len(samples) / SAMPLE_RATE).analysis  # sentences and filler flags
    spans = [(s.first, s.last) for s in a.sentences]
    for _ in range(runs):
        stream = ProsodyStream()
        # As a live take: everything up to the last few seconds is measured while recording.
        cut = len(samples) - int(0.6 * SEGMENT_S * SAMPLE_RATE)
        t0 = time.perf_counter()
        stream.add(samples[:cut])
        t1 = time.perf_counter()
        stream.add(samples[cut:])
        contour = stream.finish()
        measure_prosody(contour, a.words, spans)
        find_habits(a.words, a.filler_flags, [f for f, _ in spans], a.speaking_s)
        t2 = time.perf_counter()
        at_stop.append(t2 - t1)
        background.append(t1 - t0)
    return {"voice_at_stop_s": round(statistics.median(at_stop), 3),
            "prosody_background_s": round(statistics.median(background), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--paced", action="store_true", help="feed the file at 1x without a sound server")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    transcriber = WhisperTranscriber()
    transcriber.load()
    audio = load_audio(args.audio)
    reference = reference_for(args.audio)

    t0 = time.perf_counter()
    batch_words = transcriber.transcribe(audio.samples)
    batch_s = time.perf_counter() - t0

    latencies, overflows, stream_words = [], [], []
    with tempfile.TemporaryDirectory(prefix="mock-interview-latency-") as tmp:
        for i in range(args.runs):
            if args.paced:
                lat, stream_words, ovf = run_paced(audio.samples, transcriber, Path(tmp))
            else:
                lat, stream_words, ovf = run_pulse(args.audio, transcriber, Path(tmp) / f"run{i}")
            latencies.append(lat)
            overflows.append(ovf)
            print(f"run {i + 1}: finalize {lat:.2f} s", file=sys.stderr)

    result = {
        "audio": str(args.audio),
        "audio_s": round(audio.duration_s, 1),
        "path": "paced" if args.paced else "pulseaudio+portaudio",
        "runs": args.runs,
        "finalize_latency_s": round(statistics.median(latencies), 3),
        "finalize_latency_all_s": [round(x, 3) for x in latencies],
        "batch_s": round(batch_s, 2),
        "rtf": round(batch_s / audio.duration_s, 3),
        "input_overflows": None if args.paced else sum(overflows),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        **voice_cost(audio.samples, stream_words),
    }
    if reference:
        for name, words in (("stream", stream_words), ("batch", batch_words)):
            fillers = detected_fillers(f.text for f in build_report(words, audio.duration_s).analysis.fillers)
            s = score(reference, [w.text for w in words], fillers)
            result[f"wer_{name}"] = round(s.wer, 4)
            result[f"filler_recall_{name}"] = round(s.recall, 3)
            result[f"filler_precision_{name}"] = round(s.precision, 3)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
