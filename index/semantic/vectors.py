"""The semantic index of one snapshot: a vector per passage and per sentence, and cosine scores.

What is embedded carries the passage's document context, so a passage of the blog post that never
repeats the film's name is still found by it: ``{source title} — {section} — {date}: {text}``
(measured on the labelled questions: +8-9 points success@1 for dense retrieval over the bare
text). The quoted text is always the verbatim passage; the prefix only steers the vectors.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.corpus.model import Corpus
from index.passages import Passage, sentences
from index.semantic.cache import VectorCache

# Passages scored by sentence as well as whole: the best dense candidates plus the lexical ones.
SENTENCE_POOL = 64


def context_prefix(corpus: Corpus, passage: Passage) -> str:
    source = corpus.source_by_id[passage.source_id]
    parts = [source.title, passage.section or "", passage.date_text or ""]
    return " — ".join(p for p in parts if p)


def sentence_spans(passage: Passage) -> list[tuple[int, int]]:
    """Spans (in the source's text) of the passage's sentences; a timeline line is one. Cut from
    the passage's own text: the same spans as cutting the source's text between its ends, without
    the source's text (which a large corpus does not keep in memory)."""
    if passage.is_timeline:
        return [(passage.start, passage.end)]
    base = passage.start
    return [(s + base, e + base) for s, e in sentences(passage.text)] or [(passage.start, passage.end)]


@dataclass(frozen=True)
class DenseScores:
    combined: dict[int, float]   # for the pool: mean of the passage cosine and its best sentence's
    sentence: dict[int, np.ndarray]   # for the pool: cosine of each of the passage's sentences


@dataclass(frozen=True)
class Units:
    """What a snapshot embeds: each passage, then its sentences, each with its context prefix."""

    texts: list[str]
    spans: list[tuple[int, int]]   # source-text span of each sentence
    owners: list[int]              # the passage of each sentence


def units_of(corpus: Corpus, passages: tuple[Passage, ...]) -> Units:
    texts, spans, owners = [], [], []
    for i, p in enumerate(passages):
        prefix = context_prefix(corpus, p)
        texts.append(f"{prefix}: {p.text}")
        for s, e in sentence_spans(p):
            spans.append((s, e))
            owners.append(i)
            texts.append(f"{prefix}: {p.text[s - p.start:e - p.start]}")
    return Units(texts, spans, owners)


class SemanticIndex:
    """Passage and sentence vectors of a snapshot (immutable once built)."""

    def __init__(self, passages: tuple[Passage, ...], units: Units, cache: VectorCache):
        self.embedder = cache.embedder
        vectors = cache.passages(units.texts)
        self._init_arrays(vectors, passages, units.spans, units.owners)

    def _init_arrays(self, vectors, passages, spans, owners) -> None:
        owners_arr = np.asarray(owners, np.int32)
        counts = np.bincount(owners_arr, minlength=len(passages)) if len(owners_arr) else np.zeros(len(passages), int)
        # rows are ordered passage, its sentences, next passage, ...
        passage_rows = np.concatenate([[0], np.cumsum(counts[:-1] + 1)]) if len(passages) else np.zeros(0, int)
        sentence_mask = np.ones(len(vectors), bool)
        sentence_mask[passage_rows] = False
        self.passage_vectors = np.ascontiguousarray(vectors[passage_rows])
        self.sentence_vectors = np.ascontiguousarray(vectors[sentence_mask])
        self.sentence_spans = np.asarray(spans, np.int64).reshape(-1, 2)
        self.sentence_owner = owners_arr
        self.sentence_first = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)   # CSR offsets

    def best_sentence_vector(self, qvec: np.ndarray, row: int) -> np.ndarray:
        a, b = self.sentence_first[row], self.sentence_first[row + 1]
        if b == a:
            return self.passage_vectors[row]
        return self.sentence_vectors[a + int(np.argmax(self.sentence_vectors[a:b] @ qvec))]

    def sentence_cosines(self, qvec: np.ndarray, row: int) -> np.ndarray:
        """Cosines of one passage's sentences (its own vector when it has none)."""
        a, b = self.sentence_first[row], self.sentence_first[row + 1]
        return self.sentence_vectors[a:b] @ qvec if b > a else self.passage_vectors[row:row + 1] @ qvec

    def scores(self, qvec: np.ndarray, pool: list[int] | None = None, top: int = SENTENCE_POOL) -> DenseScores:
        """Cosines of every passage; for the best ``top`` passages plus ``pool`` also the
        sentences, and the combined score (mean of the passage and its best sentence)."""
        passage = self.passage_vectors @ qvec
        n = len(passage)
        best = np.argpartition(-passage, top)[:top] if n > top else np.arange(n)
        wanted = dict.fromkeys([*map(int, best), *(pool or ())])
        combined, sentence = {}, {}
        for i in wanted:
            a, b = self.sentence_first[i], self.sentence_first[i + 1]
            s = self.sentence_vectors[a:b] @ qvec
            sentence[i] = s
            combined[i] = float((passage[i] + s.max()) / 2) if len(s) else float(passage[i])
        return DenseScores(combined, sentence)
