"""The command line. Heavy imports (the model, audio, the UI) wait until a command needs them."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Sequence

from mock_interview import __version__
from mock_interview.core.errors import UserError

PROG = "mock-interview"


SHARED_OPTIONS = ("model", "allow_download", "bank", "question")
"""Options given before or after the subcommand mean the same. After it they are parsed
under ``sub_NAME`` with no default (so an absent one cannot reset the one given before),
then merged: a value after the subcommand wins, banks from both places add up."""


def _model_args(p: argparse.ArgumentParser, sub: bool = False) -> None:
    extra = {"dest": "sub_model", "default": argparse.SUPPRESS} if sub else {}
    p.add_argument(
        "--model",
        metavar="PATH|NAME",
        help="speech model: a CTranslate2 model folder, or a model name: tiny.en (bundled), "
        "base (the base-model extra); default: settings, else base where the machine is fast enough",
        **extra,
    )
    extra = {"dest": "sub_allow_download", "default": argparse.SUPPRESS} if sub else {}
    p.add_argument(
        "--allow-download",
        action="store_true",
        help="allow fetching a named model that is not installed (the only network use)",
        **extra,
    )


def _bank_arg(p: argparse.ArgumentParser, sub: bool = True) -> None:
    extra = {"dest": "sub_bank", "default": argparse.SUPPRESS} if sub else {"default": []}
    p.add_argument("--bank", metavar="FILE", action="append", help="also load this question bank", **extra)


def merge_shared(args: argparse.Namespace) -> argparse.Namespace:
    """Fold the options given after the subcommand into those given before it."""
    for name in SHARED_OPTIONS:
        if not hasattr(args, "sub_" + name):
            continue
        after = getattr(args, "sub_" + name)
        delattr(args, "sub_" + name)
        before = getattr(args, name, None)
        if name == "bank":
            after = [*(before or []), *after]
        elif name == "allow_download":
            after = bool(before) or bool(after)
        setattr(args, name, after)
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A voice-based mock interviewer: hear the question, answer aloud, see what to fix.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--voice", metavar="NAME", help="interviewer voice profile from voices/ (default: settings)")
    _bank_arg(parser, sub=False)
    parser.add_argument("--question", metavar="ID", help="open the app straight into this question (id or bank:id)")
    _model_args(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = sub.add_parser("analyze", help="transcribe and analyse a recorded answer (no UI)")
    analyze.add_argument("audio", metavar="AUDIO", help="a wav, flac, mp3 or ogg file")
    analyze.add_argument(
        "--question", metavar="ID", dest="sub_question", default=argparse.SUPPRESS,
        help="judge against this question's rubric (id or bank:id)",
    )
    _bank_arg(analyze)
    analyze.add_argument("--json", action="store_true", help="print the report as one JSON object")
    analyze.add_argument("--pause", metavar="SECONDS", type=float, default=None, help="long-pause threshold (default 2.0)")
    analyze.add_argument("--save", action="store_true", help="save the take with its audio and report")
    _model_args(analyze, sub=True)

    questions = sub.add_parser("questions", help="list the question banks and their questions")
    questions.add_argument("--json", action="store_true", help="print the questions as JSON")
    _bank_arg(questions)
    qsub = questions.add_subparsers(dest="action", metavar="ACTION")
    validate = qsub.add_parser("validate", help="check question bank files and name every problem")
    validate.add_argument("files", metavar="FILE", nargs="+")
    history = sub.add_parser("history", help="list saved takes, newest first")
    history.add_argument("--question", metavar="ID", dest="sub_question", default=argparse.SUPPRESS,
                         help="only takes of this question")
    history.add_argument("--search", metavar="WORDS", help="only takes whose transcript has these words")
    history.add_argument("--json", action="store_true", help="print the takes as JSON")

    export = sub.add_parser("export", help="print a saved take as Markdown or JSON")
    export.add_argument("take", metavar="TAKE_ID", nargs="?", type=int)
    export.add_argument("--question", metavar="ID", dest="sub_question", default=argparse.SUPPRESS,
                        help="export every take of this question")
    export.add_argument("--format", choices=("md", "json"), default="md")

    purge = sub.add_parser("purge", help="delete every saved take and its audio")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    doctor = sub.add_parser("doctor", help="check the microphone, voice, model, folders and takes database")
    doctor.add_argument("--repair", action="store_true",
                        help="recover a damaged takes database into a new file (keeps the damaged one, deletes nothing)")
    doctor.add_argument("--files-only", action="store_true", help="check only the folders and the database")
    return parser


def open_store():
    """The store, opened the one way (checked; a failure is one line, exit 2); its notices on stderr."""
    from mock_interview.core.store.storage import open_store as open_checked

    store = open_checked()
    for notice in store.notices:
        print(f"{PROG}: note: {notice}", file=sys.stderr)
    return store


def cmd_history(args: argparse.Namespace) -> int:
    from mock_interview.core.textreport import clock

    with open_store() as store:
        takes = store.search(args.search) if args.search else store.takes(question_id=args.question)
        if args.search and args.question:
            takes = [t for t in takes if t.question_id == args.question]
    if args.json:
        json.dump([t.to_dict() for t in takes], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not takes:
        print("no saved takes yet" + (f" for {args.question}" if args.question else ""))
        return 0
    print(f"{'id':>4}  {'when':19}  {'question':24} {'take':>4}  {'time / guide':>13}  {'wpm':>4}  {'fill/min':>8}  rubric")
    for t in takes:
        print(
            f"{t.id:>4}  {t.created_at[:19].replace('T', ' '):19}  {(t.question_id or '-'):24} {t.number:>4}  "
            f"{clock(t.speaking_s):>6} / {clock(t.guideline_s):<6}  {t.wpm:>4.0f}  {t.fillers_per_min:>8.1f}  "
            f"{t.rubric_covered}/{t.rubric_total}"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from mock_interview.core.store.export import take_markdown

    if args.take is None and not args.question:
        raise UserError("export needs a TAKE_ID (see `mock-interview history`) or --question ID")
    with open_store() as store:
        takes = [store.get(args.take)] if args.take is not None else list(reversed(store.takes(question_id=args.question)))
        if not takes:
            raise UserError(f"no saved takes of question '{args.question}'")
        reports = [store.report_json(t.id) for t in takes]
    if args.format == "json":
        out = [{"take": t.to_dict(), "report": r} for t, r in zip(takes, reports)]
        json.dump(out[0] if args.take is not None else out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(take_markdown(t, r) for t, r in zip(takes, reports)))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from mock_interview.core.store import locations

    with open_store() as store:
        count = len(store.takes())
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("purge deletes every take: confirm with --yes when not at a terminal")
            answer = input(f"Delete all {count} takes and their audio in {locations.data_dir()}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                print("nothing deleted")
                return 0
        deleted = store.purge()
    print(f"deleted {deleted} takes and their audio")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from mock_interview.core.store import doctor

    if args.repair:
        from mock_interview.core.store import locations
        from mock_interview.core.store.storage import Store

        db = locations.database_path()
        if not db.exists():
            print(f"no takes database at {db}: nothing to repair")
            return 0
        try:
            Store(db, locations.audio_dir()).close()
            print(f"the takes database {db} is sound: nothing to repair")
            return 0
        except UserError as exc:
            if getattr(exc, "kind", "") != "damaged":
                raise
        for line in doctor.repair_lines(doctor.repair()):
            print(line)
        return 0
    checks = doctor.run_checks(files_only=args.files_only, voice=args.voice)
    for check in checks:
        print(check.line())
    return 2 if any(c.status == "FAIL" for c in checks) else 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from mock_interview.core.delivery.analysis import AnalysisOptions
    from mock_interview.core.speech.audio import open_audio
    from mock_interview.core.report import analyze_file
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.store.banks import load_banks
    from mock_interview.core.store.settings import load_settings
    from mock_interview.core.textreport import format_report
    from mock_interview.core.speech.transcribe import WhisperTranscriber

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
    open_audio(args.audio)  # bad input is told before the model loads
    transcriber = WhisperTranscriber(
        args.model or settings.model, allow_download=args.allow_download or settings.allow_download
    )
    transcriber.load()  # a missing or wrong model is told even for a silent file
    report = analyze_file(args.audio, transcriber, question, options)
    # The report first: whatever happens to the save, what was computed is not lost.
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    sys.stdout.flush()
    if args.save:
        try:
            with open_store() as store:
                take = store.save_take_from_file(Path(args.audio), report, question)
        except UserError as exc:
            raise UserError(f"the take was not saved: {exc}") from None
        print(f"saved as take {take.number} of {take.question_id or 'no question'} (id {take.id})", file=sys.stderr)
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from mock_interview.core.judge.questions import check_bank
    from mock_interview.core.store.banks import load_banks

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
    # Answers are people's stories about their employers: files are the user's alone.
    os.umask(0o077)
    parser = build_parser()
    args = merge_shared(parser.parse_args(argv))
    handlers = {
        "analyze": cmd_analyze,
        "questions": cmd_questions,
        "history": cmd_history,
        "export": cmd_export,
        "purge": cmd_purge,
        "doctor": cmd_doctor,
        None: cmd_app,
    }
    try:
        return handlers[args.command](args)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # the store failed where no step named it: still one line
        from mock_interview.core.store import faults, locations

        print(f"{PROG}: error: {faults.from_sqlite(exc, locations.database_path())}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
