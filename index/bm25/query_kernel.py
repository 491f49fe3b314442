"""The numba query kernels of :class:`index.bm25.scorers.FastBM25` and their helpers.

``nb_query`` accumulates term by term over an accumulator of every document, with MaxScore
pruning; ``nb_query_blocked`` takes the documents in cache-sized blocks, without pruning. Both
return the same exact top-k. Compiled on first use and cached on disk next to this module
(numba's ``cache=True``); their pure-numpy equivalent is :func:`index.bm25.numpy_ops.np_query`,
tested equal. The exactness argument of the float32 accumulation is at :func:`nb_query`. The
tuning constants (dense switch, pruning thresholds, which kernel, block size) are not read here:
the caller passes them in or chooses (``index.bm25.scorers``).
"""
from __future__ import annotations

import numpy as np

from index.bm25.kernels import njit


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
def _distinct_terms(seq):
    """(ut, uc, tok_u, nu): the query's distinct term ids, each one's count, and each token's
    slot in them (rank-bm25 counts a repeated query term again)."""
    m = seq.shape[0]
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
    return ut, uc, tok_u, nu


@njit(cache=True, nogil=True)
def _exact_top_k(term_off, docs, tf, dl, idf, ut, tok_u, m, k, k1, b, avgdl, buf_doc, buf_score, nb, lam_final):
    """The candidates kept (``buf_doc``/``buf_score``, ``nb`` of them) with a float32 score at
    or above ``lam_final``, re-scored exactly (float64, tokens in query order: rank-bm25's
    summation order), best k first, ties by doc id: (doc ids, scores)."""
    nc = 0
    for i in range(nb):
        if buf_score[i] >= lam_final:
            buf_doc[nc] = buf_doc[i]
            nc += 1
    cand = np.sort(buf_doc[:nc]).astype(np.int64)
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
    return out_doc, out_score


@njit(cache=True, nogil=True)
def _error_bound(m):
    """(eps, shrink) for a query of ``m`` tokens: the relative error bound of a float32 sum (see
    nb_query), and the factor that lowers the running k-th best to the candidates' threshold
    (the 2^-20: float32(x) <= x below)."""
    eps = (m + 4) * 2.0 ** -23
    return eps, (1.0 - 3.0 * eps) * (1.0 - 2.0 ** -20)


@njit(cache=True, nogil=True)
def block_candidates(acc, touched, nt, b0, buf_doc, buf_score, nb, heap, hn, k, thr, shrink):
    """The selection over a list of rows (nb_query's touched list, or one block's; their ``acc``
    goes back to 0): keep each doc (row + ``b0``) whose float32 score reaches ``thr``, the running
    k-th best lowered by the error bound. Returns (nb, hn, thr)."""
    for i in range(nt):
        r = touched[i]
        sc = acc[r]
        acc[r] = 0
        if sc >= thr:
            buf_doc[nb] = r + b0
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
    return nb, hn, thr


