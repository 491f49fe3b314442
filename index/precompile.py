"""Compile the numba kernels into numba's on-disk cache now: ``python -m index.precompile``.

Each kernel is compiled on its first call and cached on disk afterwards (numba's ``cache=True``,
next to its module or under ``NUMBA_CACHE_DIR``). All of them take about 11 s on a 2-core
machine, which the first start of a new installation would otherwise spend before its first
prompt, with nothing on the screen. ``make install`` runs this (the Docker image builds its
corpus and asks a question instead). It drives the index as the bot does, on a small corpus
it writes in a temporary folder (never the bot's own: a broken corpus must not fail an
install): a fresh build (in worker processes, as ``python -m bot build``), a start that loads the
saved version (its arrays read-only: numba compiles those apart), and a rebuild after one
source changed (the other sources reused); each warms both query kernels. Nothing outside the
temporary folder is written but numba's cache.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from index.bm25.kernels import HAVE_NUMBA
from index.engine import Index

WORDS = ("safety zone refugees committee city army soldiers river wall gate survivors trial "
         "documentary film blog comment director history war winter camp hospital").split()


def write_corpus(root: Path, sources: int = 3, paragraphs: int = 40) -> None:
    """A corpus in the project's format, of plain sentences drawn from WORDS."""
    (root / "sources").mkdir(parents=True)
    (root / "entities.yaml").write_text("[]\n", encoding="utf-8")
    (root / "timeline.yaml").write_text("[]\n", encoding="utf-8")
    for n in range(sources):
        body = "\n\n".join(" ".join(WORDS[(n + k * j) % len(WORDS)] for j in range(12)).capitalize() + "."
                           for k in range(1, paragraphs + 1))
        (root / "sources" / f"source-{n}.md").write_text(
            f"---\nid: source-{n}\ntitle: Source {n}\nkind: article\npublisher: nobody\nseed: none\n---\n{body}\n",
            encoding="utf-8")


def precompile() -> None:
    with tempfile.TemporaryDirectory(prefix="bot-precompile-") as tmp:
        root, cache = Path(tmp) / "corpus", Path(tmp) / "index"
        write_corpus(root)
        Index.from_dir(root, cache_dir=cache, semantic=False, workers=2, lazy=True)   # a fresh build
        Index.from_dir(root, cache_dir=cache, semantic=False, lazy=True, signed=True)  # a start
        source = min((root / "sources").glob("*.md"))
        source.write_text(source.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
        Index.from_dir(root, cache_dir=cache, semantic=False, workers=2, lazy=True)   # a rebuild


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m index.precompile", description=__doc__.split("\n\n")[0]).parse_args(argv)
    if not HAVE_NUMBA:
        print("numba is not installed (or NUMBA_DISABLE_JIT is set): nothing to compile")
        return 0
    started = time.perf_counter()
    precompile()
    print(f"numba's kernels compiled and cached in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
