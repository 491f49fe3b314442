"""BM25's definitions, shared by every scorer: the parameters and the Lucene IDF.

``lucene_idf`` is the one IDF of the project (the engine's and the scorers'): computed with
``math.log``, so bit-identical to the reference scorer.
"""
from __future__ import annotations

import math

import numpy as np

DEFAULT_K1 = 1.5
DEFAULT_B = 0.75


def check_params(k1: float, b: float) -> tuple[float, float]:
    """``(k1, b)`` as floats, or ``ValueError`` saying which one is out of range."""
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


def idf_array(n_docs: int, df: np.ndarray) -> np.ndarray:
    """``lucene_idf`` per term, computed with ``math.log`` exactly as the reference does
    (numpy's SIMD log may differ in the last bit); one log per distinct df value."""
    values, inverse = np.unique(np.asarray(df, dtype=np.int64), return_inverse=True)
    logs = np.array([lucene_idf(n_docs, int(v)) for v in values.tolist()], dtype=np.float64)
    return logs[inverse].reshape(-1) if len(df) else np.zeros(0, dtype=np.float64)
