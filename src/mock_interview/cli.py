"""The command line. Heavy imports (the model, audio, the UI) wait until a command needs them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from mock_interview import __version__
from mock_interview.core.errors import UserError

PROG = "mock-interview"


def _model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        metavar="PATH|NAME",
        help="speech model: a CTranslate2 model folder, or a model name (default: the bundled tiny.en)",
    )
    p.add_argument(
        "--allow-download",
        action="store_true",
        help="allow fetching a named model that is not installed (the only network use)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A voice-based mock interviewer: hear the question, answer aloud, see what to fix.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--voice", metavar="NAME", help="interviewer voice profile from voices/ (default: settings)")
    parser.add_argument("--bank", metavar="FILE", action="append", default=[], help="also load this question bank")
    _model_args(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = sub.add_parser("analyze", help="transcribe and analyse a recorded answer (no UI)")
    analyze.add_argument("audio", metavar="AUDIO", help="a wav, flac, mp3 or ogg file")
    analyze.add_argument("--question", metavar="ID", help="judge against this question's rubric (id or bank:id)")
    analyze.add_argument("--bank", metavar="FILE", action="append", default=[], help="also load this question bank")
    analyze.add_argument("--json", action="store_true", help="print the report as one JSON object")
    analyze.add_argument("--pause", metavar="SECONDS", type=float, default=None, help="long-pause threshold (default 2.0)")
    analyze.add_argument("--save", action="store_true", help="save the take with its audio and report")
    _model_args(analyze)

    questions = sub.add_parser("questions", help="list the question banks and their questions")
    questions.add_argument("--json", action="store_true", help="print the questions as JSON")
    questions.add_argument("--bank", metavar="FILE", action="append", default=[], help="also load this question bank")
    qsub = questions.add_subparsers(dest="action", metavar="ACTION")
    validate = qsub.add_parser("validate", help="check question bank files and name every problem")
    validate.add_argument("files", metavar="FILE", nargs="+")
    return parser


def cmd_analyze(args: argparse.Namespace) -> int:
    from mock_interview.core.analysis import AnalysisOptions
    from mock_interview.core.audio import load_audio
    from mock_interview.core.questions import find_question, load_banks
    from mock_interview.core.report import build_report
    from mock_interview.core.settings import load_settings
    from mock_interview.core.textreport import format_report
    from mock_interview.core.transcribe import WhisperTranscriber

    question = None
    if args.question:
        question = find_question(load_banks(args.bank), args.question)
    elif args.bank:
        load_banks(args.bank)  # report a broken bank even without --question
    settings = load_settings()
    pause = args.pause if args.pause is not None else settings.pause_s
    if not 0.2 <= pause <= 60:
        raise UserError(f"the long-pause threshold must be between 0.2 and 60 seconds, not {pause}")
    options = AnalysisOptions(pause_s=pause)
    audio = load_audio(args.audio)
    transcriber = WhisperTranscriber(
        args.model or settings.model, allow_download=args.allow_download or settings.allow_download
    )
    words = transcriber.transcribe(audio.samples)
    report = build_report(words, audio.duration_s, question, options)
    if args.save:
        from mock_interview.core.storage import Store

        with Store.open() as store:
            take = store.save_take_from_file(Path(args.audio), report, question)
        print(f"saved as take {take.number} of {take.question_id or 'no question'} (id {take.id})", file=sys.stderr)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from mock_interview.core.questions import check_bank, load_banks

    if args.action == "validate":
        bad = 0
        for name in args.files:
            bank, problems = check_bank(Path(name))
            if problems:
                bad += 1
                for problem in problems:
                    print(problem, file=sys.stderr)
            else:
                print(f"{name}: ok, {len(bank.questions)} questions")
        return 2 if bad else 0

    banks = load_banks(args.bank)
    if args.json:
        out = [
            {
                "id": q.id,
                "text": q.text,
                "kind": q.kind,
                "guideline_s": q.guideline_s,
                "bank": q.bank,
                "rubric": [{"id": r.id, "point": r.point} for r in q.rubric],
            }
            for b in banks
            for q in b.questions
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for b in banks:
        print(f"{b.title} ({b.id}, {b.path})")
        for q in b.questions:
            print(f"  {q.id:<22} {q.kind:<10} {q.guideline_s:>4}s  {q.text}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from mock_interview.tui.main import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"analyze": cmd_analyze, "questions": cmd_questions, None: cmd_app}
    try:
        return handlers[args.command](args)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
