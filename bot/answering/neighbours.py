"""How the labelled questions nearest a new one in kind were labelled: a similarity-weighted vote
of its ``NEIGHBOURS`` nearest, answerable 1, unanswerable 0, capped at ``CAP`` (it can only speak
against answering).

Nearness is between the questions' texts without their names (``question_prior.intent_text``:
"when was born" of "When was John Rabe born?"), among the labelled questions whose best passage
came from the same source. By the whole question, the vote learnt whom questions were about:
"Who was John Rabe?" was declined because the nearest labelled questions were the unanswerable
"When was John Rabe born?" and "When did he die?". Without the source, it learnt "who directed"
is unanswerable (true of the film page, not of the blog, which names Mizushima). The vote of
every source speaks too, when it is lower and the best passage lacks some of the question's
words: "what's the weather in nanjing" found a film-page passage, whose labelled questions
nearest it were answerable ("what's the plot of ..."), while the weather questions, whose best
passages were other sources', did not vote. A passage holding every word ("Who directed the film
The Truth about Nanking?") leaves in doubt only whether its source answers questions of this form,
which its own questions tell (session 54, on dumped analyses, English answerable / unanswerable
declined: shared files 8/90 -> 8/92 of 339/111, each blind set left out 21/679 -> 21/685 of
1502/748, held out 3/120 -> 3/121 of 223/138; the lower of the two votes for every question,
8/94, 22/684 and 4/121: "Who directed the film The Truth about Nanking?" declined). A text asked
in several labelled sets counts once (its label the mean of its copies), so a question the
question writers repeat does not outvote the rest.

The question prior (``question_prior``) is one linear model over the whole space; the vote is
local. Weighed by the decisions with meaning (English questions', and since session 55 the other
languages': the vectors are multilingual) as one more feature (``decision.NEIGHBOURS``), fitted like
the prior on the labelled questions of every language, each one's own value out of fold (its
copies in the same fold). The vectors ship beside the decision model
(``decision_model.neighbours.npz``, float16), their SHA-256 in the model file, checked on load.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.answering.question_prior import PRIOR_FOLDS
from bot.answering.shipped_arrays import read_verified, to_npz

# k: chosen on dumped analyses in session 39 among {5, 10, 20, 40} (the vote over whole questions),
# by the shared files cross-validated and each blind set left out. The temperature, re-chosen for
# the vote over names-less texts in session 40 among 0.02, 0.05 and 0.1 (answerable / unanswerable
# declined, English, on the dumps; shared files of 324/105, each blind set left out of 770/363):
# 5/82 and 12/316, 9/77 and 7/304, 9/75 and 8/289 (without the vote 9/71 and 5/267). At 0.02 one
# near labelled question outvotes the rest: "When was the Safety Zone dissolved?" (the timeline
# answers "By March") was declined as the unanswerable "On what date was the Safety Zone dissolved?".
NEIGHBOURS = 20
TEMPERATURE = 0.05
# The vote speaks only against answering: above even, it says no more than even. Near questions
# that were answered share their form more than their subject, so a high vote answered off-topic
# questions (session 39: uncapped, eval/heldout-team.yaml had 24 -> 20 of its 36 unanswerable
# declined on dumped analyses; 0.3 and 0.5 measured).
CAP = 0.5


@dataclass(frozen=True, eq=False)
class NeighbourVote:
    vectors: np.ndarray          # one unit row per distinct labelled text (float32 in memory)
    answerable: np.ndarray       # the share of its copies that were answerable
    source: np.ndarray           # the index in ``sources_order`` of the source its best passage came from
    sources_order: tuple[str, ...]   # ``question_prior.source_key`` of each source asked of
    neutral: float               # the value of a question it says nothing about
    k: int = NEIGHBOURS
    temperature: float = TEMPERATURE

    @cached_property
    def _rows_by_source(self) -> dict[str, np.ndarray]:
        """Each source's rows, found once (not on every question)."""
        return {key: np.flatnonzero(self.source == n) for n, key in enumerate(self.sources_order)}

    def value(self, vector: np.ndarray | None, top_source: str, every_source: bool = True) -> float:
        """The vote for a question's names-less vector among the labelled questions answered
        from its best passage's source, or, with ``every_source``, among all of them when that is
        lower; neutral when fewer than ``k`` of them exist (a source added since the fit) or the
        question is all names."""
        rows = self._rows_by_source.get(top_source, ())
        if vector is None or len(rows) < self.k:
            return self.neutral
        similarities = self.vectors @ np.asarray(vector, np.float32)   # to every labelled question, once
        own = vote(similarities[rows], self.answerable[rows], self.k, self.temperature)
        every = vote(similarities, self.answerable, self.k, self.temperature) if every_source else own
        return min(own, every, CAP)

    def to_bytes(self) -> bytes:
        """The vectors, labels and sources as a compressed ``.npz`` (the rest goes in the model file)."""
        return to_npz(vectors=self.vectors.astype(np.float16), answerable=self.answerable.astype(np.float32),
                      source=self.source.astype(np.int16))

    def to_json(self, digest: str) -> dict:
        return {"neutral": self.neutral, "sources": list(self.sources_order), "k": self.k,
                "temperature": self.temperature, "sha256": digest}

    @classmethod
    def load(cls, data: dict, npz: Path) -> NeighbourVote:
        """From the model file's entry and the vectors' file, verified against its SHA-256."""
        arrays = read_verified(npz, data["sha256"])
        vectors = arrays["vectors"].astype(np.float32)
        answerable = arrays["answerable"].astype(np.float32)
        source = arrays["source"].astype(np.int64)
        return cls(vectors, answerable, source, tuple(data["sources"]), float(data["neutral"]),
                   int(data["k"]), float(data["temperature"]))

    def __eq__(self, other) -> bool:
        return (isinstance(other, NeighbourVote) and np.array_equal(self.vectors, other.vectors)
                and np.array_equal(self.answerable, other.answerable) and np.array_equal(self.source, other.source)
                and (self.sources_order, self.neutral, self.k, self.temperature)
                == (other.sources_order, other.neutral, other.k, other.temperature))


