"""Filler recall and precision, and word error rate, on real recordings.

    .venv/bin/python bench/accuracy.py [FOLDER] [--json]

FOLDER defaults to ../shared/speech (every audio file with a NAME.txt reference
beside it, sub-folders included). Compares the project's transcription settings with
plain faster-whisper ``transcribe()`` on the same files and prints both.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from mock_interview.core.speech.audio import load_audio
from mock_interview.core.speech.engine import transcribe_file
from mock_interview.core.evaluate import Score, detected_fillers, reference_for, score
from mock_interview.core.report import build_report
from mock_interview.core.speech.transcribe import PLAIN, TranscribeOptions, WhisperTranscriber

ROOT = Path(__file__).resolve().parents[1]
AUDIO = {".wav", ".flac", ".mp3", ".ogg"}


def audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in AUDIO and reference_for(p) is not None)


def run(transcriber: WhisperTranscriber, options: TranscribeOptions, files: list[Path], streamed: bool) -> tuple[Score, list[dict], float]:
    """``streamed``: the path `analyze` and the app take (cut at pauses); else one whole-file call."""
    total = Score()
    rows = []
    t0 = time.perf_counter()
    transcriber.options = options
    for path in files:
        if streamed:
            heard = transcribe_file(path, transcriber)
            words, duration = heard.words, heard.duration_s
        else:
            audio = load_audio(path)
            words, duration = transcriber.transcribe(audio.samples), audio.duration_s
        report = build_report(words, duration)
        s = score(reference_for(path), [w.text for w in words], detected_fillers(f.text for f in report.analysis.fillers))
        total.add(s)
        rows.append(
            {
                "file": path.name,
                "ref_fillers": s.ref_fillers,
                "found": s.hyp_fillers,
                "matched": s.matched_fillers,
                "word_errors": s.word_errors,
                "ref_words": s.ref_words,
                "transcript": report.analysis.transcript,
            }
        )
    return total, rows, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "speech"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(args.folder)
    files = audio_files(folder)
    if not files:
        print(f"no audio with references found in {folder}", file=sys.stderr)
        return 2
    transcriber = WhisperTranscriber()
    transcriber.load()
    results = {}
    chosen = transcriber.options
    runs = (("chosen", chosen, True), ("chosen, whole file", chosen, False), ("plain", PLAIN, False))
    for name, options, streamed in runs:
        total, rows, seconds = run(transcriber, options, files, streamed)
        results[name] = {
            "filler_recall": round(total.recall, 3),
            "filler_precision": round(total.precision, 3),
            "wer": round(total.wer, 4),
            "ref_fillers": total.ref_fillers,
            "found_fillers": total.hyp_fillers,
            "matched_fillers": total.matched_fillers,
            "seconds": round(seconds, 1),
            "files": rows,
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name, r in results.items():
        notes = {
            "chosen": " (as `analyze` and the app run: cut at pauses, chunk by chunk)",
            "chosen, whole file": " (one transcribe() call per file)",
            "plain": " (faster-whisper defaults, word timestamps on, one call per file)",
        }
        print(f"\n== {name} settings{notes[name]}")
        print(f"{'file':44} {'fillers ref/found/matched':>26} {'word errors':>12}")
        for row in r["files"]:
            print(f"{row['file']:44} {row['ref_fillers']:>10}/{row['found']}/{row['matched']:<12} {row['word_errors']:>5}/{row['ref_words']}")
        print(
            f"overall: filler recall {r['filler_recall']:.3f}  precision {r['filler_precision']:.3f}  "
            f"WER {100 * r['wer']:.2f}%  ({r['seconds']} s)"
        )
    c, p = results["chosen"], results["plain"]
    print(
        f"\ntargets: recall >= 0.90 ({c['filler_recall']:.3f}), precision >= 0.85 ({c['filler_precision']:.3f}), "
        f"WER <= plain + 0.5 points ({100 * c['wer']:.2f}% vs {100 * p['wer']:.2f}%)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
