"""Time from stop to report over many live takes, and what the stop was left to decode.

    PYTHONPATH=src .venv/bin/python bench/stop_latency.py TAKE.wav ... [--question ID]

Each take (bench/make_takes.py writes them, ending 0.5 s after the last word) is fed at 1x speed
into the app's take session (bench/latency.py's ``--paced`` path) and stopped as it ends. Prints
per take the seconds from stop to report, the transcriber's calls that ended after the stop (what
the user waited for: the call, its audio in seconds, when it began against the stop, its seconds),
WER and fillers against NAME.txt, and speech left "[not transcribed]"; then the median, mean and
worst stop, and the words' WER and filler recall and precision over all takes. A take is one stop
moment: run the set again, or more takes, before reading much into one figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import latency  # noqa: E402

from mock_interview.core import session as session_module  # noqa: E402
from mock_interview.core.evaluate import Score, detected_fillers, reference_for, score  # noqa: E402
from mock_interview.core.speech.audio import load_audio  # noqa: E402
from mock_interview.core.speech.transcribe import WhisperTranscriber  # noqa: E402

CALLS = ("transcribe", "transcribe_again", "transcribe_anew", "hesitation_alone", "hesitations_alone")


class AfterStop:
    """Logs the transcriber's calls that end after the take's stop."""

    def __init__(self, transcriber) -> None:
        self.stop_at: float | None = None
        self.calls: list[tuple[str, float, float, float]] = []
        for name in CALLS:
            setattr(transcriber, name, self._logged(name, getattr(transcriber, name)))
        stop = session_module.TakeSession.stop

        def stopped(session, *args, **kwargs):
            self.stop_at = time.perf_counter()
            return stop(session, *args, **kwargs)

        session_module.TakeSession.stop = stopped

    def _logged(self, name: str, fn):
        def call(samples, *args, **kwargs):
            t0 = time.perf_counter()
            out = fn(samples, *args, **kwargs)
            t1 = time.perf_counter()
            if self.stop_at is not None and t1 > self.stop_at:
                self.calls.append((name, len(samples) / 16000, t0 - self.stop_at, t1 - t0))
            return out

        return call

    def reset(self) -> None:
        self.stop_at, self.calls = None, []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("takes", type=Path, nargs="+")
    ap.add_argument("--question", default="incident", help="the question answered (a behavioral one: the story judge)")
    args = ap.parse_args()
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.store.banks import load_banks

    latency.QUESTION = find_question(load_banks(), args.question)
    transcriber = WhisperTranscriber(None)
    transcriber.load()
    log = AfterStop(transcriber)
    stops, total = [], Score()
    for path in args.takes:
        audio = load_audio(path)
        log.reset()
        with tempfile.TemporaryDirectory(prefix="mock-interview-stop-") as tmp:
            stop_s, report, _ = latency.run_paced(audio.samples, transcriber, Path(tmp))
        stops.append(stop_s)
        words = report.analysis.words
        line = f"{path.stem}: {stop_s:.2f} s after stop"
        reference = reference_for(path)
        if reference:
            s = score(reference, [w.text for w in words], detected_fillers(f.text for f in report.analysis.fillers))
            total.add(s)
            line += f", WER {s.wer:.3f}, fillers {s.matched_fillers} of {s.ref_fillers} ({s.hyp_fillers} found)"
        bare = sum(r.end - r.start for r in report.analysis.uncovered)
        line += f", not transcribed {bare:.2f} s"
        print(line, flush=True)
        for name, seconds, began, took in log.calls:
            print(f"    {name} of {seconds:.2f} s audio, began {began:+.2f} s, took {took:.2f} s")
    print(
        f"stop to report over {len(stops)} takes: median {statistics.median(stops):.2f} s, "
        f"mean {statistics.mean(stops):.2f} s, worst {max(stops):.2f} s"
    )
    if total.ref_words:
        print(f"words: WER {total.wer:.4f}, filler recall {total.recall:.3f}, precision {total.precision:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