def vote(similarities: np.ndarray, labels: np.ndarray, k: int, temperature: float) -> float:
    """The labels of the ``k`` most similar, each weighed by exp(similarity / temperature)."""
    k = min(k, len(labels))
    top = np.argpartition(-similarities, k - 1)[:k]
    weights = np.exp((similarities[top] - similarities[top].max()) / temperature)
    return float(weights @ labels[top] / weights.sum())


def fit_neighbours(vectors, answerable, top_sources: list[str], sources: frozenset[str], k: int = NEIGHBOURS,
                   every_source: Sequence[bool] | None = None) -> tuple[NeighbourVote, np.ndarray]:
    """The vote over the labelled questions with a names-less vector (``vectors``), each asked of
    its best passage's source (``top_sources``), and each question's own value out of fold, so
    the decision learns how much to trust it from values like a new question's (``every_source``:
    each question's, as ``value`` takes it; None: all). Copies of one
    text (the same vector from the same source) are one row and share a fold: a question never
    votes for itself."""
    known = [n for n, v in enumerate(vectors) if v is not None]
    order = tuple(sorted(sources | {top_sources[n] for n in known}))
    rows: dict[tuple[bytes, str], list[int]] = {}
    for n in known:   # as shipped: float16
        rows.setdefault((np.asarray(vectors[n], np.float16).tobytes(), top_sources[n]), []).append(n)
    y = np.asarray(answerable, np.float32)
    keys = list(rows)
    X = np.array([np.frombuffer(b, np.float16) for b, _ in keys], np.float32).reshape(len(keys), -1)
    labels = np.array([y[rows[key]].mean() for key in keys], np.float32)
    source = np.array([order.index(s) for _, s in keys], np.int64)
    fold = np.array([zlib.crc32(b) % PRIOR_FOLDS for b, _ in keys])
    neutral = min(float(y[known].mean()) if known else 0.5, CAP)
    model = NeighbourVote(X, labels, source, order, neutral, k)
    held_out = np.full(len(vectors), neutral)
    for f in range(PRIOR_FOLDS):
        others = fold != f
        outside = NeighbourVote(X[others], labels[others], source[others], order, neutral, k)
        for row in np.flatnonzero(fold == f):
            for n in rows[keys[row]]:
                held_out[n] = outside.value(X[row], order[source[row]], every_source is None or every_source[n])
    return model, held_out
