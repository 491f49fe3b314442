"""Building :class:`index.bm25.scorers.FastBM25`'s postings: token lists -> term ids ->
term-major arrays (numba kernels, or their numpy equivalents)."""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from index.bm25.formula import idf_array
from index.bm25.kernels import nb_count, nb_fill, nb_weights
from index.bm25.numpy_ops import np_build, np_weights, smallest_tf_dtype

# Documents mapped to term ids per chunk: each C-level pass (chain, map) holds the GIL, and the
# bot's event loop shares it while a reload builds on a worker thread; 2,000 passages (~160k
# tokens) take a few milliseconds.
CHUNK_DOCS = 2000


class Postings(NamedTuple):
    """The arrays of a built index (see FastBM25) and the facts the query needs."""

    total_tokens: int
    term_offsets: np.ndarray
    doc_ids: np.ndarray
    weights: np.ndarray
    tf: np.ndarray
    doc_len: np.ndarray
    idf: np.ndarray
    max_weight: np.ndarray


def doc_offsets(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """Where each document's tokens start in the concatenation of all of them (and the end)."""
    for d in docs:
        if isinstance(d, (str, bytes)):
            raise TypeError("FastBM25 takes pre-tokenized documents (a list of token lists)")
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    offsets = np.zeros(len(docs) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def term_ids(docs: Sequence[Sequence[str]], offsets: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
    """Term ids in order of first appearance, and every document's tokens as ids, end to end."""
    ids: dict[str, int] = {}
    flat = np.empty(int(offsets[-1]), np.int64)
    for start in range(0, len(docs), CHUNK_DOCS):
        chunk = docs[start:start + CHUNK_DOCS]
        for term in dict.fromkeys(itertools.chain.from_iterable(chunk)):
            ids.setdefault(term, len(ids))
        lo, hi = int(offsets[start]), int(offsets[min(start + CHUNK_DOCS, len(docs))])
        flat[lo:hi] = np.fromiter(map(ids.__getitem__, itertools.chain.from_iterable(chunk)),
                                  dtype=np.int64, count=hi - lo)
    return ids, flat


def checked_token_ids(doc_term_ids, doc_offsets_, vocab: Sequence[str]
                      ) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, int]]:
    """``FastBM25.from_token_ids``'s arguments, checked: (ids, offsets, vocab, term -> id)."""
    flat = np.asarray(doc_term_ids)
    offsets = np.asarray(doc_offsets_)
    if flat.ndim != 1 or not np.issubdtype(flat.dtype, np.integer):
        raise ValueError("doc_term_ids must be a 1-D integer array")
    if offsets.ndim != 1 or not np.issubdtype(offsets.dtype, np.integer) or offsets.size < 1:
        raise ValueError("doc_offsets must be a 1-D integer array of length n_docs + 1")
    if flat.dtype not in (np.int32, np.int64):
        flat = flat.astype(np.int64)
    offsets = offsets.astype(np.int64, copy=False)
    if offsets[0] != 0 or offsets[-1] != flat.size or np.any(offsets[1:] < offsets[:-1]):
        raise ValueError("doc_offsets must start at 0, never decrease, and end at len(doc_term_ids)")
    vocab = list(vocab)
    ids = {t: i for i, t in enumerate(vocab)}
    if len(ids) != len(vocab):
        raise ValueError("vocab has duplicate terms")
    if flat.size and (int(flat.min()) < 0 or int(flat.max()) >= len(vocab)):
        raise ValueError("doc_term_ids must lie in [0, len(vocab))")
    return np.ascontiguousarray(flat), np.ascontiguousarray(offsets), vocab, ids


def build_postings(flat: np.ndarray, offsets: np.ndarray, n_terms: int, k1: float, b: float,
                   backend: str) -> Postings:
    """Term-major postings of the documents ``flat[offsets[i]:offsets[i+1]]`` (term ids)."""
    n_docs = offsets.size - 1
    if n_docs >= 2**31 - 1:
        raise ValueError("at most 2^31 - 2 documents")
    dl = np.diff(offsets)
    if dl.size and int(dl.max()) >= 2**31:
        raise ValueError("a document has 2^31 tokens or more")
    dl = dl.astype(np.int32)
    total = int(offsets[-1])
    avgdl = total / n_docs if n_docs else 0.0  # int / int, as rank-bm25 does
    if backend == "numba":
        df, max_tf = nb_count(flat, offsets, n_terms)
        term_off = np.zeros(n_terms + 1, np.int64)
        np.cumsum(df, out=term_off[1:])
        n_post = int(term_off[-1])
        docs = np.empty(n_post, np.int32)
        tf = np.empty(n_post, smallest_tf_dtype(int(max_tf)))
        nb_fill(flat, offsets, term_off, docs, tf)
        idf = idf_array(n_docs, df)
        w = np.empty(n_post, np.float32)
        maxw = np.empty(n_terms, np.float32)
        nb_weights(term_off, docs, tf, dl, idf, k1, b, avgdl, w, maxw)
    else:
        df, term_off, docs, tf = np_build(flat, offsets, n_terms)
        idf = idf_array(n_docs, df)
        w, maxw = np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl)
    return Postings(total, term_off, docs, w, tf, dl, idf, maxw)
