"""An index version of a corpus snapshot: open the published one, or build one (reusing what
the previous version holds for unchanged sources) and publish it.

Integrity: a version is trusted only whole. ``index.store`` reads every file the manifest lists
and checks its SHA-256 at each open (about 0.5 s per GB; the bot keeps the bytes it checked, so
nothing on disk can change under it afterwards), and the corpus files are hashed as they are read
(``index.corpus.loader``): a version is served only for the exact corpus it was built from.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np

from index import store
from index.bm25.scorers import FastBM25
from index.corpus.model import Corpus
from index.snapshot import files
from index.snapshot.assemble import Previous, assemble
from index.snapshot.table import Rows
from index.text.tokenize import Tokenizer

log = logging.getLogger(__name__)


class Opened(NamedTuple):
    folder: Path
    manifest: dict
    blobs: dict[str, bytes]


class Parts(NamedTuple):
    rows: Rows
    scorer: FastBM25
    words: list[str]
    counts: np.ndarray


def _served(rel: str) -> bool:
    return rel.startswith(store.SCORER_DIR + "/") or rel in files.SERVED


def home(cache_dir: Path, root: Path | str) -> Path:
    return store.corpus_store(cache_dir, os.path.abspath(root))


def open_published(cache_dir: Path, root: Path | str, corpus_hash: str | None = None) -> Opened | None:
    """The published version's verified served files (None: none, unsound, or built from
    another corpus than ``corpus_hash``: then no file is read)."""
    try:
        return Opened(*store.load_files(home(cache_dir, root), corpus_hash, _served))
    except store.StaleIndex as why:
        log.info("no usable index version: %s", why)
        return None


class Prepared(NamedTuple):
    opened: Opened
    scorer: FastBM25


def prepare(cache_dir: Path, root: Path | str, corpus_hash: str) -> Prepared | None:
    """The published version built from ``corpus_hash``: its files verified and its postings
    checked (None: no such version, or unsound). The corpus is not needed for this, so it can run
    while the corpus is read (``preparing``); ``load`` then takes it only for that very corpus."""
    opened = open_published(cache_dir, root, corpus_hash)
    if opened is None:
        return None
    try:
        return Prepared(opened, store.scorer_from(opened.folder, opened.blobs))
    except store.StaleIndex as why:
        log.info("no usable index version: %s", why)
        return None


def preparing(cache_dir: Path | None, root: Path | str, corpus_hash: str | None) -> Future | None:
    """``prepare`` started on a thread of its own: hashing the version's files and checking its
    postings release the GIL, so at a million passages this overlaps the corpus's reading and
    hashing (about 0.9 s each) on the second core. None when nothing is published."""
    if cache_dir is None or corpus_hash is None:
        return None
    pool = ThreadPoolExecutor(1, thread_name_prefix="index-open")
    try:
        return pool.submit(prepare, Path(cache_dir), root, corpus_hash)
    finally:
        pool.shutdown(wait=False)


def _published_sources(cache_dir: Path, root: Path | str) -> tuple[dict, list[dict]] | None:
    """The published version's manifest and the entries of its ``sources.json``: the manifest
    and that one file are verified, nothing else read (None: no usable version)."""
    try:
        _, manifest, blobs = store.load_files(home(cache_dir, root), None, files.SOURCES.__eq__, check_all=False)
        return manifest, files.loads(blobs, files.SOURCES)
    except (store.StaleIndex, files.SnapshotError) as why:
        log.info("no usable index version: %s", why)
        return None


def published_inputs(cache_dir: Path | None, root: Path | str) -> tuple[str | None, dict | None, dict | None]:
    """The corpus hash the published version was built from, its sources' records and their
    files' stat signatures (``load_corpus(known=..., signed=...)``)."""
    found = _published_sources(cache_dir, root) if cache_dir is not None else None
    if found is None:
        return None, None, None
    return found[0].get("corpus_hash"), files.known_records(found[1]), files.signed_files(found[1])


def load(opened: Opened, corpus: Corpus, scorer: FastBM25 | None = None) -> Parts:
    """The served parts of a version built from exactly ``corpus``; StaleIndex otherwise.
    ``scorer``: the one ``prepare`` loaded from these ``opened`` files."""
    if opened.manifest.get("corpus_hash") != corpus.content_hash:
        raise store.StaleIndex(f"{opened.folder}: built from another corpus")
    try:
        rows = files.rows(opened.blobs, corpus)
        words, counts = files.speller(opened.blobs)
    except files.SnapshotError as exc:
        raise store.StaleIndex(f"{opened.folder}: {exc}") from None
    if scorer is None:
        scorer = store.scorer_from(opened.folder, opened.blobs)
    if scorer.n_docs != len(rows.start):
        raise store.StaleIndex(f"{opened.folder}: {scorer.n_docs} documents for {len(rows.start)} passages")
    scorer.warmup()
    return Parts(rows, scorer, words, counts)


def reuse_key(corpus: Corpus) -> str:
    """What a source's cached terms depend on besides its own bytes: the entities (their aliases
    are names the tokenizer folds; ``about`` names them)."""
    names = [[e.id, e.name, e.kind, list(e.aliases)] for e in corpus.entities]
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8")).hexdigest()


def previous(cache_dir: Path, corpus: Corpus) -> Previous | None:
    """The published version's build cache, when its sources were read the same way."""
    try:
        # only the files reused are read (each checked against its SHA-256): not the postings
        folder, manifest, blobs = store.load_files(home(cache_dir, corpus.root), None, files.CACHE.__contains__,
                                                   check_all=False, mapped=True)
        if manifest.get("reuse_key") != reuse_key(corpus):
            return None
        return files.previous(blobs)
    except (store.StaleIndex, files.SnapshotError) as why:
        log.info("nothing to reuse: %s", why)
        return None


def build(corpus: Corpus, tokenizer: Tokenizer, k1: float, b: float, prev: Previous | None,
          workers: int = 1) -> tuple[Parts, object]:
    built = assemble(corpus, tokenizer, prev, workers)
    scorer = FastBM25.from_token_ids(built.tokens, built.offsets, built.vocab, k1=k1, b=b)
    scorer.warmup()
    log.info("index built: %d passages, %d of %d sources reused", len(built.rows.start), built.reused,
             len(corpus.sources))
    return Parts(built.rows, scorer, built.words, built.counts), built


def save(cache_dir: Path, corpus: Corpus, parts: Parts, built, counts: dict, seconds: float) -> None:
    manifest = store.Manifest(corpus.content_hash, counts, round(seconds, 3), time.time())

    def write(folder: Path) -> None:
        parts.scorer.save(folder / store.SCORER_DIR)
        files.write(folder, corpus, built)

    try:
        store.save_version(home(cache_dir, corpus.root), write, manifest, {"reuse_key": reuse_key(corpus)})
    except OSError as exc:  # a read-only disk costs speed at the next start, nothing else
        log.warning("could not save the index to %s: %s", cache_dir, exc)
