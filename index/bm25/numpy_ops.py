"""The numpy equivalents of the numba kernels (:mod:`index.bm25.kernels`,
:mod:`index.bm25.query_kernel`): build, weights, validation, query. Used when numba is
unavailable, and tested equal."""
from __future__ import annotations

import numpy as np


def np_build(flat: np.ndarray, doc_off: np.ndarray, n_terms: int, tf_dtype=None):
    """(df, term_off, docs int32, tf) by sorting (term, doc) keys."""
    n_docs = len(doc_off) - 1
    lengths = np.diff(doc_off)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    key = flat.astype(np.int64) * max(n_docs, 1) + doc_of
    del doc_of
    key.sort(kind="stable")
    if key.size:
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        counts = np.diff(np.append(starts, key.size))
        uniq = key[starts]
    else:
        counts = np.zeros(0, np.int64)
        uniq = key
    terms = uniq // max(n_docs, 1)
    docs = (uniq - terms * max(n_docs, 1)).astype(np.int32)
    df = np.bincount(terms, minlength=n_terms).astype(np.int64)
    term_off = np.zeros(n_terms + 1, np.int64)
    np.cumsum(df, out=term_off[1:])
    max_tf = int(counts.max()) if counts.size else 0
    tf = counts.astype(tf_dtype or smallest_tf_dtype(max_tf))
    return df, term_off, docs, tf


def np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl):
    n_terms = len(term_off) - 1
    term_of = np.repeat(np.arange(n_terms), np.diff(term_off))
    tfv = tf.astype(np.int64)
    dlv = dl[docs].astype(np.int64)
    w64 = idf[term_of] * (tfv * (k1 + 1) / (tfv + k1 * (1 - b + b * dlv / avgdl)))
    w = w64.astype(np.float32)
    maxw = np.zeros(n_terms, np.float32)
    if w.size:
        np.maximum.at(maxw, term_of, w)
    return w, maxw


def np_validate(term_off, docs, tf, dl, idf, k1, b, avgdl):
    """numpy version of nb_validate: returns (code, weights, maxw)."""
    n_docs = len(dl)
    if docs.size:
        if int(docs.min()) < 0 or int(docs.max()) >= n_docs:
            return 1, None, None
        step = np.diff(docs.astype(np.int64))
        new_term = np.zeros(docs.size, bool)
        starts = term_off[:-1][np.diff(term_off) > 0]
        new_term[starts] = True
        if np.any((step <= 0) & ~new_term[1:]):
            return 2, None, None
        tfv = tf.astype(np.int64)
        if int(tfv.min()) < 1 or np.any(tfv > dl[docs]):
            return 3, None, None
    w, maxw = np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl)
    return 0, w, maxw


def smallest_tf_dtype(max_tf: int):
    """The smallest unsigned dtype that holds every term frequency up to ``max_tf``."""
    for dt in (np.uint8, np.uint16, np.uint32):
        if max_tf <= np.iinfo(dt).max:
            return np.dtype(dt)
    raise ValueError(f"a term occurs {max_tf} times in one passage; at most 2^32-1 supported")


def np_exact_scores(term_off, docs, tf, dl, idf, k1, b, avgdl, seq: list[int],
                     cand: np.ndarray) -> np.ndarray:
    """rank-bm25's float64 scores of the docs ``cand`` (ascending), bit for bit."""
    exact = np.zeros(cand.size, np.float64)
    dlc = dl[cand].astype(np.int64)
    per_term: dict[int, np.ndarray] = {}
    for t in seq:
        tfv = per_term.get(t)
        if tfv is None:
            s, e = int(term_off[t]), int(term_off[t + 1])
            seg = docs[s:e]
            pos = np.searchsorted(seg, cand)
            ok = pos < seg.size
            ok[ok] = seg[pos[ok]] == cand[ok]
            tfv = np.zeros(cand.size, np.int64)
            tfv[ok] = tf[s + pos[ok]]
            per_term[t] = tfv
        # the reference's expression, elementwise; tf = 0 adds exactly 0.0
        exact += idf[t] * (tfv * (k1 + 1) / (tfv + k1 * (1 - b + b * dlc / avgdl)))
    return exact


def np_query(term_off, docs, w, tf, dl, idf, seq: list[int], k: int, k1, b, avgdl,
              dense_fraction: float) -> list[tuple[int, float]]:
    """Pure-numpy path of ``FastBM25.top_k``: same candidates argument as nb_query (float64
    accumulation of the float32 weights is only more accurate), no pruning, no shared state."""
    n_docs = dl.shape[0]
    counts: dict[int, int] = {}
    for t in seq:
        counts[t] = counts.get(t, 0) + 1
    off = term_off
    total = sum(int(off[t + 1] - off[t]) for t in counts)
    if total == 0:
        return []
    if total < n_docs * dense_fraction:
        parts_d, parts_w = [], []
        for t, c in counts.items():
            s, e = int(off[t]), int(off[t + 1])
            parts_d.append(docs[s:e])
            parts_w.append(w[s:e].astype(np.float64) * c)
        nz, inv = np.unique(np.concatenate(parts_d), return_inverse=True)
        approx = np.bincount(inv.reshape(-1), weights=np.concatenate(parts_w))
    else:
        acc = np.zeros(n_docs, np.float64)
        for t, c in counts.items():
            s, e = int(off[t]), int(off[t + 1])
            acc[docs[s:e]] += w[s:e].astype(np.float64) * c
        nz = np.flatnonzero(acc)
        approx = acc[nz]
    nz = nz.astype(np.int64)
    if nz.size > k:
        eps = (len(seq) + 4) * 2.0 ** -23
        theta = np.partition(approx, approx.size - k)[approx.size - k]
        nz = nz[approx >= theta * (1.0 - 3.0 * eps)]
    exact = np_exact_scores(term_off, docs, tf, dl, idf, k1, b, avgdl, seq, nz)
    order = np.lexsort((nz, -exact))[:k]
    return list(zip(nz[order].tolist(), exact[order].tolist(), strict=True))
