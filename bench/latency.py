"""Time from the end of an answer to the finished report, through the app's streaming path.

    .venv/bin/python bench/latency.py AUDIO [--runs N] [--json] [--paced] [--trail S,S,...] [--model tiny.en|base] [--no-coverage] [--question ID]

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
live take measures segment by segment while the user speaks);
with the model, whether the coverage check (bare speech transcribed again)
was on, how much speech it left uncovered, and the machine's cores and load (other work
on the machine slows every figure: say so when you quote them). ``--question ID`` answers that
question of ``questions/*.toml`` (a behavioral one brings in the story judge, whose clause
embeddings are made while the answer is played and whose last clauses are left for the stop).
``--paced --trail 0,0.5,1`` stops that many seconds after the file ends, each in turn (``--runs``
times each): where the stop falls against the live take's look-ahead (every 2 s of an unfinished
chunk) decides how much is left to do, and one stop moment measures one case of it.
"""

from __future__ import annotations

import argparse
import json
import os
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
from mock_interview.core import session as session_module
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


COVERAGE = True
QUESTION = None
BUILD_S: list[float] = []
"""Seconds the report took to build after each stop (the judge's part of finalize_latency_s)."""


def _timed_build(*args, **kwargs):
    t = time.perf_counter()
    try:
        return build_report(*args, **kwargs)
    finally:
        BUILD_S.append(time.perf_counter() - t)


session_module.build_report = _timed_build


def run_paced(audio: np.ndarray, transcriber, folder: Path) -> tuple[float, list, int | None]:
    rec = PacedFile(audio)
    session = TakeSession(rec, transcriber, QUESTION, folder / "take.wav")  # only its recovery marker is written
    session.live.check_coverage = COVERAGE
    session.start()
    while not rec.done():
        session.poll()
        time.sleep(POLL_S)
    finished = session.stop()
    return finished.finalize_s, finished.report, None


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
        session = TakeSession(recorder, transcriber, QUESTION, folder / "take.wav")
        session.live.check_coverage = COVERAGE
        session.start()
        player = va.play_into_mic(wav)
        while player.poll() is None:
            session.poll()
            time.sleep(POLL_S)
        session.poll()
        finished = session.stop()
    return finished.finalize_s, finished.report, recorder.overflows


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
    parser.add_argument("--model", default=None, help="tiny.en (bundled, default), base, or a model folder")
    parser.add_argument("--no-coverage", action="store_true", help="switch the coverage check off (for comparison)")
    parser.add_argument("--question", default=None, help="answer this question id (a behavioral one: the story judge)")
    parser.add_argument(
        "--trail", default="0", help="with --paced: seconds of silence after the file before stop, comma-separated, each in turn"
    )
    args = parser.parse_args()
    trails = [float(t) for t in args.trail.split(",")]
    if trails != [0.0] and not args.paced:
        parser.error("--trail needs --paced")
    global COVERAGE, QUESTION
    COVERAGE = not args.no_coverage
    if args.question:
        from mock_interview.core.judge.questions import find_question
        from mock_interview.core.store.banks import load_banks

        QUESTION = find_question(load_banks(), args.question)

    transcriber = WhisperTranscriber(args.model)
    transcriber.load()
    load_before = os.getloadavg()
    audio = load_audio(args.audio)
    reference = reference_for(args.audio)

    t0 = time.perf_counter()
    batch_words = transcriber.transcribe(audio.samples)
    batch_s = time.perf_counter() - t0

    latencies, overflows, stream_words, uncovered = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="mock-interview-latency-") as tmp:
        for i, trail in ((i, t) for t in trails for i in range(args.runs)):
            if args.paced:
                padded = np.concatenate([audio.samples, np.zeros(round(trail * SAMPLE_RATE), np.float32)])
                lat, report, ovf = run_paced(padded, transcriber, Path(tmp))
            else:
                lat, report, ovf = run_pulse(args.audio, transcriber, Path(tmp) / f"run{i}")
            stream_words = report.analysis.words
            uncovered.append(round(sum(r.end - r.start for r in report.analysis.uncovered), 2))
            latencies.append(lat)
            overflows.append(ovf)
            print(f"run {i + 1}{f' (stop {trail:g} s after the end)' if len(trails) > 1 else ''}: finalize {lat:.2f} s", file=sys.stderr)

    result = {
        "audio": str(args.audio),
        "audio_s": round(audio.duration_s, 1),
        "model": transcriber.name,
        "coverage_check": COVERAGE,
        "question": QUESTION.id if QUESTION else None,
        "uncovered_s": uncovered,
        "cores": os.cpu_count(),
        "load_avg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "path": "paced" if args.paced else "pulseaudio+portaudio",
        "runs": args.runs,
        "trail_s": trails,
        "finalize_latency_s": round(statistics.median(latencies), 3),
        "finalize_latency_max_s": round(max(latencies), 3),
        "finalize_latency_all_s": [round(x, 3) for x in latencies],
        "report_at_stop_s": [round(x, 3) for x in BUILD_S],
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
