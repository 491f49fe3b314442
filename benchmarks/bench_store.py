"""What a verified private load of an index version costs, against the memory map it replaced.

    python -m benchmarks.bench_store [--sizes 100k,1M]

For each size: a synthetic Zipf corpus (benchmarks/synth.py) is built into a FastBM25 and saved
as an index version (index/store.py: files hashed, fsynced, published). Then, each in a fresh
process (so RSS is the load's alone):
  * verified: ``store.load`` = read every file once, SHA-256 it, check it against the manifest,
    build the arrays over those private bytes, validate every posting (what the bot does);
  * mmap: ``FastBM25.load(mmap=True)`` of the same files (the previous way: validated, but the
    pages stay shared with the file, so an in-place change of the file reaches the bot);
each with a warm page cache and with the files evicted first. Prints seconds and RSS.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import fmt_size, parse_size
from benchmarks.synth import make_corpus
from index import store
from index.bm25.scorers import FastBM25

_CHILD = r"""
import json, sys, time
from pathlib import Path
from benchmarks.bench_scale import rss, evict_page_cache
from index import store
from index.bm25.scorers import FastBM25
from benchmarks.bench_store import Stub

home, mode, n, evict = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
passages = [Stub(i) for i in range(n)]
vid = (home / "CURRENT").read_text().strip()
if evict:
    evict_page_cache(str(home / "versions" / vid / "bm25"))
base = rss()
t = time.perf_counter()
if mode == "verified":
    scorer = store.load_scorer(home, "synthetic", passages)
else:
    scorer = FastBM25.load(home / "versions" / vid / "bm25", mmap=True)
seconds = time.perf_counter() - t
after_load = rss()
scorer.top_k([scorer.vocab[0]], 10)
print(json.dumps({"seconds": seconds, "rss_mib": (after_load - base) / 2**20,
                  "rss_after_query_mib": (rss() - base) / 2**20}))
"""


class Stub:
    """What ``store.passages_hash`` reads of a passage."""
    __slots__ = ("id", "start", "end")

    def __init__(self, i: int):
        self.id, self.start, self.end = f"synthetic#{i}", 0, 0


def measure(home: Path, mode: str, n: int, evict: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(home), mode, str(n), "1" if evict else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def run(n: int) -> None:
    corpus = make_corpus(n, seed=20240601)
    scorer = FastBM25.from_token_ids(corpus.flat, corpus.offsets, corpus.vocab)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        manifest = store.Manifest("synthetic", store.passages_hash([Stub(i) for i in range(n)]),
                                  {"passages": n}, 0.0, time.time())
        t = time.perf_counter()
        store.save_scorer(home, scorer, manifest)
        save_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
        del scorer, corpus
        print(f"{fmt_size(n)} passages: version of {size / 2**20:.0f} MiB saved (hashed, fsynced, "
              f"published) in {save_s:.2f} s")
        for evict in (False, True):
            for mode in ("verified", "mmap"):
                r = measure(home, mode, n, evict)
                print(f"  {mode:8s} {'cold' if evict else 'warm'}: load {r['seconds']:.2f} s, "
                      f"RSS +{r['rss_mib']:.0f} MiB after load, +{r['rss_after_query_mib']:.0f} MiB "
                      f"after a query")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1M")
    args = parser.parse_args(argv)
    for n in (parse_size(s) for s in args.sizes.split(",")):
        run(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
