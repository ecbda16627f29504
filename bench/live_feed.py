"""A live take's words and the decodes faster-whisper retried, as an idle worker hears each file.

    PYTHONPATH=src .venv/bin/python bench/live_feed.py FILE.wav ... [--noise 12]

Each file (NAME.txt beside it: bench/make_takes.py's takes, bench/make_corpus.py's files) is fed to
the live path (``StreamTranscriber``, as a take) in 0.5 s blocks, looking ahead after each until
nothing is left, then stopped: the same audio gives the same words whatever the machine's load, so
two versions of the code can run side by side. Prints per file the WER and fillers against the
reference, the seconds the stop decoded, and every decode faster-whisper retried at a higher
temperature: its phase (``add``: a chunk cut while the user speaks; ``spec``: the unfinished chunk,
looked ahead; ``finish``: at stop), the temperature it ended at and its seconds. Then the totals.
``--noise DB`` adds bench/make_corpus.py's noise first, as ``bench/parity.py --noise`` does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parity import with_noise  # noqa: E402

from mock_interview.core.evaluate import Score, detected_fillers, reference_for, score  # noqa: E402
from mock_interview.core.report import build_report  # noqa: E402
from mock_interview.core.speech import live  # noqa: E402
from mock_interview.core.speech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from mock_interview.core.speech.transcribe import WhisperTranscriber  # noqa: E402

PHASES = ("add", "spec", "finish")


class Retries:
    """Logs faster-whisper's decodes (one window each, with its fallback) by the phase of the take."""

    def __init__(self) -> None:
        import faster_whisper.transcribe as fw

        self.phase = "add"
        self.calls: list[tuple[str, float, float]] = []
        generate = fw.WhisperModel.generate_with_fallback

        def logged(model, *args, **kwargs):
            t0 = time.perf_counter()
            out = generate(model, *args, **kwargs)
            self.calls.append((self.phase, out[2], time.perf_counter() - t0))
            return out

        fw.WhisperModel.generate_with_fallback = logged


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--noise", type=float, default=None, metavar="DB")
    args = ap.parse_args()
    log = Retries()
    total, decodes, retried, retried_s = Score(), Counter(), Counter(), Counter()
    stop_s = 0.0
    with tempfile.TemporaryDirectory(prefix="live-feed-") as tmp:
        for path in args.files:
            reference = reference_for(path)
            audio = load_audio(with_noise(path, args.noise, Path(tmp)) if args.noise is not None else path)
            transcriber = WhisperTranscriber(None)  # each file its own model: the sampler's seed starts anew
            transcriber.load()
            log.calls = []
            stream = live.StreamTranscriber(transcriber, speculative=True)
            piece = int(live.PIECE_S * SAMPLE_RATE)
            for i in range(0, len(audio.samples), piece):
                log.phase = "add"
                stream.add(audio.samples[i : i + piece])
                log.phase = "spec"
                while stream.speculate():
                    pass
            log.phase = "finish"
            t0 = time.perf_counter()
            words = stream.finish()
            took = time.perf_counter() - t0
            stop_s += took
            line = f"{path.parent.name}/{path.stem}: stop {took:.2f} s"
            if reference:
                report = build_report(words, audio.duration_s, uncovered=stream.uncovered, sounds=stream.sounds)
                s = score(reference, [w.text for w in words], detected_fillers(f.text for f in report.analysis.fillers))
                total.add(s)
                line += f", WER {s.wer:.3f}, fillers {s.matched_fillers} of {s.ref_fillers} ({s.hyp_fillers} found)"
            again = [(phase, t, sec) for phase, t, sec in log.calls if t > 0]
            decodes.update(phase for phase, _t, _sec in log.calls)
            for phase, _t, sec in again:
                retried[phase] += 1
                retried_s[phase] += sec
            print(line + f"; retried {len(again)}: " + " ".join(f"{p}@{t:.1f}:{sec:.1f}s" for p, t, sec in again), flush=True)
    for phase in PHASES:
        print(f"{phase}: {decodes[phase]} decodes, {retried[phase]} retried ({retried_s[phase]:.1f} s)")
    print(f"the stops' decoding: {stop_s:.1f} s over {len(args.files)} files")
    if total.ref_words:
        print(f"words: WER {total.wer:.4f}, filler recall {total.recall:.3f}, precision {total.precision:.3f} "
              f"({total.matched_fillers} of {total.ref_fillers}, {total.hyp_fillers} found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
