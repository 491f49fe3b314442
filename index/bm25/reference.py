"""The reference scorer: rank-bm25's ``BM25Okapi`` with the Lucene IDF. It *defines* our scoring.

For a query token list ``q`` (repeated tokens count repeatedly, unknown tokens add nothing)::

    idf(t)    = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))          (index.bm25.formula)
    score(d)  = sum over tokens t of q, in order, in float64, of
                idf(t) * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl(d) / avgdl)))

``top_k(query_tokens, k) -> [(doc_index, score), ...]``: score descending, ties by doc index
ascending, only documents with score > 0; :class:`index.bm25.scorers.FastBM25` returns the
same, bit for bit.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import rank_bm25

from index.bm25.formula import DEFAULT_B, DEFAULT_K1, check_params, lucene_idf

__all__ = ["ReferenceBM25", "top_k_from_scores"]


def top_k_from_scores(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
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
    return [(int(d), float(v)) for d, v in zip(nz[order].tolist(), sel[order].tolist(), strict=True)]


class ReferenceBM25(rank_bm25.BM25Okapi):
    """rank-bm25's ``BM25Okapi`` with the Lucene IDF: the definition of our scoring.

    Give it pre-tokenized ``list[list[str]]``. It never receives a ``tokenizer=`` (rank-bm25
    would open a process pool for it). ``get_scores`` is rank-bm25's own, unchanged.
    """

    def __init__(self, tokenized_docs: Iterable[Sequence[str]], k1: float = DEFAULT_K1,
                 b: float = DEFAULT_B):
        k1, b = check_params(k1, b)
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
        return top_k_from_scores(scores, int(k))