@njit(cache=True, nogil=True)
def nb_query(term_off, docs, w, tf, dl, idf, maxw, seq, k, k1, b, avgdl,
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
    eps, shrink = _error_bound(m)
    if buf_doc.shape[0] <= n_docs or buf_score.shape[0] < n_docs or k < 1:
        raise ValueError("scratch buffers too small or k < 1")

    ut, uc, tok_u, nu = _distinct_terms(seq)

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
    thr = np.float32(1e-45)
    # The dense scan repeats block_candidates' body on purpose: factored into an inlined helper
    # that returns (nb, hn, thr), it got ~30x slower at p95 (measured at 100k: 0.10 ms -> 3.0 ms),
    # as numba no longer kept the threshold in a register.
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
    else:   # in place: the write index nb never passes the read index
        nb, hn, thr = block_candidates(acc, buf_doc, nt, 0, buf_doc, buf_score, nb, heap, hn, k, thr, shrink)

    lam_final = heap[0] * (1.0 - 3.0 * eps) if hn == k else 0.0
    out_doc, out_score = _exact_top_k(term_off, docs, tf, dl, idf, ut, tok_u, m, k, k1, b, avgdl,
                                      buf_doc, buf_score, nb, lam_final)
    path = 2 if pruned_from < nu else (1 if dense else 0)
    return out_doc, out_score, path


# -- the blocked kernel: cache-local accumulation ---------------------------------------------
#
# nb_query adds each term's postings into a float32 accumulator of N docs (4 MB at a million):
# its reads and writes land all over it, and a question's other work (reading passages,
# tokenizing) has evicted it from the caches by the next question, so each posting costs a
# cache miss. nb_query_blocked walks the docs in blocks of ``block`` (32,768: 128 KB of
# accumulator), adding every term's postings of one block before the next, so the accumulator
# it touches stays in the core's own cache. It has no MaxScore pruning: ``FastBM25`` uses it
# for queries whose common terms it could not prune (``index.bm25.scorers.BLOCKED_PRUNABLE``).


@njit(cache=True, nogil=True)
def _block_accumulate(docs, w, pos, end, stop, cfs, nu, b0, b1, acc, touched):
    """Add the postings of docs [b0, b1) of every term into ``acc[d - b0]``, advancing ``pos``
    (``stop``: scratch); returns how many rows are listed in ``touched`` (every row with a
    nonzero sum, once)."""
    count = 0
    for j in range(nu):
        stop[j] = _gallop(docs, pos[j], end[j], b1)
        count += stop[j] - pos[j]
    nt = 0
    if count * 8 > b1 - b0:   # dense: accumulate, then list the nonzero rows in one scan
        for j in range(nu):
            cf = cfs[j]
            for p in range(pos[j], stop[j]):
                acc[docs[p] - b0] += w[p] * cf
            pos[j] = stop[j]
        for r in range(b1 - b0):
            touched[nt] = r
            nt += acc[r] != 0
        return nt
    for j in range(nu):
        cf = cfs[j]
        for p in range(pos[j], stop[j]):   # branch-free append, as in nb_query
            r = docs[p] - b0
            touched[nt] = r
            nt += acc[r] == 0
            acc[r] += w[p] * cf
        pos[j] = stop[j]
    return nt


@njit(cache=True, nogil=True)
def nb_query_blocked(term_off, docs, w, tf, dl, idf, seq, k, k1, b, avgdl, block, acc, buf_doc, buf_score, touched):
    """nb_query's exact top-k (same results: its exactness argument holds in any summation
    order) with the docs taken in blocks; returns (doc ids, scores, 3). ``touched`` (int32,
    ``block`` + 1) is the calling thread's scratch besides nb_query's three buffers."""
    n_docs = acc.shape[0]
    m = seq.shape[0]
    eps, shrink = _error_bound(m)
    if (buf_doc.shape[0] <= n_docs or buf_score.shape[0] < n_docs or k < 1 or block < 1
            or touched.shape[0] <= min(block, n_docs)):
        raise ValueError("scratch buffers too small, k < 1 or block < 1")
    ut, uc, tok_u, nu = _distinct_terms(seq)
    pos = np.empty(nu, np.int64)
    end = np.empty(nu, np.int64)
    stop = np.empty(nu, np.int64)
    cfs = np.empty(nu, np.float32)
    for j in range(nu):
        pos[j] = term_off[ut[j]]
        end[j] = term_off[ut[j] + 1]
        cfs[j] = np.float32(uc[j])
    heap = np.empty(k, np.float32)
    hn = 0
    nb = 0
    thr = np.float32(1e-45)
    for b0 in range(0, n_docs, block):
        b1 = min(b0 + block, n_docs)
        nt = _block_accumulate(docs, w, pos, end, stop, cfs, nu, b0, b1, acc, touched)
        nb, hn, thr = block_candidates(acc, touched, nt, b0, buf_doc, buf_score, nb, heap, hn, k, thr, shrink)
    lam_final = heap[0] * (1.0 - 3.0 * eps) if hn == k else 0.0
    out_doc, out_score = _exact_top_k(term_off, docs, tf, dl, idf, ut, tok_u, m, k, k1, b, avgdl,
                                      buf_doc, buf_score, nb, lam_final)
    return out_doc, out_score, 3
