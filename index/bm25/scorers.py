"""The fast BM25 scorer: exactly the reference's top-k (:mod:`index.bm25.reference`), in
milliseconds at a million passages.

:class:`FastBM25` returns the reference's top-k with its float64 scores bit for bit, through
term-major CSC postings (doc ids int32, precomputed float32 weights, term frequencies), a numba
kernel (or a pure-numpy fallback) that accumulates float32 scores, then an exact float64
re-rank of the few candidates the float32 error bound cannot rule out (the argument is written
at :func:`index.bm25.query_kernel.nb_query`). ``build_scorer`` is what the engine calls.

Next to it: :mod:`index.bm25.formula` (parameters, Lucene IDF), :mod:`index.bm25.build`
(postings from tokens), :mod:`index.bm25.kernels` and :mod:`index.bm25.query_kernel` (numba),
:mod:`index.bm25.numpy_ops` (the numpy fallbacks) and :mod:`index.bm25.files` (save / load,
plain ``.npy`` arrays + JSON, never pickle).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from index.bm25.build import Postings, build_postings, checked_token_ids, doc_offsets, term_ids
from index.bm25.files import read_postings, save_postings, validate_postings
from index.bm25.formula import DEFAULT_B, DEFAULT_K1, check_params
from index.bm25.kernels import HAVE_NUMBA
from index.bm25.numpy_ops import np_query
from index.bm25.query_kernel import nb_query, nb_query_blocked

__all__ = ["FastBM25", "build_scorer"]

# Query tuning, copied onto each FastBM25 when built (the attributes dense_fraction, prune_min,
# gallop_cost) and passed to the kernel as arguments: the kernels never read these names.
# A query switches from touched-list accumulation to a dense accumulate + one full scan when
# its next term's postings plus the docs already touched reach this share of N (flat between
# 1/32 and 1/2 at 1M passages once pruning is on; benchmarks/NOTES-bm25-scale.md).
DENSE_FRACTION = 1.0 / 8.0
# MaxScore pruning is only tried when the query still has this many postings to read ...
# (0: prune whenever the bound allows, whatever it costs; the tests use that)
PRUNE_MIN_POSTINGS = 4096
# ... and taken when (surviving candidates x remaining terms x GALLOP_COST) < those postings.
GALLOP_COST = 16
# The blocked kernel (``nb_query_blocked``: cache-local, no pruning; blocks of BLOCK_DOCS docs)
# scores a query whose postings total under BLOCKED_TOTAL of N, unless nb_query could prune its
# most common term (MaxScore skips a term whose largest contribution is well under what the top
# k score): blocked while that term's bound is at least BLOCKED_PRUNABLE of the best bound of
# another term in k docs or more. Figures: benchmarks/NOTES-bm25-scale.md, item 15.
BLOCKED_TOTAL = 0.5
BLOCKED_PRUNABLE = 0.3
BLOCK_DOCS = 32_768


class FastBM25:
    """Exact rank-bm25/Lucene-IDF top-k over term-major postings.

    Build with ``FastBM25(tokenized_docs)``, ``FastBM25.from_token_ids(...)`` or
    ``FastBM25.load(dir)``. Immutable after construction; ``top_k`` may be called from any
    number of threads at once (each thread gets its own scratch buffers, 12 bytes x N, and 128 KB
    for the blocked kernel).

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
        offsets = doc_offsets(docs)
        ids, flat = term_ids(docs, offsets)
        self._build(flat, offsets, list(ids), ids, k1, b, backend)

    @classmethod
    def from_token_ids(cls, doc_term_ids, doc_offsets, vocab: Sequence[str],
                       k1: float = DEFAULT_K1, b: float = DEFAULT_B, *,
                       backend: str = "auto") -> FastBM25:
        """Fast build from integer term ids: document i is
        ``vocab[doc_term_ids[doc_offsets[i]:doc_offsets[i+1]]]``. Equal to building from the
        corresponding token lists, except that term ids are yours (vocab order) and terms of
        ``vocab`` that never occur are kept (they match nothing)."""
        flat, offsets, vocab, ids = checked_token_ids(doc_term_ids, doc_offsets, vocab)
        self = cls.__new__(cls)
        self._build(flat, offsets, vocab, ids, k1, b, backend)
        return self

    def _build(self, flat, offsets, vocab, ids, k1, b, backend):
        k1, b = check_params(k1, b)
        self._set_backend(backend)
        self._init(k1, b, vocab, ids, build_postings(flat, offsets, len(vocab), k1, b, self.backend))

    def _init(self, k1: float, b: float, vocab: Sequence[str], ids: dict[str, int], p: Postings) -> None:
        self.k1 = k1
        self.b = b
        self.total_tokens = p.total_tokens
        self.n_docs = int(p.doc_len.size)
        self.avgdl = p.total_tokens / self.n_docs if self.n_docs else 0.0
        self.vocab: tuple[str, ...] = tuple(vocab)
        self._term_ids = ids
        self.term_offsets = p.term_offsets
        self.doc_ids = p.doc_ids
        self.weights = p.weights
        self.tf = p.tf
        self.doc_len = p.doc_len
        self.idf = p.idf
        self.max_weight = p.max_weight
        self.dense_fraction = DENSE_FRACTION
        self.prune = True
        self.prune_min = PRUNE_MIN_POSTINGS
        self.gallop_cost = GALLOP_COST
        self.blocked_total = BLOCKED_TOTAL
        self.blocked_prunable = BLOCKED_PRUNABLE
        self.block_docs = BLOCK_DOCS
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

    @property
    def last_path(self) -> int:
        """How this thread's last numba query accumulated: 0 touched-list, 1 dense, 2 pruned
        (see ``nb_query``), 3 in blocks (``nb_query_blocked``); for tests and benchmarks."""
        return self._local.last_path

    def df(self, term: str) -> int:
        t = self._term_ids.get(term)
        return 0 if t is None else int(self.term_offsets[t + 1] - self.term_offsets[t])

    def postings(self, term: str) -> np.ndarray:
        """The ascending doc ids that contain ``term`` (empty for an unknown term)."""
        t = self._term_ids.get(term)
        if t is None:
            return self.doc_ids[:0]
        return self.doc_ids[self.term_offsets[t]:self.term_offsets[t + 1]]

    # -- queries ------------------------------------------------------------------------

    def _query_ids(self, query_tokens) -> list[int]:
        get = self._term_ids.get
        ids = [get(t) for t in query_tokens]
        return [i for i in ids if i is not None]

    def top_k(self, query_tokens: Sequence[str], k: int = 10) -> list[tuple[int, float]]:
        """The k best documents: (doc index, score), score desc, ties by doc index; score > 0.
        Identical to ``ReferenceBM25.top_k`` (same docs, same order, same float64 scores)."""
        k = min(int(k), self.n_docs)
        if k <= 0:
            return []
        seq = self._query_ids(query_tokens)
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

    def _block_rows(self) -> np.ndarray:
        """This thread's list of one block's rows (``nb_query_blocked``), with the spare slot."""
        size = min(self.block_docs, self.n_docs) + 1
        rows = getattr(self._local, "rows", None)
        if rows is None or rows.shape[0] != size:
            rows = self._local.rows = np.empty(size, np.int32)
        return rows

    def _top_k_numba(self, seq: list[int], k: int) -> list[tuple[int, float]]:
        return self._numba_top_k(seq, k, self._blocked(seq, k))

    def _blocked(self, seq: list[int], k: int) -> bool:
        """Whether ``nb_query_blocked`` scores this query (BLOCKED_TOTAL, BLOCKED_PRUNABLE)."""
        off, maxw = self.term_offsets, self.max_weight   # a few terms: cheaper than numpy calls
        terms = [(int(off[t + 1]) - int(off[t]), seq.count(t) * float(maxw[t])) for t in set(seq)]
        common = max(range(len(terms)), key=lambda i: terms[i][0])
        best = max((bound for i, (df, bound) in enumerate(terms) if df >= k and i != common), default=0.0)
        total = sum(df for df, _ in terms)
        return total < self.blocked_total * self.n_docs and terms[common][1] >= self.blocked_prunable * best

    def _numba_top_k(self, seq: list[int], k: int, blocked: bool) -> list[tuple[int, float]]:
        acc, buf_doc, buf_score = self._scratch()
        ids = np.array(seq, dtype=np.int64)
        if blocked:
            docs, scores, path = nb_query_blocked(
                self.term_offsets, self.doc_ids, self.weights, self.tf, self.doc_len, self.idf, ids, k,
                self.k1, self.b, self.avgdl, int(self.block_docs), acc, buf_doc, buf_score, self._block_rows())
        else:
            docs, scores, path = nb_query(
                self.term_offsets, self.doc_ids, self.weights, self.tf, self.doc_len, self.idf,
                self.max_weight, ids, k, self.k1, self.b, self.avgdl,
                int(self.n_docs * self.dense_fraction), bool(self.prune), int(self.prune_min),
                int(self.gallop_cost), acc, buf_doc, buf_score)
        self._local.last_path = path   # for tests and benchmarks: see nb_query
        return list(zip(docs.tolist(), scores.tolist(), strict=True))

    def _top_k_numpy(self, seq: list[int], k: int) -> list[tuple[int, float]]:
        """Pure-numpy path (index.bm25.numpy_ops.np_query): no pruning, no shared state."""
        return np_query(self.term_offsets, self.doc_ids, self.weights, self.tf, self.doc_len,
                         self.idf, seq, k, self.k1, self.b, self.avgdl, self.dense_fraction)

    def get_scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Exact float64 scores of every document, as rank-bm25's ``get_scores`` (O(N)); a doc
        without any query term scores 0 (rank-bm25 says NaN for 0/0 when it is empty and
        b = 1, or when every document is empty)."""
        scores = np.zeros(self.n_docs, np.float64)
        k1, b, avgdl = self.k1, self.b, self.avgdl
        for t in self._query_ids(query_tokens):
            s, e = int(self.term_offsets[t]), int(self.term_offsets[t + 1])
            d = self.doc_ids[s:e]
            tfv = self.tf[s:e].astype(np.int64)
            dlv = self.doc_len[d].astype(np.int64)
            scores[d] += self.idf[t] * (tfv * (k1 + 1) / (tfv + k1 * (1 - b + b * dlv / avgdl)))
        return scores

    def warmup(self) -> None:
        """Compile (or load from numba's disk cache) the query kernels for this index's array
        types, so the first real question does not pay for them (numpy: nothing to compile)."""
        if self.backend != "numba" or not (self.n_terms and self.n_docs):
            return
        seq = self._query_ids([self.vocab[int(np.argmax(np.diff(self.term_offsets)))]])
        for blocked in (False, True):   # both kernels, whichever this term would take
            self._numba_top_k(seq, 1, blocked)

    # -- persistence --------------------------------------------------------------------

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"term_offsets": self.term_offsets, "doc_ids": self.doc_ids,
                "tf": self.tf, "doc_len": self.doc_len, "idf": self.idf}

    def save(self, directory: Path | str) -> None:
        """Write the index as .npy arrays + vocab.json + bm25.json (no pickle); an
        interrupted save leaves a directory that ``load`` rejects (index.bm25.files)."""
        save_postings(directory, self._arrays(), self.vocab, k1=self.k1, b=self.b,
                   n_docs=self.n_docs, n_terms=self.n_terms, n_postings=self.n_postings,
                   total_tokens=self.total_tokens)

    @classmethod
    def load(cls, directory: Path | str, mmap: bool = True, *, backend: str = "auto",
             blobs: Mapping[str, bytes] | None = None) -> FastBM25:
        """Load a saved index, validating it completely; ``IndexFormatError`` if it is not a
        sound index of this format. With ``mmap`` the arrays stay in the page cache
        (read-only memory maps) instead of being copied into the process. With ``blobs``
        (file name -> bytes, e.g. read and hash-checked by ``index.store``) nothing is read
        from ``directory``, which only names the index in messages, and the arrays are views
        of those private bytes: no other process can change them under the bot."""
        directory = Path(directory)
        found = read_postings(directory, mmap, blobs)
        self = cls.__new__(cls)
        self._set_backend(backend)    # after the file checks, before the postings'
        weights, maxw = validate_postings(directory, self.backend, found)
        a = found.arrays
        self._init(found.k1, found.b, found.vocab, found.term_ids,
                   Postings(found.total_tokens, a["term_offsets"], a["doc_ids"], weights, a["tf"],
                            a["doc_len"], a["idf"], maxw))
        return self


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
