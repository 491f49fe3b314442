"""BM25 ranking: rank-bm25's Okapi scoring with the always-positive Lucene IDF.

Two scorers with one ``top_k(query_tokens, k) -> [(doc_index, score), ...]`` interface
(score descending, ties by doc index ascending, only documents with score > 0):

* :class:`ReferenceBM25` is rank-bm25's ``BM25Okapi`` with the Lucene IDF installed through
  rank-bm25's ``_calc_idf`` hook. It *defines* our scoring. Pure Python; O(N) per query term.
* :class:`FastBM25` returns exactly the reference's top-k, with the reference's float64
  scores bit for bit, in milliseconds at a million passages. Term-major CSC postings
  (doc ids int32, precomputed float32 weights, term frequencies), a numba kernel (or a
  pure-numpy fallback) that accumulates float32 scores, then an exact float64 re-rank of the
  few candidates the float32 error bound cannot rule out (the argument is written at
  :func:`_nb_query`). Persistence is plain ``.npy`` arrays + JSON, never pickle.

Scoring (both classes), for a query token list ``q`` (repeated tokens count repeatedly,
unknown tokens add nothing)::

    idf(t)    = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
    score(d)  = sum over tokens t of q, in order, in float64, of
                idf(t) * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl(d) / avgdl)))

``build_scorer`` is what the engine calls; it returns a :class:`FastBM25`.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import rank_bm25

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


__all__ = [
    "DEFAULT_K1",
    "DEFAULT_B",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "HAVE_NUMBA",
    "IndexFormatError",
    "ReferenceBM25",
    "FastBM25",
    "build_scorer",
]

DEFAULT_K1 = 1.5
DEFAULT_B = 0.75

FORMAT_NAME = "nanking-bm25-csc"
FORMAT_VERSION = 1
META_FILE = "bm25.json"
VOCAB_FILE = "vocab.json"

# A query switches from touched-list accumulation to a dense accumulate + one full scan when
# its next term's postings plus the docs already touched reach this share of N (flat between
# 1/32 and 1/2 at 1M passages once pruning is on; benchmarks/NOTES-bm25-scale.md).
DENSE_FRACTION = 1.0 / 8.0
# MaxScore pruning is only tried when the query still has this many postings to read ...
# (0: prune whenever the bound allows, whatever it costs; the tests use that)
PRUNE_MIN_POSTINGS = 4096
# ... and taken when (surviving candidates x remaining terms x GALLOP_COST) < those postings.
GALLOP_COST = 16


class IndexFormatError(ValueError):
    """A saved BM25 index directory is missing, truncated, foreign or corrupt."""


def _check_params(k1: float, b: float) -> tuple[float, float]:
    k1, b = float(k1), float(b)
    # k1 <= 0 makes rank-bm25 divide 0 by 0 for every document lacking a query term.
    if not (math.isfinite(k1) and k1 > 0):
        raise ValueError(f"k1 must be a finite number > 0, got {k1!r}")
    if not (0.0 <= b <= 1.0):
        raise ValueError(f"b must be in [0, 1], got {b!r}")
    return k1, b


def lucene_idf(n_docs: int, df: int) -> float:
    """ln(1 + (N - df + 0.5) / (df + 0.5)): > 0 for every df <= N (rank-bm25's own goes <= 0)."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def _idf_array(n_docs: int, df: np.ndarray) -> np.ndarray:
    """``lucene_idf`` per term, computed with ``math.log`` exactly as the reference does
    (numpy's SIMD log may differ in the last bit); one log per distinct df value."""
    values, inverse = np.unique(np.asarray(df, dtype=np.int64), return_inverse=True)
    logs = np.array([lucene_idf(n_docs, int(v)) for v in values.tolist()], dtype=np.float64)
    return logs[inverse].reshape(-1) if len(df) else np.zeros(0, dtype=np.float64)


def _top_k_from_scores(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Top-k of a dense float64 score vector: only score > 0, score desc, doc asc.

    Works on the non-zero entries only: ``np.argpartition`` over a mostly-zero vector is
    10-15x slower than on random data (perf-anchors.md, caveat 1).
    """
    if k <= 0:
        return []
    nz = np.flatnonzero(scores > 0)
    if nz.size > k:
        s = scores[nz]
        kth = np.partition(s, s.size - k)[s.size - k]
        nz = nz[s >= kth]          # everything tied with the k-th stays a candidate
    sel = scores[nz]
    order = np.lexsort((nz, -sel))[:k]
    return [(int(d), float(v)) for d, v in zip(nz[order].tolist(), sel[order].tolist())]


# --------------------------------------------------------------------------------------
# The reference


class ReferenceBM25(rank_bm25.BM25Okapi):
    """rank-bm25's ``BM25Okapi`` with the Lucene IDF: the definition of our scoring.

    Give it pre-tokenized ``list[list[str]]``. It never receives a ``tokenizer=`` (rank-bm25
    would open a process pool for it). ``get_scores`` is rank-bm25's own, unchanged.
    """

    def __init__(self, tokenized_docs: Iterable[Sequence[str]], k1: float = DEFAULT_K1,
                 b: float = DEFAULT_B):
        k1, b = _check_params(k1, b)
        docs = tokenized_docs if isinstance(tokenized_docs, list) else list(tokenized_docs)
        if not docs:
            # rank-bm25 divides by the corpus size; an empty index simply matches nothing.
            self.k1, self.b, self.epsilon = k1, b, 0.25
            self.corpus_size, self.avgdl, self.average_idf = 0, 0.0, 0.0
            self.doc_freqs, self.idf, self.doc_len, self.tokenizer = [], {}, [], None
            return
        super().__init__(docs, k1=k1, b=b)  # no tokenizer: see the class docstring

    def _calc_idf(self, nd):
        """rank-bm25's hook: Lucene IDF, always > 0 (no epsilon floor needed)."""
        n = self.corpus_size
        for word, freq in nd.items():
            self.idf[word] = lucene_idf(n, freq)
        self.average_idf = (sum(self.idf.values()) / len(self.idf)) if self.idf else 0.0

    @property
    def n_docs(self) -> int:
        return self.corpus_size

    def top_k(self, query_tokens: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        """The k best documents: (doc index, score), score desc, ties by doc index; score > 0."""
        if k <= 0 or self.corpus_size == 0:
            return []
        with np.errstate(invalid="ignore"):  # 0/0 = NaN for empty docs when avgdl = 0 or b = 1
            scores = self.get_scores(list(query_tokens))
        return _top_k_from_scores(scores, int(k))


# --------------------------------------------------------------------------------------
# numba kernels (compiled on first use, cached on disk next to this module)


@njit(cache=True, nogil=True)
def _nb_count(flat, doc_off, n_terms):
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
def _nb_fill(flat, doc_off, term_off, docs_out, tf_out):
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
def _nb_weights(term_off, docs, tf, dl, idf, k1, b, avgdl, w_out, maxw_out):
    """float32 BM25 weight per posting (computed in float64 exactly like rank-bm25) and the
    largest weight per term."""
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
def _nb_validate(term_off, docs, tf, dl, idf, w, k1, b, avgdl, maxw_out):
    """Check every posting of a loaded index; returns (0, 0) or (error code, posting)."""
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
            if w[p] != x:
                return 4, p
            if x > m:
                m = x
        maxw_out[t] = m
    return 0, 0


@njit(cache=True, nogil=True, inline="always")
def _gallop(a, lo, hi, x):
    """First index p in [lo, hi) with a[p] >= x (a ascending there), else hi.
    Exponential then binary search: O(log distance), cheap for sorted probe sequences."""
    if lo >= hi or a[lo] >= x:
        return lo
    step = 1
    while lo + step < hi and a[lo + step] < x:
        step *= 2
    left = lo + step // 2 + 1
    right = min(lo + step, hi)
    while left < right:
        mid = (left + right) >> 1
        if a[mid] < x:
            left = mid + 1
        else:
            right = mid
    return left


@njit(cache=True, nogil=True, inline="always")
def _heap_push(h, n, x):
    i = n
    while i > 0:
        parent = (i - 1) >> 1
        if h[parent] > x:
            h[i] = h[parent]
            i = parent
        else:
            break
    h[i] = x


@njit(cache=True, nogil=True, inline="always")
def _heap_replace_top(h, n, x):
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and h[c + 1] < h[c]:
            c += 1
        if h[c] < x:
            h[i] = h[c]
            i = c
        else:
            break
    h[i] = x


@njit(cache=True, nogil=True)
def _nb_kth_largest(acc, touched, nt, k, heap):
    """k-th largest acc value over the touched docs (nt >= k); acc is left as is."""
    hn = 0
    for i in range(nt):
        s = acc[touched[i]]
        if hn < k:
            _heap_push(heap, hn, s)
            hn += 1
        elif s > heap[0]:
            _heap_replace_top(heap, hn, s)
    return heap[0]


@njit(cache=True, nogil=True)
def _nb_count_at_least(acc, touched, nt, cut):
    n = 0
    for i in range(nt):
        n += acc[touched[i]] >= cut
    return n


@njit(cache=True, nogil=True)
def _nb_compact(acc, touched, nt, cut):
    """Keep the touched docs with acc >= cut, in order; the others' acc goes back to 0."""
    n = 0
    for i in range(nt):
        d = touched[i]
        if acc[d] >= cut:
            touched[n] = d
            n += 1
        else:
            acc[d] = 0
    return n


@njit(cache=True, nogil=True)
def _nb_query(term_off, docs, w, tf, dl, idf, maxw, seq, k, k1, b, avgdl,
              dense_min, prune, prune_min, gallop_cost, acc, buf_doc, buf_score):
    """Exact top-k of rank-bm25/Lucene-IDF scores for the known query term ids ``seq``.

    Returns (doc ids int64[n], float64 scores[n], path), score desc, ties by doc id asc,
    n <= k; path says how the scores were accumulated: 0 touched-list, 1 dense, 2 pruned.
    ``acc`` (float32[N], all zero), ``buf_doc`` (int32[N + 1]) and ``buf_score`` (float32[N])
    are the calling thread's scratch; ``acc`` is all zero again on return.

    Why the answer is exact although the accumulator is float32
    -----------------------------------------------------------
    Let s(d) be the reference score (float64 sum, in query order, of the float64 weights
    w64), and s~(d) ours: a float32 sum over the n_u distinct terms of fl32(c * fl32(w64)).
    All weights are > 0 and far above float32's normal range (w >= ~1/N^2), so with
    u = 2^-24 each term carries at most n_u + 1 float32 roundings and the reference at most
    m - 1 float64 ones (m = query tokens incl. repeats >= n_u), hence
        |s~(d) - s(d)| <= eps * s(d),   eps := (m + 4) * 2^-23   (> 2x the bound).
    1. Candidate filter. Let theta be the k-th largest s~ (the heap minimum). Those k docs
       have s >= theta / (1 + eps), so the exact k-th score S_k >= theta / (1 + eps). A doc
       with s~ < lam := theta * (1 - 3 eps) has s <= s~ / (1 - eps) < theta / (1 + eps)
       <= S_k, strictly, so it is not in the exact top-k, not even through a tie (ties go
       to the lower doc index, which needs equality). Every doc with s~ >= lam is
       re-scored exactly (float64, same formula and order as rank-bm25: bit-identical),
       and the exact top-k of those is the answer. While scanning we keep every doc with
       s~ >= theta_t * (1 - 3 eps) for the running heap minimum theta_t <= theta: a superset.
       No fixed "k + margin" is needed: near-ties widen the candidate set by themselves.
    2. Pruning (MaxScore on accumulators). Terms are read in decreasing c * maxw order.
       Before the next term, if the remaining terms' bound R = sum c * maxw (maxw = largest
       float32 weight of the term, >= w64 / (1 + u)) is < theta_p * (1 - 2 eps), where
       theta_p is the k-th largest partial s~ among touched docs, then a doc not touched
       yet has s <= R (1 + 2u) < theta_p / (1 + eps) <= S_k (partial sums only grow, and
       float32 rounding is monotone), so it cannot enter the top-k: the remaining terms
       then only update the docs already touched (galloping search in their postings).
       A touched doc with partial a ends with s~ <= (a + R)(1 + u)^(m+1) <= (a + R)(1 + eps/2);
       if that is < theta_p (1 - 3 eps) <= lam (the final theta >= theta_p), step 1 would drop
       it anyway, so it is dropped now: kept are a >= theta_p (1 - 5 eps) - R (1 + 2 eps).
       Pruning is a speed choice only (taken when the surviving candidates are few enough
       for galloping to beat streaming the remaining postings); it never changes results.
    """
    n_docs = acc.shape[0]
    m = seq.shape[0]
    eps = (m + 4) * 2.0 ** -23
    if buf_doc.shape[0] <= n_docs or buf_score.shape[0] < n_docs or k < 1:
        raise ValueError("scratch buffers too small or k < 1")

    # distinct terms with multiplicity, and each token's distinct-term slot
    ut = np.empty(m, np.int64)
    uc = np.zeros(m, np.int64)
    tok_u = np.empty(m, np.int64)
    nu = 0
    for i in range(m):
        t = seq[i]
        f = -1
        for j in range(nu):
            if ut[j] == t:
                f = j
                break
        if f < 0:
            ut[nu] = t
            uc[nu] = 1
            tok_u[i] = nu
            nu += 1
        else:
            uc[f] += 1
            tok_u[i] = f

    bound = np.empty(nu, np.float64)
    rem_post = 0
    for j in range(nu):
        bound[j] = uc[j] * np.float64(maxw[ut[j]])
        rem_post += term_off[ut[j] + 1] - term_off[ut[j]]
    order = np.argsort(-bound)
    suffix = np.zeros(nu + 1, np.float64)
    for jj in range(nu - 1, -1, -1):
        suffix[jj] = suffix[jj + 1] + bound[order[jj]]

    heap = np.empty(k, np.float32)
    greedy = prune_min == 0      # prune whenever the bound allows (tests use it)
    nt = 0
    dense = False
    pruned_from = nu
    for jj in range(nu):
        j = order[jj]
        t = ut[j]
        s0 = term_off[t]
        e0 = term_off[t + 1]
        cf = np.float32(uc[j])
        if not dense:
            if (prune and jj > 0 and nt >= k and rem_post >= prune_min
                    and (greedy or (rem_post > 4 * nt and suffix[jj] < suffix[0] - suffix[jj]))):
                theta_p = np.float64(_nb_kth_largest(acc, buf_doc, nt, k, heap))
                if suffix[jj] < theta_p * (1.0 - 2.0 * eps):
                    # touched docs that cannot reach lam_final even with every remaining
                    # term at its max weight: s~_final <= (a + R)(1 + eps/2) < theta_p (1 - 3 eps)
                    cut = theta_p * (1.0 - 5.0 * eps) - suffix[jj] * (1.0 + 2.0 * eps)
                    keep = _nb_count_at_least(acc, buf_doc, nt, cut)
                    # a galloping probe costs ~gallop_cost postings' worth of streaming
                    if greedy or keep * (nu - jj) * gallop_cost < rem_post:
                        nt = _nb_compact(acc, buf_doc, nt, cut)
                        pruned_from = jj
                        break
            # go dense only when this term would make touched-list tracking costly; rare
            # terms first stay on the touched list so that pruning gets its chance
            if nt + (e0 - s0) >= dense_min:
                dense = True
        if dense:
            if uc[j] == 1:
                for p in range(s0, e0):
                    acc[docs[p]] += w[p]
            else:
                for p in range(s0, e0):
                    acc[docs[p]] += w[p] * cf
        else:
            for p in range(s0, e0):     # branch-free touched-list append
                d = docs[p]
                buf_doc[nt] = d
                nt += acc[d] == 0
                acc[d] += w[p] * cf
        rem_post -= e0 - s0

    if pruned_from < nu:
        # phase 2: remaining terms only update the surviving touched docs, sorted for
        # galloping; after each term the survivors are cut again with the smaller bound
        buf_doc[:nt] = np.sort(buf_doc[:nt])
        for jj in range(pruned_from, nu):
            j = order[jj]
            t = ut[j]
            pos = term_off[t]
            e0 = term_off[t + 1]
            cf = np.float32(uc[j])
            for i in range(nt):
                d = buf_doc[i]
                pos = _gallop(docs, pos, e0, d)
                if pos >= e0:
                    break
                if docs[pos] == d:
                    acc[d] += w[pos] * cf
            if jj + 1 < nu and nt > k:
                theta_p = np.float64(_nb_kth_largest(acc, buf_doc, nt, k, heap))
                cut = theta_p * (1.0 - 5.0 * eps) - suffix[jj + 1] * (1.0 + 2.0 * eps)
                nt = _nb_compact(acc, buf_doc, nt, cut)

    # selection: heap of the k largest s~, candidate buffer, acc reset. The hot loop is
    # one load, one store and one well-predicted compare per doc: ``thr`` is a float32 at or
    # below the running lam (the smallest positive float32 until the heap is full).
    # (A data-dependent "if acc[d] != 0" here cost 3.4 ms instead of 0.3 ms at 1M docs
    # through branch mispredictions.)
    hn = 0
    nb = 0
    shrink = (1.0 - 3.0 * eps) * (1.0 - 2.0 ** -20)   # the 2^-20: float32(x) <= x below
    thr = np.float32(1e-45)
    if dense:
        for d in range(n_docs):
            sc = acc[d]
            acc[d] = 0
            if sc >= thr:
                buf_doc[nb] = d
                buf_score[nb] = sc
                nb += 1
                if hn < k:
                    _heap_push(heap, hn, sc)
                    hn += 1
                    if hn == k:
                        thr = np.float32(heap[0] * shrink)
                elif sc > heap[0]:
                    _heap_replace_top(heap, hn, sc)
                    thr = np.float32(heap[0] * shrink)
    else:
        for i in range(nt):      # in place: the write index nb never passes i
            d = buf_doc[i]
            sc = acc[d]
            acc[d] = 0
            if sc >= thr:
                buf_doc[nb] = d
                buf_score[nb] = sc
                nb += 1
                if hn < k:
                    _heap_push(heap, hn, sc)
                    hn += 1
                    if hn == k:
                        thr = np.float32(heap[0] * shrink)
                elif sc > heap[0]:
                    _heap_replace_top(heap, hn, sc)
                    thr = np.float32(heap[0] * shrink)

    lam_final = heap[0] * (1.0 - 3.0 * eps) if hn == k else 0.0
    nc = 0
    for i in range(nb):
        if buf_score[i] >= lam_final:
            buf_doc[nc] = buf_doc[i]
            nc += 1
    cand = np.sort(buf_doc[:nc]).astype(np.int64)

    # exact float64 re-score, tokens in query order (rank-bm25's summation order)
    exact = np.zeros(nc, np.float64)
    for q in range(m):
        t = ut[tok_u[q]]
        idf_t = idf[t]
        pos = term_off[t]
        e0 = term_off[t + 1]
        for i in range(nc):
            d = cand[i]
            pos = _gallop(docs, pos, e0, d)
            if pos >= e0:
                break
            if docs[pos] == d:
                tff = np.float64(tf[pos])
                dlf = np.float64(dl[d])
                exact[i] += idf_t * (tff * (k1 + 1) / (tff + k1 * (1 - b + b * dlf / avgdl)))
    rank = np.argsort(-exact, kind="mergesort")   # stable: ties keep doc order
    n_out = min(k, nc)
    out_doc = np.empty(n_out, np.int64)
    out_score = np.empty(n_out, np.float64)
    for r in range(n_out):
        out_doc[r] = cand[rank[r]]
        out_score[r] = exact[rank[r]]
    path = 2 if pruned_from < nu else (1 if dense else 0)
    return out_doc, out_score, path


# --------------------------------------------------------------------------------------
# pure-numpy equivalents (used when numba is unavailable; tested equal)


def _np_build(flat: np.ndarray, doc_off: np.ndarray, n_terms: int, tf_dtype=None):
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
    tf = counts.astype(tf_dtype or _tf_dtype(max_tf))
    return df, term_off, docs, tf


def _np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl):
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


def _np_validate(term_off, docs, tf, dl, idf, w, k1, b, avgdl):
    """numpy version of _nb_validate: returns (code, maxw)."""
    n_docs = len(dl)
    if docs.size:
        if int(docs.min()) < 0 or int(docs.max()) >= n_docs:
            return 1, None
        step = np.diff(docs.astype(np.int64))
        new_term = np.zeros(docs.size, bool)
        starts = term_off[:-1][np.diff(term_off) > 0]
        new_term[starts] = True
        if np.any((step <= 0) & ~new_term[1:]):
            return 2, None
        tfv = tf.astype(np.int64)
        if int(tfv.min()) < 1 or np.any(tfv > dl[docs]):
            return 3, None
    expect, maxw = _np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl)
    if not np.array_equal(expect, w):
        return 4, None
    return 0, maxw


def _tf_dtype(max_tf: int):
    for dt in (np.uint8, np.uint16, np.uint32):
        if max_tf <= np.iinfo(dt).max:
            return np.dtype(dt)
    raise ValueError(f"a term occurs {max_tf} times in one passage; at most 2^32-1 supported")


# --------------------------------------------------------------------------------------
# the fast scorer


_ARRAYS = ("term_offsets", "doc_ids", "weights", "tf", "doc_len", "idf")
_TF_DTYPES = ("|u1", "<u2", "<u4")


class FastBM25:
    """Exact rank-bm25/Lucene-IDF top-k over term-major postings.

    Build with ``FastBM25(tokenized_docs)``, ``FastBM25.from_token_ids(...)`` or
    ``FastBM25.load(dir)``. Immutable after construction; ``top_k`` may be called from any
    number of threads at once (each thread gets its own scratch buffers, 12 bytes x N).

    Arrays (P = postings = distinct (term, doc) pairs):
      term_offsets int64[V+1]  postings of term t are [term_offsets[t], term_offsets[t+1])
      doc_ids      int32[P]    ascending within a term
      weights      float32[P]  idf * tf*(k1+1) / (tf + k1*(1-b+b*dl/avgdl)), for the scan
      tf           uint8/16/32[P]  exact term frequency, for the float64 re-rank
      doc_len      int32[N]    tokens per document
      idf          float64[V]  Lucene IDF, bit-identical to ReferenceBM25's
    """

    def __init__(self, tokenized_docs: Iterable[Sequence[str]], k1: float = DEFAULT_K1,
                 b: float = DEFAULT_B, *, backend: str = "auto"):
        docs = tokenized_docs if isinstance(tokenized_docs, (list, tuple)) else list(tokenized_docs)
        for d in docs:
            if isinstance(d, (str, bytes)):
                raise TypeError("FastBM25 takes pre-tokenized documents (a list of token lists)")
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        offsets = np.zeros(len(docs) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # term ids in order of first appearance; C-level iteration (chain, map), no Python
        # loop per token
        vocab = list(dict.fromkeys(itertools.chain.from_iterable(docs)))
        index = {t: i for i, t in enumerate(vocab)}
        flat = np.fromiter(map(index.__getitem__, itertools.chain.from_iterable(docs)),
                           dtype=np.int64, count=int(offsets[-1]))
        self._build(flat, offsets, vocab, index, k1, b, backend)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_token_ids(cls, doc_term_ids, doc_offsets, vocab: Sequence[str],
                       k1: float = DEFAULT_K1, b: float = DEFAULT_B, *,
                       backend: str = "auto") -> "FastBM25":
        """Fast build from integer term ids: document i is
        ``vocab[doc_term_ids[doc_offsets[i]:doc_offsets[i+1]]]``. Equal to building from the
        corresponding token lists, except that term ids are yours (vocab order) and terms of
        ``vocab`` that never occur are kept (they match nothing)."""
        flat = np.asarray(doc_term_ids)
        offsets = np.asarray(doc_offsets)
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
        index = {t: i for i, t in enumerate(vocab)}
        if len(index) != len(vocab):
            raise ValueError("vocab has duplicate terms")
        if flat.size and (int(flat.min()) < 0 or int(flat.max()) >= len(vocab)):
            raise ValueError("doc_term_ids must lie in [0, len(vocab))")
        self = cls.__new__(cls)
        self._build(np.ascontiguousarray(flat), np.ascontiguousarray(offsets), vocab, index,
                    k1, b, backend)
        return self

    def _build(self, flat, offsets, vocab, index, k1, b, backend):
        k1, b = _check_params(k1, b)
        self._set_backend(backend)
        n_docs = offsets.size - 1
        if n_docs >= 2**31 - 1:
            raise ValueError("at most 2^31 - 2 documents")
        n_terms = len(vocab)
        dl = np.diff(offsets)
        if dl.size and int(dl.max()) >= 2**31:
            raise ValueError("a document has 2^31 tokens or more")
        dl = dl.astype(np.int32)
        total = int(offsets[-1])
        avgdl = total / n_docs if n_docs else 0.0  # int / int, as rank-bm25 does
        if self.backend == "numba":
            df, max_tf = _nb_count(flat, offsets, n_terms)
            term_off = np.zeros(n_terms + 1, np.int64)
            np.cumsum(df, out=term_off[1:])
            n_post = int(term_off[-1])
            docs = np.empty(n_post, np.int32)
            tf = np.empty(n_post, _tf_dtype(int(max_tf)))
            _nb_fill(flat, offsets, term_off, docs, tf)
            idf = _idf_array(n_docs, df)
            w = np.empty(n_post, np.float32)
            maxw = np.empty(n_terms, np.float32)
            _nb_weights(term_off, docs, tf, dl, idf, k1, b, avgdl, w, maxw)
        else:
            df, term_off, docs, tf = _np_build(flat, offsets, n_terms)
            idf = _idf_array(n_docs, df)
            w, maxw = _np_weights(term_off, docs, tf, dl, idf, k1, b, avgdl)
        self._init(k1, b, total, vocab, index, term_off, docs, w, tf, dl, idf, maxw)

    def _init(self, k1, b, total, vocab, index, term_off, docs, w, tf, dl, idf, maxw):
        self.k1 = k1
        self.b = b
        self.total_tokens = total
        self.n_docs = int(dl.size)
        self.avgdl = total / self.n_docs if self.n_docs else 0.0
        self.vocab: tuple[str, ...] = tuple(vocab)
        self._index = index
        self.term_offsets = term_off
        self.doc_ids = docs
        self.weights = w
        self.tf = tf
        self.doc_len = dl
        self.idf = idf
        self.max_weight = maxw
        self.dense_fraction = DENSE_FRACTION
        self.prune = True
        self.prune_min = PRUNE_MIN_POSTINGS
        self.gallop_cost = GALLOP_COST
        self._local = threading.local()

    def _set_backend(self, backend: str) -> None:
        if backend == "auto":
            backend = "numba" if HAVE_NUMBA else "numpy"
        if backend not in ("numba", "numpy"):
            raise ValueError(f"backend must be 'auto', 'numba' or 'numpy', got {backend!r}")
        if backend == "numba" and not HAVE_NUMBA:
            raise ValueError("backend='numba' but numba is not available")
        self.backend = backend

    # -- facts ------------------------------------------------------------------------

    @property
    def n_terms(self) -> int:
        return len(self.vocab)

    @property
    def n_postings(self) -> int:
        return int(self.doc_ids.size)

    def nbytes(self) -> int:
        """Bytes held by the index arrays (not counting the vocabulary's Python objects)."""
        return sum(int(a.nbytes) for a in (self.term_offsets, self.doc_ids, self.weights,
                                           self.tf, self.doc_len, self.idf, self.max_weight))

    def df(self, term: str) -> int:
        t = self._index.get(term)
        return 0 if t is None else int(self.term_offsets[t + 1] - self.term_offsets[t])

    def postings(self, term: str) -> np.ndarray:
        """The ascending doc ids that contain ``term`` (empty for an unknown term)."""
        t = self._index.get(term)
        if t is None:
            return self.doc_ids[:0]
        return self.doc_ids[self.term_offsets[t]:self.term_offsets[t + 1]]

    # -- queries ------------------------------------------------------------------------

    def _term_ids(self, query_tokens) -> list[int]:
        get = self._index.get
        ids = [get(t) for t in query_tokens]
        return [i for i in ids if i is not None]

    def top_k(self, query_tokens: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        """The k best documents: (doc index, score), score desc, ties by doc index; score > 0.
        Identical to ``ReferenceBM25.top_k`` (same docs, same order, same float64 scores)."""
        k = min(int(k), self.n_docs)
        if k <= 0:
            return []
        seq = self._term_ids(query_tokens)
        if not seq:
            return []
        if self.backend == "numba":
            return self._top_k_numba(seq, k)
        return self._top_k_numpy(seq, k)

    def _scratch(self):
        local = self._local
        bufs = getattr(local, "bufs", None)
        if bufs is None:
            n = self.n_docs
            # buf_doc has one spare slot: the branch-free touched-list append writes at nt
            # even when nothing new is appended, and nt may already be N
            bufs = (np.zeros(n, np.float32), np.empty(n + 1, np.int32), np.empty(n, np.float32))
            local.bufs = bufs
        return bufs

    def _top_k_numba(self, seq: list[int], k: int) -> list[tuple[int, float]]:
        acc, buf_doc, buf_score = self._scratch()
        docs, scores, path = _nb_query(
            self.term_offsets, self.doc_ids, self.weights, self.tf, self.doc_len, self.idf,
            self.max_weight, np.array(seq, dtype=np.int64), k, self.k1, self.b, self.avgdl,
            int(self.n_docs * self.dense_fraction), bool(self.prune), int(self.prune_min),
            int(self.gallop_cost), acc, buf_doc, buf_score)
        self._local.last_path = path   # for tests and benchmarks: see _nb_query
        return list(zip(docs.tolist(), scores.tolist()))

    def _exact_scores(self, seq: list[int], cand: np.ndarray) -> np.ndarray:
        """rank-bm25's float64 scores of the docs ``cand`` (ascending), bit for bit."""
        k1, b, avgdl = self.k1, self.b, self.avgdl
        exact = np.zeros(cand.size, np.float64)
        dlc = self.doc_len[cand].astype(np.int64)
        per_term: dict[int, np.ndarray] = {}
        for t in seq:
            tfv = per_term.get(t)
            if tfv is None:
                s, e = int(self.term_offsets[t]), int(self.term_offsets[t + 1])
                seg = self.doc_ids[s:e]
                pos = np.searchsorted(seg, cand)
                ok = pos < seg.size
                ok[ok] = seg[pos[ok]] == cand[ok]
                tfv = np.zeros(cand.size, np.int64)
                tfv[ok] = self.tf[s + pos[ok]]
                per_term[t] = tfv
            # the reference's expression, elementwise; tf = 0 adds exactly 0.0
            exact += self.idf[t] * (tfv * (k1 + 1) / (tfv + k1 * (1 - b + b * dlc / avgdl)))
        return exact

    def _top_k_numpy(self, seq: list[int], k: int) -> list[tuple[int, float]]:
        """Pure-numpy path: same candidates argument as _nb_query (float64 accumulation of
        the float32 weights is only more accurate), no pruning, no shared state."""
        counts: dict[int, int] = {}
        for t in seq:
            counts[t] = counts.get(t, 0) + 1
        off = self.term_offsets
        total = sum(int(off[t + 1] - off[t]) for t in counts)
        if total == 0:
            return []
        if total < self.n_docs * self.dense_fraction:
            parts_d, parts_w = [], []
            for t, c in counts.items():
                s, e = int(off[t]), int(off[t + 1])
                parts_d.append(self.doc_ids[s:e])
                parts_w.append(self.weights[s:e].astype(np.float64) * c)
            nz, inv = np.unique(np.concatenate(parts_d), return_inverse=True)
            approx = np.bincount(inv.reshape(-1), weights=np.concatenate(parts_w))
        else:
            acc = np.zeros(self.n_docs, np.float64)
            for t, c in counts.items():
                s, e = int(off[t]), int(off[t + 1])
                acc[self.doc_ids[s:e]] += self.weights[s:e].astype(np.float64) * c
            nz = np.flatnonzero(acc)
            approx = acc[nz]
        nz = nz.astype(np.int64)
        if nz.size > k:
            eps = (len(seq) + 4) * 2.0 ** -23
            theta = np.partition(approx, approx.size - k)[approx.size - k]
            nz = nz[approx >= theta * (1.0 - 3.0 * eps)]
        exact = self._exact_scores(seq, nz)
        order = np.lexsort((nz, -exact))[:k]
        return list(zip(nz[order].tolist(), exact[order].tolist()))

    def get_scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Exact float64 scores of every document, as rank-bm25's ``get_scores`` (O(N)); a doc
        without any query term scores 0 (rank-bm25 says NaN for 0/0 when it is empty and
        b = 1, or when every document is empty)."""
        scores = np.zeros(self.n_docs, np.float64)
        k1, b, avgdl = self.k1, self.b, self.avgdl
        for t in self._term_ids(query_tokens):
            s, e = int(self.term_offsets[t]), int(self.term_offsets[t + 1])
            d = self.doc_ids[s:e]
            tfv = self.tf[s:e].astype(np.int64)
            dlv = self.doc_len[d].astype(np.int64)
            scores[d] += self.idf[t] * (tfv * (k1 + 1) / (tfv + k1 * (1 - b + b * dlv / avgdl)))
        return scores

    def warmup(self) -> None:
        """Compile (or load from numba's disk cache) the query kernel for this index's array
        types, so the first real question does not pay for it."""
        if self.n_terms and self.n_docs:
            self.top_k([self.vocab[int(np.argmax(np.diff(self.term_offsets)))]], 1)

    # -- persistence --------------------------------------------------------------------

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"term_offsets": self.term_offsets, "doc_ids": self.doc_ids,
                "weights": self.weights, "tf": self.tf, "doc_len": self.doc_len, "idf": self.idf}

    def save(self, directory: Path | str) -> None:
        """Write the index as .npy arrays + vocab.json + bm25.json (no pickle).

        Files are replaced one by one through a temporary name (an index mmap'd from the
        same directory keeps its old files); bm25.json is removed first and written last,
        so an interrupted save leaves a directory that ``load`` rejects.
        """
        for t in self.vocab:
            if not isinstance(t, str):
                raise TypeError(f"only str tokens can be saved, found {type(t).__name__}")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta_path = directory / META_FILE
        meta_path.unlink(missing_ok=True)
        arrays = {}
        for name, arr in self._arrays().items():
            arr = np.ascontiguousarray(arr)
            _atomic_write(directory / f"{name}.npy", lambda f, a=arr: np.save(f, a, allow_pickle=False))
            arrays[name] = {"file": f"{name}.npy", "dtype": arr.dtype.str, "shape": list(arr.shape)}
        vocab_bytes = json.dumps(list(self.vocab), ensure_ascii=False).encode("utf-8")
        _atomic_write(directory / VOCAB_FILE, lambda f: f.write(vocab_bytes))
        meta = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "k1": self.k1,
            "b": self.b,
            "idf": "lucene",
            "n_docs": self.n_docs,
            "n_terms": self.n_terms,
            "n_postings": self.n_postings,
            "total_tokens": self.total_tokens,
            "vocab": {"file": VOCAB_FILE, "count": self.n_terms},
            "arrays": arrays,
        }
        meta_bytes = (json.dumps(meta, indent=2) + "\n").encode("utf-8")
        _atomic_write(meta_path, lambda f: f.write(meta_bytes))

    @classmethod
    def load(cls, directory: Path | str, mmap: bool = True, *, backend: str = "auto") -> "FastBM25":
        """Load a saved index, validating it completely; ``IndexFormatError`` if it is not a
        sound index of this format. With ``mmap`` the arrays stay in the page cache
        (read-only memory maps) instead of being copied into the process."""
        directory = Path(directory)
        if not directory.is_dir():
            raise IndexFormatError(f"{directory}: not a directory")
        meta = _read_json(directory / META_FILE)
        if not isinstance(meta, dict):
            raise IndexFormatError(f"{directory / META_FILE}: not a JSON object")
        if meta.get("format") != FORMAT_NAME:
            raise IndexFormatError(f"{directory / META_FILE}: format is {meta.get('format')!r}, "
                                   f"expected {FORMAT_NAME!r}")
        if meta.get("version") != FORMAT_VERSION:
            raise IndexFormatError(f"{directory / META_FILE}: unsupported version "
                                   f"{meta.get('version')!r} (this code reads {FORMAT_VERSION})")
        if meta.get("idf") != "lucene":
            raise IndexFormatError(f"{directory / META_FILE}: idf must be 'lucene'")
        counts = {}
        for key in ("n_docs", "n_terms", "n_postings", "total_tokens"):
            v = meta.get(key)
            if type(v) is not int or v < 0:
                raise IndexFormatError(f"{directory / META_FILE}: {key} must be an integer >= 0")
            counts[key] = v
        try:
            k1, b = _check_params(meta.get("k1"), meta.get("b"))
        except (TypeError, ValueError) as exc:
            raise IndexFormatError(f"{directory / META_FILE}: {exc}") from None
        n_docs, n_terms, n_post = counts["n_docs"], counts["n_terms"], counts["n_postings"]
        expect = {
            "term_offsets": (("<i8",), (n_terms + 1,)),
            "doc_ids": (("<i4",), (n_post,)),
            "weights": (("<f4",), (n_post,)),
            "tf": (_TF_DTYPES, (n_post,)),
            "doc_len": (("<i4",), (n_docs,)),
            "idf": (("<f8",), (n_terms,)),
        }
        specs = meta.get("arrays")
        if not isinstance(specs, dict) or set(specs) != set(_ARRAYS):
            raise IndexFormatError(f"{directory / META_FILE}: 'arrays' must describe exactly "
                                   f"{', '.join(_ARRAYS)}")
        arrays = {}
        for name in _ARRAYS:
            spec = specs[name]
            dtypes, shape = expect[name]
            if (not isinstance(spec, dict) or spec.get("file") != f"{name}.npy"
                    or spec.get("dtype") not in dtypes or spec.get("shape") != list(shape)):
                raise IndexFormatError(
                    f"{directory / META_FILE}: array {name}: expected file {name}.npy, dtype in "
                    f"{dtypes}, shape {list(shape)} for the stated counts; got {spec!r}")
            path = directory / f"{name}.npy"
            if not path.is_file():
                raise IndexFormatError(f"{path}: missing")
            try:
                arr = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
            except Exception as exc:  # truncated, not .npy, object arrays...
                raise IndexFormatError(f"{path}: unreadable ({exc})") from None
            if arr.dtype.str != spec["dtype"] or arr.shape != shape:
                raise IndexFormatError(f"{path}: holds {arr.dtype.str} {list(arr.shape)}, "
                                       f"bm25.json says {spec['dtype']} {list(shape)}")
            if not arr.flags.c_contiguous:
                raise IndexFormatError(f"{path}: not C-contiguous")
            if isinstance(arr, np.memmap):
                arr = arr.view(np.ndarray)  # plain read-only ndarray over the map
            arrays[name] = arr
        vocab = _read_json(directory / VOCAB_FILE)
        if (not isinstance(vocab, list) or len(vocab) != n_terms
                or not all(isinstance(t, str) for t in vocab)):
            raise IndexFormatError(f"{directory / VOCAB_FILE}: must be a JSON list of "
                                   f"{n_terms} strings")
        index = {t: i for i, t in enumerate(vocab)}
        if len(index) != n_terms:
            raise IndexFormatError(f"{directory / VOCAB_FILE}: duplicate terms")

        off, dl = arrays["term_offsets"], arrays["doc_len"]
        if off[0] != 0 or off[-1] != n_post or np.any(off[1:] < off[:-1]):
            raise IndexFormatError(f"{directory}: term_offsets must start at 0, never decrease "
                                   f"and end at n_postings ({n_post})")
        if n_docs and (int(dl.min()) < 0 or int(dl.sum(dtype=np.int64)) != counts["total_tokens"]):
            raise IndexFormatError(f"{directory}: doc_len must be >= 0 and sum to total_tokens")
        if n_docs == 0 and (n_post or counts["total_tokens"]):
            raise IndexFormatError(f"{directory}: postings without documents")
        df = np.diff(off)
        if np.any(df > n_docs):
            raise IndexFormatError(f"{directory}: a term has more postings than documents")
        if not np.array_equal(arrays["idf"], _idf_array(n_docs, df)):
            raise IndexFormatError(f"{directory}: idf.npy does not match the postings")
        self = cls.__new__(cls)
        self._set_backend(backend)
        total = counts["total_tokens"]
        avgdl = total / n_docs if n_docs else 0.0
        a = arrays
        if self.backend == "numba":
            maxw = np.empty(n_terms, np.float32)
            code, at = _nb_validate(off, a["doc_ids"], a["tf"], dl, a["idf"], a["weights"],
                                    k1, b, avgdl, maxw)
        else:
            code, maxw = _np_validate(off, a["doc_ids"], a["tf"], dl, a["idf"], a["weights"],
                                      k1, b, avgdl)
            at = -1
        if code:
            what = {1: "a doc id out of range", 2: "doc ids not strictly ascending in a term",
                    3: "a term frequency < 1 or > its document's length",
                    4: "a weight that does not match tf, doc length and idf"}[code]
            raise IndexFormatError(f"{directory}: postings hold {what}"
                                   + (f" (posting {at})" if at >= 0 else ""))
        self._init(k1, b, total, vocab, index, off, a["doc_ids"], a["weights"], a["tf"], dl,
                   a["idf"], maxw)
        return self


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_json(path: Path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise IndexFormatError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise IndexFormatError(f"{path}: unreadable ({exc})") from None


def build_scorer(tokenized_docs: Iterable[Sequence[str]], k1: float = DEFAULT_K1,
                 b: float = DEFAULT_B) -> FastBM25:
    """The engine's scorer: a warmed-up FastBM25.

    Same results as ReferenceBM25 and faster at every size measured, 100 passages included
    (benchmarks/bench_scale.py). The warm-up loads the query kernel from numba's disk cache
    (~10 ms) or, on the very first run of an installation, compiles it (~6 s): better
    during a build, which runs in a worker thread, than on the first question.
    """
    scorer = FastBM25(tokenized_docs, k1=k1, b=b)
    scorer.warmup()
    return scorer
