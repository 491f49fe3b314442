"""The question prior: how likely the sources answer a question of this kind, from its meaning
alone. A logistic regression over the question's embedding, fitted on the labelled questions
(answerable or not): questions about a film's box office, a person's age or today's news point
in directions the sources' questions do not. The decision weighs it as one feature
(``question_prior``) beside the evidence of the best passage.

Its training questions' own values are out-of-fold (each from a fit on the folds without its
group: an item and its translations), so the decision learns how much the prior is worth on
questions it has not seen. What it learnt is about the sources it was fitted on: a question
whose best passage comes from a source the fit never saw (added since, or changed) gets the
neutral value, the mean on the training questions, and is decided by the other features.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from bot.answering.lr import Logistic, fit
from index.corpus.model import Source
from index.retrieval.protocol import Retriever
from index.text.tokenize import ENTITY_PREFIX

# Chosen by leaving each blind set out and by 5-fold cross-validation on the shared sets: the
# penalty mattered little between 3 and 100 (eval/README-history.md)
PRIOR_L2 = 10.0
# The sentence fit (``decision.FIT``): the same model over the question's vector times its best
# sentence's. Chosen among 10, 100 and 1000 the same two ways (1000: the only one better for other
# languages on both; at 10 and 100 the shared files lost answerable questions)
FIT_L2 = 1000.0
PRIOR_FOLDS = 5


def source_key(source: Source) -> str:
    """A source as the prior knows it: its id and its text's length (known without reading it)."""
    return f"{source.id}:{source.text_length}"


def intent_text(retriever: Retriever, text: str) -> str:
    """The question without the names it asks about ("how old is" of "how old is Satoru
    Mizushima"): what kind of question it is, not whom it is about (fitted on the whole question,
    "vautrin" alone was unanswerable: the labelled questions ask about her more than the sources
    tell). Each word once: a question padded with "the the the ..." is still the question it
    begins with."""
    read = retriever.names_mended(text)
    for token in sorted(retriever.analyzer.tokens_with_spans(read), key=lambda t: -t.start):
        if token.term.startswith(ENTITY_PREFIX):
            read = read[:token.start] + read[token.end:]
    words = {}
    for word in read.split():
        words.setdefault(word.casefold(), word)
    return " ".join(words.values())


@dataclass(frozen=True)
class QuestionPrior:
    model: Logistic              # P(answerable) from the question's embedding
    neutral: float               # the value of a question it says nothing about
    sources: frozenset[str]      # ``source_key`` of each source the labelled questions were asked of

    def value(self, vector: np.ndarray | None, top_source: str) -> float:
        """P(answerable) of a question by its meaning, given its best passage's source."""
        if vector is None or top_source not in self.sources:
            return self.neutral
        return float(self.model.probability(np.asarray(vector, float)[None, :])[0])

    def to_json(self) -> dict:
        return {"model": self.model.to_json(), "neutral": self.neutral, "sources": sorted(self.sources)}

    @classmethod
    def from_json(cls, data: dict) -> QuestionPrior:
        return cls(Logistic.from_json(data["model"]), float(data["neutral"]), frozenset(data["sources"]))


def fit_prior(vectors, answerable, groups: list[str], sources: frozenset[str], l2: float = PRIOR_L2
              ) -> tuple[QuestionPrior, np.ndarray]:
    """The prior fitted on all the labelled questions, and each one's out-of-fold value.
    (A question that is all names, with no vector, gets the neutral value.)"""
    known = np.array([v is not None for v in vectors], bool)
    X = np.asarray([v for v in vectors if v is not None], float)
    y = np.asarray(answerable, float)[known]
    fold = np.array([zlib.crc32(g.encode()) % PRIOR_FOLDS for g, k in zip(groups, known, strict=True) if k])
    values = np.full(len(y), float(y.mean()) if len(y) else 0.5)
    for f in range(PRIOR_FOLDS):
        train, test = fold != f, fold == f
        if test.any() and len(set(y[train])) == 2:
            values[test] = fit(X[train], y[train], l2=l2).probability(X[test])
    neutral = float(values.mean())
    held_out = np.full(len(vectors), neutral)
    held_out[known] = values
    return QuestionPrior(fit(X, y, l2=l2), neutral, frozenset(sources)), held_out
