"""Several processes saving and loading one index store at once (tests/index/test_store_race.py,
benchmarks/bench_store_race.py).

Two corpora with the same passages (one word swapped for another of the same length, so ids,
spans and counts agree and only the corpus hash tells them apart) are saved in turn into ONE
store folder while every process loads both; a load must either be refused (StaleIndex: the
published version belongs to the other corpus) or return exactly that corpus's arrays and
vocabulary. Run as ``python -m tests.support.store_race STORE CORPUS_A CORPUS_B SECONDS``; prints
one JSON line of counts.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from index import store
from index.corpus import loader
from index.engine import Index

ARRAYS = ("term_offsets", "doc_ids", "weights", "tf", "doc_len", "idf")


def same(a, b) -> bool:
    return a.vocab == b.vocab and all(np.array_equal(getattr(a, n), getattr(b, n)) for n in ARRAYS)


def run(store_dir: Path, corpora: list[Path], seconds: float) -> dict[str, int]:
    built = [Index(loader.load_corpus(c)) for c in corpora]
    counts = {"saves": 0, "loads": 0, "refused": 0, "foreign_or_mixed": 0, "errors": 0}
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        ix = built[turn % len(built)]
        manifest = store.Manifest(ix.corpus.content_hash, store.passages_hash(ix.passages),
                                  ix.counts, 0.0, time.time())
        try:
            store.save_scorer(store_dir, ix.scorer, manifest)
            counts["saves"] += 1
        except OSError:
            counts["errors"] += 1
        for other in built:
            try:
                scorer = store.load_scorer(store_dir, other.corpus.content_hash, other.passages)
            except store.StaleIndex:
                counts["refused"] += 1
                continue
            counts["loads"] += 1
            if not same(scorer, other.scorer):
                counts["foreign_or_mixed"] += 1
        turn += 1
    return counts


def twin_corpus(src: Path, dst: Path, old: str = "samurai", new: str = "zamurai") -> Path:
    """A copy of ``src`` with ``old`` swapped for ``new`` (same length) in every source."""
    import shutil

    shutil.copytree(src, dst)
    assert len(old) == len(new)
    for path in (dst / "sources").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for name in ("timeline.yaml", "entities.yaml"):
        path = dst / name
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return dst


if __name__ == "__main__":
    store_dir, a, b, seconds = sys.argv[1:5]
    print(json.dumps(run(Path(store_dir), [Path(a), Path(b)], float(seconds))))
