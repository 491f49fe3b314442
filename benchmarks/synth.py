"""Seeded synthetic corpora and queries for the BM25 scale benchmark.

Passages are 40-120 tokens (uniform); tokens are i.i.d. Zipf(s=1.1) over 200k pseudo-words
``w0..w199999`` (``w0`` the most frequent). Integer ids are generated directly; strings are
only made where a consumer needs them. The streams are seeded separately, so the corpus of
N passages is an exact prefix of the corpus of M > N passages, and the queries are the same
at every size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VOCAB_SIZE = 200_000
ZIPF_S = 1.1
MIN_LEN, MAX_LEN = 40, 120
UNIFORM_LO, UNIFORM_HI = 1_000, 100_000      # uniform query terms: ids in [1k, 100k)
SELECTIVE_MIN = 1_000                        # "stopwords removed": ids >= 1000 only


def word(i: int) -> str:
    return f"w{i}"


def _zipf_cdf() -> np.ndarray:
    p = np.arange(1, VOCAB_SIZE + 1, dtype=np.float64) ** -ZIPF_S
    cdf = np.cumsum(p)
    return cdf / cdf[-1]


def zipf_ids(rng: np.random.Generator, size: int, cdf: np.ndarray, chunk: int = 4_000_000,
             out: np.ndarray | None = None) -> np.ndarray:
    """``size`` i.i.d. Zipf ids (0 = most frequent) by inverse CDF, in chunks."""
    out = np.empty(size, np.int32) if out is None else out
    for s in range(0, size, chunk):
        e = min(size, s + chunk)
        u = rng.random(e - s)
        out[s:e] = np.minimum(np.searchsorted(cdf, u, side="right"), VOCAB_SIZE - 1)
    return out


@dataclass
class Corpus:
    flat: np.ndarray          # int32 term ids (compacted: ids into ``vocab``)
    offsets: np.ndarray       # int64[N+1]
    vocab: list[str]          # the words that occur, in w-order
    n_tokens: int

    @property
    def n_docs(self) -> int:
        return len(self.offsets) - 1

    def token_lists(self) -> list[list[str]]:
        """The ``list[list[str]]`` form rank-bm25 needs (one shared str object per word)."""
        words = np.array(self.vocab, dtype=object)
        flat, off = self.flat, self.offsets.tolist()
        return [words[flat[off[i]:off[i + 1]]].tolist() for i in range(self.n_docs)]


def make_corpus(n_docs: int, seed: int) -> Corpus:
    ss = np.random.SeedSequence(seed)
    len_seed, tok_seed, _, _ = ss.spawn(4)
    lengths = np.random.default_rng(len_seed).integers(MIN_LEN, MAX_LEN + 1, size=n_docs)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    raw = zipf_ids(np.random.default_rng(tok_seed), int(offsets[-1]), _zipf_cdf())
    # keep only the words that occur (as a tokenizer-built vocabulary would)
    used = np.bincount(raw, minlength=VOCAB_SIZE) > 0
    remap = np.cumsum(used, dtype=np.int32) - 1
    flat = remap[raw]
    del raw
    vocab = [word(int(i)) for i in np.flatnonzero(used)]
    return Corpus(flat, offsets, vocab, int(offsets[-1]))


def _distinct(rng, n, draw) -> list[int]:
    out: list[int] = []
    while len(out) < n:
        x = int(draw())
        if x not in out:
            out.append(x)
    return out


def make_queries(n_queries: int, seed: int) -> tuple[list[list[str]], list[list[str]]]:
    """(mixed, selective) query sets of 2-8 distinct words each.

    mixed: half the terms from the corpus Zipf, half uniform from ids [1k, 100k): head-heavy,
    most queries contain one of w0..w10. selective: the same mix restricted to ids >= 1000
    (as if stopwords had been removed).
    """
    ss = np.random.SeedSequence(seed)
    _, _, mixed_seed, sel_seed = ss.spawn(4)
    cdf = _zipf_cdf()

    def one_set(rng, min_id):
        def zipf():
            while True:
                x = zipf_ids(rng, 1, cdf)[0]
                if x >= min_id:
                    return x

        def uniform():
            return rng.integers(UNIFORM_LO, UNIFORM_HI)

        out = []
        for _ in range(n_queries):
            n = int(rng.integers(2, 9))
            n_zipf = n // 2 + (int(rng.integers(0, 2)) if n % 2 else 0)
            ids = _distinct(rng, n_zipf, zipf)
            ids += _distinct(rng, n - n_zipf, uniform)
            ids = list(dict.fromkeys(ids))
            while len(ids) < n:             # a uniform draw may repeat a Zipf one
                x = int(uniform())
                if x not in ids:
                    ids.append(x)
            order = rng.permutation(len(ids))
            out.append([word(ids[i]) for i in order])
        return out

    return (one_set(np.random.default_rng(mixed_seed), 0),
            one_set(np.random.default_rng(sel_seed), SELECTIVE_MIN))
