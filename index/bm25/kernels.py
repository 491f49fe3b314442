"""The numba kernels that build and validate :class:`index.bm25.scorers.FastBM25`'s postings
(the query kernel is :mod:`index.bm25.query_kernel`), and the ``njit`` both use.

Compiled on first use and cached on disk next to this module (numba's ``cache=True``).
Each has a pure-numpy equivalent in :mod:`index.bm25.numpy_ops`, used when numba is missing
and tested equal.
"""
from __future__ import annotations

import numpy as np

try:  # numba is a dependency, but the scorer must keep working without it.
    import numba
    from numba import njit

    HAVE_NUMBA = not numba.config.DISABLE_JIT
except Exception:  # pragma: no cover - exercised only where numba is missing
    numba = None
    HAVE_NUMBA = False

    def njit(*args, **kwargs):  # type: ignore[no-redef]
        if args and callable(args[0]):
            return args[0]
        return lambda f: f


@njit(cache=True, nogil=True)
def nb_count(flat, doc_off, n_terms):
    """df per term and the largest tf, in one pass over the tokens."""
    n_docs = doc_off.shape[0] - 1
    last = np.full(n_terms, -1, np.int64)
    cnt = np.zeros(n_terms, np.int64)
    df = np.zeros(n_terms, np.int64)
    max_tf = 0
    for d in range(n_docs):
        for p in range(doc_off[d], doc_off[d + 1]):
            t = flat[p]
            if last[t] != d:
                last[t] = d
                df[t] += 1
                cnt[t] = 1
            else:
                cnt[t] += 1
            if cnt[t] > max_tf:
                max_tf = cnt[t]
    return df, max_tf


@njit(cache=True, nogil=True)
def nb_fill(flat, doc_off, term_off, docs_out, tf_out):
    """Scatter the tokens into term-major postings; docs ascending within each term."""
    n_docs = doc_off.shape[0] - 1
    n_terms = term_off.shape[0] - 1
    last = np.full(n_terms, -1, np.int64)
    wpos = term_off[:-1].copy()
    cur = np.zeros(n_terms, np.int64)
    for d in range(n_docs):
        for p in range(doc_off[d], doc_off[d + 1]):
            t = flat[p]
            if last[t] != d:
                last[t] = d
                q = wpos[t]
                wpos[t] = q + 1
                cur[t] = q
                docs_out[q] = d
                tf_out[q] = 1
            else:
                tf_out[cur[t]] += 1


@njit(cache=True, nogil=True)
def nb_weights(term_off, docs, tf, dl, idf, k1, b, avgdl, w_out, maxw_out):
    """float32 BM25 weight per posting (computed in float64 exactly like rank-bm25) and the
    largest weight per term. ``nb_validate`` computes the same weights while it checks a loaded
    index; the build keeps this unchecked copy because the checks made building the postings of
    300k synthetic passages 0.63-0.72 s -> 0.79-0.84 s (two alternating runs). The tests hold the
    two bit for bit equal (``test_weights_are_computed_at_load_not_stored``)."""
    n_terms = term_off.shape[0] - 1
    for t in range(n_terms):
        idf_t = idf[t]
        m = np.float32(0.0)
        for p in range(term_off[t], term_off[t + 1]):
            tff = np.float64(tf[p])
            dlf = np.float64(dl[docs[p]])
            w = np.float32(idf_t * (tff * (k1 + 1) / (tff + k1 * (1 - b + b * dlf / avgdl))))
            w_out[p] = w
            if w > m:
                m = w
        maxw_out[t] = m


@njit(cache=True, nogil=True)
def nb_validate(term_off, docs, tf, dl, idf, k1, b, avgdl, w_out, maxw_out):
    """Check every posting of a loaded index and compute its weight (as ``nb_weights`` does:
    weights are not stored, so nothing on disk can disagree with them); returns (0, 0) or
    (error code, posting)."""
    n_terms = term_off.shape[0] - 1
    n_docs = dl.shape[0]
    for t in range(n_terms):
        idf_t = idf[t]
        m = np.float32(0.0)
        prev = -1
        for p in range(term_off[t], term_off[t + 1]):
            d = np.int64(docs[p])
            if d < 0 or d >= n_docs:
                return 1, p
            if d <= prev:
                return 2, p
            prev = d
            tv = np.int64(tf[p])
            if tv < 1 or tv > dl[d]:
                return 3, p
            tff = np.float64(tv)
            dlf = np.float64(dl[d])
            x = np.float32(idf_t * (tff * (k1 + 1) / (tff + k1 * (1 - b + b * dlf / avgdl))))
            w_out[p] = x
            if x > m:
                m = x
        maxw_out[t] = m
    return 0, 0
