"""The persisted index: the BM25 arrays of a corpus, reused while the corpus is unchanged.

Layout of an index directory (no pickle anywhere)::

    manifest.json   format, version, corpus content hash, tokenizer version, counts, build time
    bm25/           FastBM25.save(): .npy arrays + JSON (memory-mapped on load)

Passages are cheap to recut from the corpus, so they are not stored; the manifest keeps a hash
of their ids and spans, and a mismatch means the index is stale. Anything that does not match
exactly (another corpus, another tokenizer, a truncated or foreign directory) is rebuilt, never
trusted; the rebuilt index replaces the old one atomically (write aside, then rename).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from index.bm25.files import IndexFormatError
from index.bm25.scorers import FastBM25
from index.passages import Passage

log = logging.getLogger(__name__)

FORMAT = "nanking-index"
VERSION = 1
# Bump when the tokenizer, passage cutting or scoring changes what an index holds.
TOKENIZER_VERSION = 3   # 3: "febr" is February (one month map with the date parser)
MANIFEST = "manifest.json"
SCORER_DIR = "bm25"


class StaleIndex(Exception):
    """The stored index does not belong to this corpus or this code; rebuild it."""


@dataclass(frozen=True)
class Manifest:
    corpus_hash: str
    passages_hash: str
    counts: dict[str, int]
    build_seconds: float
    built_at: float

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "tokenizer_version": TOKENIZER_VERSION,
                "corpus_hash": self.corpus_hash, "passages_hash": self.passages_hash,
                "counts": self.counts, "build_seconds": self.build_seconds, "built_at": self.built_at}


def passages_hash(passages: tuple[Passage, ...] | list[Passage]) -> str:
    digest = hashlib.sha256()
    for p in passages:
        digest.update(f"{p.id}\t{p.start}\t{p.end}\n".encode())
    return digest.hexdigest()


def save_scorer(directory: Path, scorer: FastBM25, manifest: Manifest) -> None:
    """Write the index beside ``directory`` and swap it in with a rename."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        scorer.save(tmp / SCORER_DIR)
        (tmp / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=1), encoding="utf-8")
        old = None
        if directory.exists():
            old = directory.with_name(f".{directory.name}-old-{os.getpid()}-{time.monotonic_ns()}")
            directory.rename(old)
        tmp.rename(directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_scorer(directory: Path, corpus_hash: str, passages: tuple[Passage, ...] | list[Passage]) -> FastBM25:
    """The stored scorer for exactly this corpus and these passages; raises StaleIndex otherwise."""
    directory = Path(directory)
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StaleIndex(f"{directory}: no index yet") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StaleIndex(f"{directory}: unreadable manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StaleIndex(f"{directory}: not an index of this bot")
    if data.get("version") != VERSION or data.get("tokenizer_version") != TOKENIZER_VERSION:
        raise StaleIndex(f"{directory}: built by another version")
    if data.get("corpus_hash") != corpus_hash:
        raise StaleIndex(f"{directory}: built from another corpus")
    if data.get("passages_hash") != passages_hash(passages):
        raise StaleIndex(f"{directory}: passages differ")
    try:
        scorer = FastBM25.load(directory / SCORER_DIR, mmap=True)
    except (IndexFormatError, OSError, ValueError) as exc:
        raise StaleIndex(f"{directory}: damaged ({exc})") from None
    if scorer.n_docs != len(passages):
        raise StaleIndex(f"{directory}: {scorer.n_docs} documents for {len(passages)} passages")
    return scorer


# The old names, until index/engine.py (the lead's) calls save_scorer / load_scorer; then delete.
save = save_scorer
load = load_scorer
