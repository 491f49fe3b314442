"""A learned order over the candidates: a score from measured features of each candidate, fitted
as a conditional logit (a softmax over each question's candidates, ``lr.fit_listwise``) so that
the passages holding the labelled questions' evidence come first (``python -m bot fit``;
``cross_validate`` refits it on four fifths, like the decision). Fitted per question, it learns
which candidate of a question holds the answer, not how likely a question is to have one: a
pointwise logistic regression over all questions' candidates pooled did the latter too, and
scored 7 fewer of 228 other-language blind questions at rank 1.

It replaces nothing it learns from: the fused rank (``ranking.fuse``), the lexical and meaning
ranks and the evidence ``ranking.lexical_order`` sorts by are among its features, so it learns how
much each one counts instead of a fixed order of precedence. Only with the semantic stage (its
features are half meaning); BM25 alone keeps the lexical order.

English questions have a model of their own, fitted on English questions alone: their lexical
features carry their words, while a question in another language matches no English term, so one
model of every language weighs the lexical features for neither (session 43, on dumped analyses:
the shared files cross-validated, 315 -> 317 of 339 English at rank 3; each blind set left out
851 -> 849 of 902; the held-out sets 152 -> 153 of 163). Other languages keep the model of every
language: fitted on their questions alone it has about half as many to learn from.

One feature is learnt too: each candidate's cosine with the question's vector as the query map
maps it (``query_map.py``, ``mapped_gap``), fitted with the ranker on the same questions.

The model weighs the product of each pair of features too (``with_products``): how much a
feature counts depends on another (coverage means more for a passage meaning also ranks near the
best). Session 59, on dumped analyses: English at ranks 1 and 3, shared files 292/322 -> 292/325
of 339, each blind set left out 1370/1454 -> 1389/1461 of 1502, held out 202/213 -> 203/213 of
223; other languages 324/362 -> 329/360 of 384, 867/940 -> 875/943 of 988, 118/127 -> 119/128 of
132. The penalty was chosen between 3 and 30 by the same kind of cross-validation of the ranker
alone (at 30 the products gained nothing at rank 1).
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.answering.evidence import (
    QuestionEvidence,
    asks_shape,
    coverage,
    is_fragment,
    missing_content,
    not_the_voice_asked,
    out_of_scope,
    shape_misfit,
    timeline_misfit,
)
from bot.answering.lr import Logistic
from bot.answering.query_map import QueryMap
from index.retrieval.protocol import Candidate, Retriever

RANK_FEATURES = ("fused", "lexical", "meaning", "dense_gap", "sentence_gap", "coverage", "bm25_share",
                 "shape_fits", "fragment", "timeline_misfit", "voice_misfit", "out_of_scope",
                 "missing_share", "length", "mapped_gap")
# The model weighs each feature and each product of two: how much one counts depends on another
# (a passage's coverage means more when meaning ranks it near the best too).
_PAIRS = tuple(itertools.combinations(range(len(RANK_FEATURES)), 2))
_FIRST, _SECOND = np.array([i for i, _ in _PAIRS]), np.array([j for _, j in _PAIRS])
MODEL_FEATURES = RANK_FEATURES + tuple(f"{RANK_FEATURES[i]}*{RANK_FEATURES[j]}" for i, j in _PAIRS)
L2 = 3.0


def with_products(rows: np.ndarray) -> np.ndarray:
    """RANK_FEATURES rows with the products of each pair of them after (MODEL_FEATURES)."""
    rows = np.asarray(rows, float).reshape(-1, len(RANK_FEATURES))
    return np.hstack([rows, rows[:, _FIRST] * rows[:, _SECOND]])


def _reciprocal(order: list[Candidate]) -> dict[str, float]:
    return {c.passage.id: 1.0 / (1 + rank) for rank, c in enumerate(order, 1)}


def _sentence_top(c: Candidate) -> float:
    return max(c.sentence_scores, default=c.dense or 0.0) if c.dense is not None else 0.0


def candidate_rows(retriever: Retriever, fused: list[Candidate], lexical: list[Candidate],
                   dense: list[Candidate], ev: QuestionEvidence, mapped: dict[str, float] | None = None) -> np.ndarray:
    """One row of RANK_FEATURES per candidate of ``fused``: ranks as reciprocals, scores relative to
    the question's best candidate (a question's scale says nothing about a passage), evidence flags.
    ``mapped``: each candidate's cosine with the question's mapped vector, by passage id
    (``query_map``; None: not mapped, 0 for every candidate)."""
    by_fused, by_lexical, by_dense = _reciprocal(fused), _reciprocal(lexical), _reciprocal(dense)
    best_bm25 = max((c.bm25 for c in fused), default=0.0) or 1.0
    best_dense = max((c.dense for c in fused if c.dense is not None), default=0.0)
    best_sentence = max((_sentence_top(c) for c in fused), default=0.0)
    shaped = asks_shape(ev.shape)
    best_mapped = max(mapped.values(), default=0.0) if mapped else 0.0
    rows = []
    for c in fused:
        pid = c.passage.id
        rows.append((
            by_fused[pid], by_lexical.get(pid, 0.0), by_dense.get(pid, 0.0),
            (c.dense or 0.0) - best_dense, _sentence_top(c) - best_sentence,
            coverage(c, ev.weights, ev.about), c.bm25 / best_bm25,
            float(shape_misfit(retriever, c, ev) == 0) if shaped else 0.5,
            float(is_fragment(c)), float(timeline_misfit(c, ev)),
            float(not_the_voice_asked(retriever, c, ev)), float(out_of_scope(c, ev)),
            len(missing_content(c, ev)) / max(len(ev.content), 1),
            math.log1p(len(c.passage.text.split())),
            mapped[pid] - best_mapped if mapped else 0.0,
        ))
    return np.array(rows, float).reshape(len(rows), len(RANK_FEATURES))


@dataclass(frozen=True)
class Ranker:
    model: Logistic                    # fitted on the questions of every language
    english: Logistic | None = None    # fitted on the English ones alone (None: a file from before it)
    query_map: QueryMap | None = None  # maps the question for ``mapped_gap`` (``query_map.py``; saved beside)

    def order(self, candidates: list[Candidate], rows: np.ndarray, english: bool = False) -> list[Candidate]:
        """Most probable first; ties keep the given (fused) order."""
        if not candidates:
            return []
        model = self.english if english and self.english is not None else self.model
        p = model.probability(with_products(rows))
        return [candidates[i] for i in np.argsort(-p, kind="stable")]

    def to_json(self) -> dict:
        english = {"english": self.english.to_json()} if self.english is not None else {}
        return {"features": list(MODEL_FEATURES), "model": self.model.to_json(), **english}

    @classmethod
    def from_json(cls, data: dict, query_map: QueryMap | None = None) -> Ranker:
        """``query_map``: the map read from its own file (``decision.load_ranker``)."""
        if tuple(data["features"]) != MODEL_FEATURES:
            raise ValueError(f"the ranker was fitted on other features: {data['features']}")
        english = Logistic.from_json(data["english"]) if "english" in data else None
        return cls(Logistic.from_json(data["model"]), english, query_map)


Group = tuple[np.ndarray, np.ndarray]   # one question's candidate rows, and which hold its evidence


def fit_ranker(groups: Sequence[Group], english: Sequence[Group] = ()) -> Ranker | None:
    """Fit on (rows, holds-the-evidence) per answerable question, and the English model on
    ``english`` (those of ``groups`` that are English); questions none of whose candidates holds
    the evidence teach nothing about order and are left out."""
    from bot.answering.lr import fit_listwise

    def fitted(of: Sequence[Group]) -> Logistic | None:
        useful = [(with_products(X), y) for X, y in of if len(y) and y.any()]
        return fit_listwise(useful, l2=L2) if useful else None

    model = fitted(groups)
    return None if model is None else Ranker(model, fitted(english))
