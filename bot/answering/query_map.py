"""The query map: a linear map of a question's embedding toward the passages that answer it,
learnt from the labelled questions.

The embedding model is small and 4-bit: a question lands near the passages that answer it less
often than it could (by the model's cosine alone, the evidence passage came first for 72% of the
blind sets' English questions and 52% of their other-language ones). A matrix ``W`` (the identity
plus what was learnt) applied to the question's vector is fitted so that, among each labelled
question's candidates, the passages holding its evidence come first (a softmax over the
candidates' cosines, Adam steps, an L2 pull towards the identity). The ranker weighs each
candidate's mapped cosine, relative to the best one's, as one feature (``mapped_gap``), and the
English decision the best passage's (``mapped_top``). The passage the map puts first is one
labelled questions were answered from, so it looks more like an answer: a few more unanswerable
questions are answered (3 of 111 English ones on the shared files, session 45).

Like the question prior, what it learnt is about the sources it was fitted on: a candidate from a
source the fit never saw (added since, or changed) is scored with the question's own vector.
Training questions get their values from a map fitted without their group's fold (an item and
its translations), so the ranker and the decision learn how much the map is worth on questions
it has not seen.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answering.shipped_arrays import read_verified, to_npz

MAP_FOLDS = 5
# Chosen on the dumped analyses (session 45) among 0.01 and 0.1 (at 0.1 the evidence passage
# came first by the mapped cosine less often than by the model's own, for the shared files' English
# questions): the pull towards the identity, the softmax's temperature, Adam's steps and rate
L2 = 0.01
TEMPERATURE = 0.05
STEPS = 150
RATE = 0.01


@dataclass(frozen=True, eq=False)
class QueryMap:
    matrix: np.ndarray             # (dim, dim) float32: a question's vector times it
    sources: frozenset[str]        # ``question_prior.source_key`` of each source the fit saw

    def apply(self, vector: np.ndarray) -> np.ndarray:
        """The question's vector mapped, unit length."""
        mapped = np.asarray(vector, np.float32) @ self.matrix
        norm = float(np.linalg.norm(mapped))
        return mapped / norm if norm else mapped

    def cosines(self, vector: np.ndarray, passages: np.ndarray, sources: list[str]) -> np.ndarray:
        """Each passage's cosine with the mapped question; with the question itself for a
        passage of a source the fit never saw."""
        mapped = self.apply(vector)
        known = np.array([s in self.sources for s in sources], bool)
        return np.where(known, passages @ mapped, passages @ np.asarray(vector, np.float32))

    def to_bytes(self) -> bytes:
        return to_npz(matrix=self.matrix.astype(np.float16))

    def to_json(self, digest: str) -> dict:
        return {"sources": sorted(self.sources), "sha256": digest}

    @classmethod
    def load(cls, data: dict, npz: Path) -> QueryMap:
        """From the model file's entry and the matrix's file, verified against its SHA-256."""
        matrix = read_verified(npz, data["sha256"])["matrix"].astype(np.float32)
        return cls(matrix, frozenset(data["sources"]))

    def __eq__(self, other) -> bool:
        return (isinstance(other, QueryMap) and np.array_equal(self.matrix, other.matrix)
                and self.sources == other.sources)


@dataclass(frozen=True)
class Example:
    """One labelled question: its vector, its candidates' passage vectors, which hold its evidence."""
    vector: np.ndarray
    passages: np.ndarray
    holds: np.ndarray


def fit_map(examples: list[Example], sources: frozenset[str], steps: int = STEPS) -> QueryMap | None:
    """The map fitted on ``examples`` (those with a candidate holding the evidence; None: none has)."""
    useful = [e for e in examples if e.holds.any()]
    if not useful:
        return None
    # the candidates' distinct passages once, each question's softmax over its own (a mask)
    keys: dict[bytes, int] = {}
    columns = [[keys.setdefault(p.tobytes(), len(keys)) for p in e.passages] for e in useful]
    unique = np.zeros((len(keys), useful[0].passages.shape[1]), np.float32)
    for e, cols in zip(useful, columns, strict=True):
        unique[cols] = e.passages
    mask = np.full((len(useful), len(keys)), -np.inf, np.float32)
    target = np.zeros((len(useful), len(keys)), np.float32)
    for n, (e, cols) in enumerate(zip(useful, columns, strict=True)):
        mask[n, cols] = 0.0
        target[n, cols] = e.holds / e.holds.sum()
    X = np.array([e.vector for e in useful], np.float32)
    return QueryMap(_adam(X, unique, mask, target, steps), sources)


def _adam(X: np.ndarray, passages: np.ndarray, mask: np.ndarray, target: np.ndarray, steps: int) -> np.ndarray:
    """Cross-entropy of each question's softmax over its candidates' cosines, by Adam.

    The products are ordered for what is small: the distinct candidates are tens and the
    questions thousands, so ``X @ (W @ P.T)`` and ``(X.T @ G) @ P`` cost a tenth of
    ``(X @ W) @ P.T`` and ``X.T @ (G @ P)`` (the same values)."""
    identity = np.eye(X.shape[1], dtype=np.float32)
    W, first, second = identity.copy(), np.zeros_like(identity), np.zeros_like(identity)
    for step in range(1, steps + 1):
        logits = X @ (W @ passages.T) / TEMPERATURE + mask
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        gradient = (X.T @ (p - target)) @ passages / (TEMPERATURE * len(X)) + L2 * (W - identity)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        W -= RATE * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return W


def fit_with_held_out(examples: list[Example | None], groups: list[str], sources: frozenset[str]
                      ) -> tuple[QueryMap | None, list[QueryMap | None]]:
    """The map fitted on every example, and for each question (of ``groups``, with or without an
    example) the map fitted without its group's fold: a training question's value is a new one's."""
    fold = [zlib.crc32(g.encode()) % MAP_FOLDS for g in groups]
    given = [e for e in examples if e is not None]
    outside = {f: fit_map([e for e, g in zip(examples, fold, strict=True) if e is not None and g != f], sources)
               for f in set(fold)}
    return fit_map(given, sources), [outside[f] for f in fold]
