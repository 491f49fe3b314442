"""What opening a published index version costs the bot, against a memory map of its BM25 arrays.

    python -m benchmarks.bench_store [--sizes 100k,1M]

For each size: a synthetic corpus in the project's format (the real sources plus filler sources
of 200 paragraphs, tests/support/synth_corpus.py) is built and saved as an index version the way
a reload's build child does it (``index.snapshot.version.build`` + ``save``: files hashed,
fsynced, published). Then, each in a fresh process (so RSS is the open's alone; the corpus is
read first and not counted):
  * verified: ``version.open_published`` + ``version.load``, what the bot does at start and on
    reload: read every file of the version once, SHA-256 it, check it against the manifest, keep
    the served ones (the BM25 arrays, the passage rows, the spelling words) and build the scorer
    over those private bytes;
  * mmap: ``FastBM25.load(mmap=True)`` of the version's BM25 arrays alone (the way before:
    validated, but the pages stay shared with the file, so an in-place change reaches the bot);
each with a warm page cache and with the files evicted first. Prints seconds and RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import fmt_size, parse_size

_CHILD = r"""
import json, sys, time
from pathlib import Path
from benchmarks.bench_scale import rss, evict_page_cache
from index import store
from index.bm25.scorers import FastBM25
from index.corpus.loader import load_corpus
from index.snapshot import version

root, cache, mode, evict = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
_, known, _ = version.published_inputs(cache, root)
corpus = load_corpus(root, None, known=known, lazy=True)
home = version.home(cache, root)
folder = home / "versions" / (home / store.CURRENT).read_text().strip()
if evict:
    for sub in ("bm25", "snapshot"):
        evict_page_cache(str(folder / sub))
base = rss()
t = time.perf_counter()
if mode == "verified":
    scorer = version.load(version.open_published(cache, root, corpus.content_hash), corpus).scorer
else:
    scorer = FastBM25.load(folder / store.SCORER_DIR, mmap=True)
seconds = time.perf_counter() - t
after_load = rss()
scorer.top_k([scorer.vocab[0]], 10)
print(json.dumps({"seconds": seconds, "rss_mib": (after_load - base) / 2**20,
                  "rss_after_query_mib": (rss() - base) / 2**20}))
"""


def measure(root: Path, cache: Path, mode: str, evict: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(root), str(cache), mode, "1" if evict else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def publish(root: Path, cache: Path) -> tuple[int, float, float]:
    """Build and save the corpus at ``root`` as the bot's build child does: (passages, build s, save s)."""
    from index.bm25.formula import DEFAULT_B, DEFAULT_K1
    from index.corpus.loader import load_corpus
    from index.snapshot import version
    from index.text.tokenize import Tokenizer

    corpus = load_corpus(root, None, lazy=True)
    t = time.perf_counter()
    parts, built = version.build(corpus, Tokenizer(corpus.entities), DEFAULT_K1, DEFAULT_B, None,
                                 workers=os.cpu_count() or 1)
    build_s = time.perf_counter() - t
    n = len(parts.rows.start)
    t = time.perf_counter()
    version.save(cache, corpus, parts, built, {"passages": n}, build_s)
    return n, build_s, time.perf_counter() - t


def run(n: int) -> None:
    from tests.support.synth_corpus import write_corpus

    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        root, cache = write_corpus(Path(tmp) / "corpus", n, per_file=200), Path(tmp) / "index"
        passages, build_s, save_s = publish(root, cache)
        if not (version_home := next(cache.glob("*/CURRENT"), None)):
            raise SystemExit(f"the version was not saved under {cache} (see the warning above)")
        size = sum(p.stat().st_size for p in (version_home.parent / "versions").rglob("*") if p.is_file())
        print(f"{fmt_size(n)} filler paragraphs ({passages:,} passages): built in {build_s:.1f} s; version of "
              f"{size / 2**20:.0f} MiB saved (hashed, fsynced, published) in {save_s:.2f} s")
        for evict in (False, True):
            for mode in ("verified", "mmap"):
                r = measure(root, cache, mode, evict)
                print(f"  {mode:8s} {'cold' if evict else 'warm'}: open {r['seconds']:.2f} s, "
                      f"RSS +{r['rss_mib']:.0f} MiB after it, +{r['rss_after_query_mib']:.0f} MiB "
                      f"after a query", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1M")
    args = parser.parse_args(argv)
    os.environ["BOT_SEMANTIC"] = "off"
    for n in (parse_size(s) for s in args.sizes.split(",")):
        run(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
