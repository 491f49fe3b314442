"""The ``snapshot/`` files of an index version: plain ``.npy`` arrays and JSON, never pickle.

Served (read at every start): the passage rows (``rows_*.npy``), the sources' records, file
hashes and the stat signatures their files had when hashed (``sources.json``, see
``index.corpus.records`` and ``index.corpus.files``), the spelling vocabulary
(``speller_words.json``, ``speller_counts.npy``). Kept for the next build only (verified, never
held in memory by the bot): every passage's term ids (``tokens.npy``; their lengths are BM25's
``doc_len``) and each source's spelling words (``speller_src_*.npy``).
Every file is listed with its SHA-256 in the version's manifest (``index.store``); what is read
here was verified byte for byte before.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from index.corpus.model import Corpus
from index.corpus.records import DIGEST_BYTES, record_of
from index.snapshot.assemble import Built, Previous
from index.snapshot.table import Rows

DIR = "snapshot"
SOURCES = f"{DIR}/sources.json"
ROWS = tuple(f"{DIR}/rows_{name}.npy" for name in Rows._fields)
WORDS = f"{DIR}/speller_words.json"
COUNTS = f"{DIR}/speller_counts.npy"
TOKENS = f"{DIR}/tokens.npy"
SRC_WORDS = tuple(f"{DIR}/speller_src_{name}.npy" for name in ("offsets", "ids", "counts"))
SERVED = frozenset((SOURCES, *ROWS, WORDS, COUNTS))
HEADER_MAX = 1 << 17   # a .npy header is far shorter (numpy writes them in 64-byte blocks)


class SnapshotError(ValueError):
    """The snapshot files do not fit together or do not fit the corpus."""


def write(folder: Path, corpus: Corpus, built: Built) -> None:
    (folder / DIR).mkdir(parents=True, exist_ok=True)
    sources = [{"id": s.id, "rel": f"sources/{s.path.name}", "sha256": corpus.source_hashes.get(s.id, ""),
                "record": record_of(s), "stat": list(corpus.source_stats.get(s.id, ()))} for s in corpus.sources]
    _json(folder / SOURCES, sources)
    for name, array in zip(ROWS, built.rows, strict=True):
        np.save(folder / name, np.ascontiguousarray(array), allow_pickle=False)
    _json(folder / WORDS, built.words)
    np.save(folder / COUNTS, built.counts, allow_pickle=False)
    np.save(folder / TOKENS, built.tokens, allow_pickle=False)
    for name, array in zip(SRC_WORDS, (built.word_offsets, built.word_ids, built.word_counts), strict=True):
        np.save(folder / name, array, allow_pickle=False)


def _json(path: Path, value) -> None:
    path.write_bytes(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def array(blobs: dict[str, bytes], name: str, dtype, ndim: int = 1) -> np.ndarray:
    """A read-only view of a ``.npy`` file's bytes (no copy)."""
    try:
        blob = blobs[name]
        f = io.BytesIO(memoryview(blob)[:HEADER_MAX])   # the header alone: a map is not copied
        major, _ = np.lib.format.read_magic(f)
        read = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
        shape, fortran, found = read(f)
        if fortran or found.hasobject:
            raise ValueError("not a plain C-order array")
        a = np.frombuffer(blob, found, count=int(np.prod(shape)), offset=f.tell()).reshape(shape)
    except (KeyError, ValueError, OSError, EOFError) as exc:
        raise SnapshotError(f"{name}: missing or unreadable ({exc})") from None
    if a.dtype != np.dtype(dtype) or a.ndim != ndim:
        raise SnapshotError(f"{name}: {a.dtype}[{a.ndim}d], expected {np.dtype(dtype)}[{ndim}d]")
    return a


def loads(blobs: dict[str, bytes], name: str):
    try:
        return json.loads(bytes(blobs[name]).decode("utf-8"))   # bytes, or a read-only map
    except (KeyError, ValueError) as exc:
        raise SnapshotError(f"{name}: missing or unreadable ({exc})") from None


def known_records(sources: list[dict]) -> dict[tuple[str, str], dict]:
    """(rel, file sha256) -> record of the entries of ``sources.json`` (``loads(blobs, SOURCES)``),
    for ``load_corpus(known=...)``."""
    return {(s["rel"], s["sha256"]): s["record"] for s in sources}


