"""Two (or more) processes publishing and opening index versions of ONE corpus folder for a minute
(tests/support/store_race.py); prints, per process, saves, loads, loads refused (the published
version is the other state's), refusals no concurrent publish explains and loads that returned
another state's or mixed arrays (both must be none). tests/index/test_store_race.py runs
the same for 15 s.

    python -m benchmarks.bench_store_race [--seconds 60] [--processes 2]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    from tests.support.store_race import twin_corpus

    with tempfile.TemporaryDirectory() as tmp:
        other = twin_corpus(ROOT / "corpus", Path(tmp) / "other")
        index_dir = Path(tmp) / "index"
        cmd = [sys.executable, "-m", "tests.support.store_race", str(index_dir), str(ROOT / "corpus"),
               str(other), str(args.seconds)]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT, env=env) for _ in range(args.processes)]
        counts = [json.loads(p.communicate()[0]) for p in procs]
        [store_dir] = index_dir.iterdir()   # the corpus folder's one store
        left = sorted(p.name for p in (store_dir / "tmp").iterdir())
        versions = len(list((store_dir / "versions").iterdir()))
    total = {k: sum(c[k] for c in counts) for k in counts[0] if isinstance(counts[0][k], int)}
    unexpected = [c["unexpected_refusals"] for c in counts if c["unexpected_refusals"]]
    for n, c in enumerate(counts):
        print(f"process {n}: {c}")
    print(f"total over {args.seconds:.0f} s: {total}; temp folders left: {len(left)}, versions kept: {versions}")
    return 1 if total["foreign_or_mixed"] or total["errors"] or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
