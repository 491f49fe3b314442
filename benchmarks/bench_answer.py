"""Answer latency and the semantic stage's cost (prints figures; nothing here asserts a time).

1. The shipped corpus: ``build_answer`` per question (the labelled questions beside the project),
   semantic stage on vs BM25 alone, p50/p95/max in ms; the question's embedding included.
2. Embedding throughput: passages and sentences per second on this machine.
3. 100k synthetic passages: the semantic stage's scoring on top of BM25 (vectors random unit
   vectors, three sentences a passage: the model is too slow to embed 400k texts for a benchmark),
   p50/p95 ms, and the vectors' size as stored (float16) and in memory (float32).

    python -m benchmarks.bench_answer [--passages 100000]
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from bot.answering.answers import build_answer
from bot.answering.evaluate import load_items
from index.corpus.loader import load_corpus
from index.engine import Index
from index.semantic.embedder import load_embedder
from index.semantic.vectors import SemanticIndex

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def percentiles(ms: list[float]) -> str:
    a = np.array(ms)
    return f"p50 {np.percentile(a, 50):.1f} ms, p95 {np.percentile(a, 95):.1f} ms, max {a.max():.1f} ms"


def shipped_corpus(questions: list[str]) -> None:
    corpus = load_corpus(ROOT / "corpus")
    for semantic in (True, False):
        index = Index(corpus, semantic=semantic)
        build_answer(index, "warm up")
        times = []
        for q in questions:
            t = time.perf_counter()
            build_answer(index, q)
            times.append((time.perf_counter() - t) * 1000)
        label = "semantic stage on " if semantic else "BM25 alone        "
        print(f"shipped corpus, {label}: {len(questions)} questions, answer built {percentiles(times)}")


def throughput() -> None:
    embedder = load_embedder().embedder
    corpus = load_corpus(ROOT / "corpus")
    texts = [s.text[i:i + 600] for s in corpus.sources for i in range(0, len(s.text), 600)][:64]
    t = time.perf_counter()
    embedder.passages(texts)
    seconds = time.perf_counter() - t
    print(f"embedding throughput: {len(texts) / seconds:.1f} texts/s ({len(texts)} texts of ~100 words, "
          f"OMP threads {os.environ.get('OMP_NUM_THREADS', 'default')})")
    t = time.perf_counter()
    for _ in range(20):
        embedder.queries(["who was john rabe and what did he do in nanking"])
    print(f"question embedding: {(time.perf_counter() - t) / 20 * 1000:.1f} ms mean")


def synthetic(n: int, rng: np.random.Generator) -> None:
    dim, per = 384, 3
    vectors = rng.standard_normal((n * (per + 1), dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = SemanticIndex.__new__(SemanticIndex)
    owners = np.repeat(np.arange(n), per)
    index._init_arrays(vectors, [None] * n, [(0, 1)] * (n * per), owners.tolist())
    times = []
    for _ in range(200):
        q = rng.standard_normal(dim).astype(np.float32)
        q /= np.linalg.norm(q)
        pool = rng.integers(0, n, 20).tolist()   # BM25's candidates
        t = time.perf_counter()
        index.scores(q, pool=pool, top=20)
        times.append((time.perf_counter() - t) * 1000)
    stored = vectors.size * 2 / 2**20
    print(f"{n:,} synthetic passages ({n * per:,} sentences): semantic scoring added {percentiles(times)}; "
          f"vectors {stored:.0f} MiB stored (float16), {stored * 2:.0f} MiB in memory (float32)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=100_000, help="synthetic passages (default 100000)")
    args = parser.parse_args(argv)
    files = [EVAL / "dev.yaml", EVAL / "dev-large.yaml"]
    found = all(f.exists() for f in files)
    questions = [i["question"] for i in load_items(*files)] if found else ["Who was John Rabe?"]
    if load_embedder().embedder is None:
        print("the embedding model is not installed: nothing to measure")
        return 1
    shipped_corpus(questions)
    throughput()
    synthetic(args.passages, np.random.default_rng(7))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
