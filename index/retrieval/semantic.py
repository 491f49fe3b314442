"""The second stage: the question's embedding against passage and sentence vectors.

It re-scores BM25's hits (their dense score and per-sentence scores) and recalls passages BM25
missed (a paraphrase, another language). Its own ranking is by the dense score alone; the answer
builder fuses the two rankings.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.corpus.model import Corpus
from index.retrieval.protocol import Candidate, Query
from index.semantic.background import Background
from index.semantic.cache import VectorCache
from index.semantic.embedder import Embedder
from index.semantic.phrases import PhraseVectors
from index.semantic.vectors import SemanticIndex, units_of

if TYPE_CHECKING:
    from index.snapshot.table import PassageTable

log = logging.getLogger(__name__)
FIRST_TIME_NOTICE = 100


class TooMuchToEmbed(Exception):
    """A (re)load would embed more new texts than allowed; ``python -m bot build`` embeds them."""


class SemanticStage:
    def __init__(self, corpus: Corpus, passages: PassageTable, embedder: Embedder,
                 vectors_dir: Path | None = None, max_new: int | None = None):
        self.cache = VectorCache(embedder, vectors_dir)
        units = units_of(corpus, passages)
        new = self.cache.missing(units.texts)
        if max_new is not None and new > max_new:
            raise TooMuchToEmbed(f"{new} passages and sentences are not embedded yet (more than {max_new})")
        if new >= FIRST_TIME_NOTICE:  # the first start embeds the whole corpus: say why it waits
            log.warning("embedding %d new passages and sentences (about %d s; cached afterwards)", new, new // 15 + 1)
        self.index = SemanticIndex(passages, units, self.cache)
        self.background = Background(self.cache)
        self._row_of = passages.row_of   # a passage's row from its id, no table of a million ids
        # a short text measured against several passages (cross-validation ranks each question once a fold)
        self.phrases = PhraseVectors(embedder)

    def sentence_match(self, text: str, passage_id: str) -> float:
        """The best cosine of ``text`` (embedded as a question) with the passage's sentences."""
        return float(self.index.sentence_cosines(self.phrases.vector(text), self._row_of(passage_id)).max())

    def best_sentence_vector(self, vector: np.ndarray, passage_id: str) -> np.ndarray:
        """The vector of the passage's sentence nearest ``vector`` (its own when it has none)."""
        return self.index.best_sentence_vector(vector, self._row_of(passage_id))

    def passage_vectors(self, passage_ids: list[str]) -> np.ndarray:
        """The passages' own vectors, a row each."""
        return self.index.passage_vectors[[self._row_of(pid) for pid in passage_ids]]

    def add(self, query: Query, hits: list[Candidate], k: int, lexical, text: str | None = None,
            also: str = "") -> tuple[Query, list[Candidate]]:
        """Dense evidence for ``hits``, plus the best ``k`` dense passages BM25 did not return.
        ``text`` is what to embed (default: the query's text); ``also``, embedded with it, is kept."""
        text = text or query.text
        vector = self.phrases.embed([text, also] if also else [text])[text]
        rows = [self._row_of(h.passage.id) for h in hits]
        scores = self.index.scores(vector, pool=rows, top=max(k, 1))
        ranked = sorted(scores.combined, key=scores.combined.get, reverse=True)
        dense_rank = {row: r for r, row in enumerate(ranked, 1)}

        def with_dense(c: Candidate, row: int) -> Candidate:
            return replace(c, dense=scores.combined[row], dense_rank=dense_rank[row],
                           sentence_scores=tuple(float(s) for s in scores.sentence[row]))

        out = [with_dense(h, row) for h, row in zip(hits, rows, strict=True)]
        seen = set(rows)
        fresh = [row for row in ranked[:k] if row not in seen]
        recalled = [(row, passage) for row, passage in zip(fresh, lexical.passages_of(fresh), strict=True)
                    if passage is not None]
        matched = lexical.matched_all([row for row, _ in recalled], query.terms, query.heads)
        out += [with_dense(Candidate(passage, matched=m), row)
                for (row, passage), m in zip(recalled, matched, strict=True)]
        return replace(query, background=self.background.best(vector), vector=vector), out