def signed_files(sources: list[dict]) -> dict[str, tuple[tuple[int, ...], str]]:
    """rel -> (stat signature, file sha256) of the entries of ``sources.json`` whose file was
    hashed when it had that signature, for ``load_corpus(signed=...)`` (none from a version
    written before signatures were kept)."""
    out = {}
    for s in sources:
        sig = s.get("stat")
        if isinstance(sig, list) and sig and all(type(v) is int for v in sig):
            out[s["rel"]] = (tuple(sig), s["sha256"])
    return out


def _rows(blobs: dict[str, bytes]) -> Rows:
    return Rows(*(array(blobs, name, e.dtype, e.ndim) for name, e in zip(ROWS, Rows.empty(), strict=True)))


def rows(blobs: dict[str, bytes], corpus: Corpus) -> Rows:
    """The passage rows, checked against the corpus they are said to belong to."""
    r = _rows(blobs)
    n = len(r.start)
    if any(len(a) != n for a in r) or r.place.shape[1:] != (2,) or r.digest.shape[1:] != (DIGEST_BYTES,):
        raise SnapshotError("passage rows of different lengths")
    listed = [s["id"] for s in loads(blobs, SOURCES)]
    if listed != [s.id for s in corpus.sources]:
        raise SnapshotError("built from other sources")
    if n and (int(r.source.min()) < 0 or int(r.source.max()) >= len(corpus.sources)):
        raise SnapshotError("passage rows name sources that do not exist")
    text_len = np.array([s.text_length for s in corpus.sources], np.int64)
    n_sections = np.array([len(s.sections) for s in corpus.sources], np.int64)
    prose = r.section >= 0
    first, end = r.place[:, 0], r.place[:, 1]
    unplaced = (first == -1) & (end == -1)
    # UTF-8 takes 1-4 bytes a character
    bad = ((r.start < 0) | (r.end < r.start) | (r.end > text_len[r.source])
           | ~(unplaced | ((first >= 0) & (end - first >= r.end - r.start) & (end - first <= 4 * (r.end - r.start))))
           | (prose & (r.section >= n_sections[r.source]))
           | (~prose & ((r.ordinal < 0) | (r.ordinal >= len(corpus.timeline)))))
    if n and (bool(bad.any()) or not np.all(prose[:-1] >= prose[1:])):
        raise SnapshotError("passage rows do not fit the corpus")
    return r


def speller(blobs: dict[str, bytes]) -> tuple[list[str], np.ndarray]:
    words, counts = loads(blobs, WORDS), array(blobs, COUNTS, np.int64)
    if not isinstance(words, list) or len(words) != len(counts):
        raise SnapshotError("spelling words and counts differ")
    return words, counts


CACHE = frozenset((*SERVED, TOKENS, *SRC_WORDS, "bm25/vocab.json", "bm25/doc_len.npy", "bm25/term_offsets.npy"))


def previous(blobs: dict[str, bytes]) -> Previous:
    """What the next build reuses of a version (its files in ``CACHE``)."""
    sources = loads(blobs, SOURCES)
    doc_len = array(blobs, "bm25/doc_len.npy", np.int32)
    df = np.diff(array(blobs, "bm25/term_offsets.npy", np.int64))
    vocab = loads(blobs, "bm25/vocab.json")
    words = loads(blobs, WORDS)
    r = _rows(blobs)
    tokens = array(blobs, TOKENS, np.int32)
    offsets, ids, counts = (array(blobs, n, dt) for n, dt in zip(SRC_WORDS, (np.int64, np.int32, np.int64),
                                                                 strict=True))
    if (len(doc_len) != len(r.start) or int(doc_len.sum()) != len(tokens) or len(offsets) != len(sources) + 1
            or len(df) != len(vocab)
            or len(ids) != len(counts) or int(offsets[-1]) != len(ids) or not isinstance(vocab, list)
            or (len(tokens) and (int(tokens.min()) < 0 or int(tokens.max()) >= len(vocab)))
            or (len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(words)))):
        raise SnapshotError("the build cache does not fit together")
    return Previous({(s["id"], s["sha256"]): j for j, s in enumerate(sources)}, r, vocab, tokens,
                    doc_len.astype(np.int64), words, offsets, ids, counts, df)
