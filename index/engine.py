"""The search engine over one corpus snapshot: passages, tokenizer, BM25 scorer, timeline."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from index import corpus as corpus_loader
from index.bm25 import DEFAULT_B, DEFAULT_K1, build_scorer
from index.model import Corpus
from index.passages import Passage, build_passages
from index.timeline import TimelineSearch
from index.tokenize import Tokenizer

# Longer questions are answered from their beginning (the caller adds a note).
MAX_QUESTION_CHARS = 500


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    matched: frozenset[str]     # question terms found in the passage
    coverage: float             # share of the question's IDF weight the passage matches


@dataclass(frozen=True)
class SearchResult:
    question: str               # what was searched (possibly shortened)
    terms: tuple[str, ...]      # the question's distinct terms
    hits: tuple[Hit, ...]
    truncated: bool = False
    idf: dict[str, float] = field(default_factory=dict)


def shorten(question: str, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """Cut ``question`` to at most ``limit`` characters at a word boundary."""
    question = question.strip()
    if len(question) <= limit:
        return question, False
    cut = question[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(), True


class Index:
    """An immutable snapshot: build once, query from any thread."""

    def __init__(self, corpus: Corpus, k1: float = DEFAULT_K1, b: float = DEFAULT_B):
        started = time.perf_counter()
        self.corpus = corpus
        self.tokenizer = Tokenizer(corpus.entities)
        self.passages: tuple[Passage, ...] = tuple(build_passages(corpus))
        docs = [self._passage_terms(p) for p in self.passages]
        self._term_sets = [frozenset(d) for d in docs]
        self._df: dict[str, int] = {}
        for terms in self._term_sets:
            for t in terms:
                self._df[t] = self._df.get(t, 0) + 1
        self.scorer = build_scorer(docs, k1=k1, b=b)
        self.timeline = TimelineSearch(corpus.timeline, self.tokenizer.tokens)
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def from_dir(cls, root: Path | str) -> "Index":
        return cls(corpus_loader.load(Path(root)))

    def _passage_terms(self, passage: Passage) -> list[str]:
        # the date and the section heading ("Comment 3", "Plot Summary") are searchable with the text
        parts = [passage.date_text, passage.section, passage.text]
        return self.tokenizer.tokens(" ".join(p for p in parts if p))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.corpus.sources),
            "passages": len(self.passages),
            "timeline": len(self.corpus.timeline),
            "entities": len(self.corpus.entities),
        }

    def document_frequency(self, term: str) -> int:
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        """Lucene's always-positive IDF; a term the corpus never uses gets the highest value."""
        n, df = len(self.passages), self._df.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def search(self, question: str, k: int = 10) -> SearchResult:
        question, truncated = shorten(question)
        query = self.tokenizer.tokens(question)
        terms = tuple(dict.fromkeys(query))
        idf = {t: self.idf(t) for t in terms}
        total = sum(idf.values())
        hits = []
        for doc, score in self.scorer.top_k(query, k):
            matched = frozenset(t for t in terms if t in self._term_sets[doc])
            coverage = sum(idf[t] for t in matched) / total if total else 0.0
            hits.append(Hit(self.passages[doc], float(score), matched, coverage))
        return SearchResult(question, terms, tuple(hits), truncated, idf)
