"""How the labelled questions nearest a new one in meaning were labelled: a similarity-weighted
vote of its ``NEIGHBOURS`` nearest (by the question's embedding), answerable 1, unanswerable 0,
capped at ``CAP`` (it can only speak against answering).

The question prior (``question_prior``) is one linear model over the whole question space; the
vote is local: "when did the battle of Stalingrad end" is near the off-topic history questions
people asked, whatever the prior's single direction says. Weighed by the English decision as one
more feature (``decision.NEIGHBOURS``); fitted, like the prior, on the labelled questions of every
language, each one's own value out of fold. The vectors ship beside the decision model
(``decision_model.neighbours.npz``, float16), with their SHA-256 in the model file, checked on load.
"""
from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answering.question_prior import PRIOR_FOLDS

# Chosen on dumped analyses among k in {5, 10, 20, 40} and temperature in {0.02, 0.05, 1}
# (1: nearly an unweighted vote), by the shared files cross-validated and each blind set left out
# (README, "Answer quality"): 20 and 0.02 were among the best on both.
NEIGHBOURS = 20
TEMPERATURE = 0.02
# The vote speaks only against answering: above even, it says no more than even. Near questions
# that were answered share their form more than their subject ("when did japan attack pearl
# harbor" is near "when did japan invade China"), so a high vote answered off-topic questions of
# a writer whose forms the labelled ones share: uncapped, 5 fewer of the 36 unanswerable of
# eval/heldout-team.yaml were declined (24 -> 20). Capped at 0.5 (0.3 and 0.5 measured), on dumped
# analyses: held out 84 -> 88 of 102 declined, shared files 8 -> 4 answerable declined (90 -> 86
# unanswerable), each blind set left out 7 -> 6 (268 both).
CAP = 0.5


@dataclass(frozen=True, eq=False)
class NeighbourVote:
    vectors: np.ndarray          # one unit row per labelled question (float32 in memory)
    answerable: np.ndarray       # their labels, 1.0 or 0.0
    neutral: float               # the value of a question it says nothing about
    sources: frozenset[str]      # ``question_prior.source_key`` of the sources they were asked of
    k: int = NEIGHBOURS
    temperature: float = TEMPERATURE

    def value(self, vector: np.ndarray | None, top_source: str) -> float:
        """The vote for a question's vector, given its best passage's source (a source the
        labelled questions were never asked of: they say nothing)."""
        if vector is None or top_source not in self.sources or not len(self.answerable):
            return self.neutral
        return min(vote(self.vectors @ np.asarray(vector, np.float32), self.answerable, self.k, self.temperature), CAP)

    def to_bytes(self) -> bytes:
        """The vectors and labels as a compressed ``.npz`` (the rest goes in the model file)."""
        out = io.BytesIO()
        np.savez_compressed(out, vectors=self.vectors.astype(np.float16), answerable=self.answerable.astype(np.int8))
        return out.getvalue()

    def to_json(self, digest: str) -> dict:
        return {"neutral": self.neutral, "sources": sorted(self.sources), "k": self.k,
                "temperature": self.temperature, "sha256": digest}

    @classmethod
    def load(cls, data: dict, npz: Path) -> NeighbourVote:
        """From the model file's entry and the vectors' file, verified against its SHA-256."""
        raw = Path(npz).read_bytes()
        if hashlib.sha256(raw).hexdigest() != data["sha256"]:
            raise ValueError(f"{npz} does not match the SHA-256 the decision model records for it; "
                             "refit (python -m bot fit) or restore both files together")
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            vectors = arrays["vectors"].astype(np.float32)
            answerable = arrays["answerable"].astype(np.float32)
        return cls(vectors, answerable, float(data["neutral"]), frozenset(data["sources"]),
                   int(data["k"]), float(data["temperature"]))

    def __eq__(self, other) -> bool:
        return (isinstance(other, NeighbourVote) and np.array_equal(self.vectors, other.vectors)
                and np.array_equal(self.answerable, other.answerable) and self.neutral == other.neutral
                and self.sources == other.sources and (self.k, self.temperature) == (other.k, other.temperature))


def vote(similarities: np.ndarray, labels: np.ndarray, k: int, temperature: float) -> float:
    """The labels of the ``k`` most similar, each weighed by exp(similarity / temperature)."""
    k = min(k, len(labels))
    top = np.argpartition(-similarities, k - 1)[:k]
    weights = np.exp((similarities[top] - similarities[top].max()) / temperature)
    return float(weights @ labels[top] / weights.sum())


def fit_neighbours(vectors, answerable, groups: list[str], sources: frozenset[str]
                   ) -> tuple[NeighbourVote, np.ndarray]:
    """The vote over all the labelled questions with a vector, and each question's own value
    out of fold (the folds of ``question_prior.fit_prior``: translations stay together), so the
    decision learns how much to trust it from values like a new question's."""
    known = np.array([v is not None for v in vectors], bool)
    X = np.asarray([v for v in vectors if v is not None], np.float32).reshape(int(known.sum()), -1)
    X = X.astype(np.float16).astype(np.float32)   # as shipped
    y = np.asarray(answerable, np.float32)[known]
    fold = np.array([zlib.crc32(g.encode()) % PRIOR_FOLDS for g, k in zip(groups, known, strict=True) if k])
    neutral = min(float(y.mean()) if len(y) else 0.5, CAP)
    values = np.full(len(y), neutral)
    for f in range(PRIOR_FOLDS):
        mine, others = fold == f, fold != f
        if mine.any() and others.any():
            similarities = X[mine] @ X[others].T
            values[mine] = [min(vote(row, y[others], NEIGHBOURS, TEMPERATURE), CAP) for row in similarities]
    held_out = np.full(len(vectors), neutral)
    held_out[known] = values
    return NeighbourVote(X, y, neutral, frozenset(sources)), held_out
