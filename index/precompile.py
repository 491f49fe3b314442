"""Compile the numba kernels into numba's on-disk cache now: ``python -m index.precompile [CORPUS]``.

Each kernel is compiled on its first call and cached on disk afterwards (numba's ``cache=True``,
next to its module or under ``NUMBA_CACHE_DIR``). All of them take about 11 s on a 2-core
machine, which the first start of a new installation would otherwise spend before its first
prompt, with nothing on the screen. ``make install`` runs this (the Docker image builds its
corpus and asks a question instead). It drives the index as the bot does, on a copy of a corpus
in a temporary folder: a fresh build (in worker processes, as ``python -m bot build``), a start
that loads the saved version (its arrays read-only: numba compiles those apart), and a rebuild
after one source changed (the other sources reused); each warms both query kernels. Nothing
outside the temporary folder is written but numba's cache.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from index.bm25.kernels import HAVE_NUMBA
from index.engine import Index

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def precompile(corpus: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="bot-precompile-") as tmp:
        root, cache = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(corpus, root)
        Index.from_dir(root, cache_dir=cache, semantic=False, workers=2, lazy=True)   # a fresh build
        Index.from_dir(root, cache_dir=cache, semantic=False, lazy=True, signed=True)  # a start
        source = min((root / "sources").glob("*.md"))
        source.write_text(source.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
        Index.from_dir(root, cache_dir=cache, semantic=False, workers=2, lazy=True)   # a rebuild


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.precompile", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="a corpus folder to drive the index with (default: the project's corpus)")
    args = parser.parse_args(argv)
    if not HAVE_NUMBA:
        print("numba is not installed (or NUMBA_DISABLE_JIT is set): nothing to compile")
        return 0
    if not (args.corpus / "sources").is_dir():
        print(f"no corpus at {args.corpus} (a folder with sources/): nothing compiled", file=sys.stderr)
        return 2
    started = time.perf_counter()
    os.environ.setdefault("BOT_SEMANTIC", "off")
    precompile(args.corpus)
    print(f"numba's kernels compiled and cached in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
