"""Ids in the order they first occur in a sequence: a numba pass (O(n)), or numpy's unique."""
from __future__ import annotations

import numpy as np

from index.bm25.kernels import HAVE_NUMBA, njit


@njit(cache=True, nogil=True)
def _nb_first_order(seq, n):
    seen = np.zeros(n, np.bool_)
    out = np.empty(n, np.int64)
    k = 0
    for i in range(seq.shape[0]):
        v = seq[i]
        if not seen[v]:
            seen[v] = True
            out[k] = v
            k += 1
    return out[:k]


def first_order(seq: np.ndarray, n: int) -> np.ndarray:
    """The distinct values of ``seq`` (ids in ``[0, n)``) in order of first occurrence."""
    if HAVE_NUMBA:
        return _nb_first_order(np.ascontiguousarray(seq), n)
    uniq, first = np.unique(seq, return_index=True)
    return uniq[np.argsort(first, kind="stable")]
