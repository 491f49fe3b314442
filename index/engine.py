"""The search engine over one corpus snapshot: passages, tokenizer, BM25 scorer, timeline."""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.corpus import loader as corpus_loader
from index import store
from index.bm25.scorers import DEFAULT_B, DEFAULT_K1, build_scorer
from index.corpus.model import Corpus
from index.passages import Passage, build_passages
from index.timeline.search import TimelineSearch
from index.text.tokenize import Tokenizer

log = logging.getLogger(__name__)

# Longer questions are answered from their beginning (the caller adds a note).
MAX_QUESTION_CHARS = 500


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    matched: frozenset[str]     # question terms found in the passage


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
    """An immutable snapshot: build once, query from any thread.

    With ``cache_dir`` the BM25 arrays are loaded from there when they were built from exactly
    this corpus (``index.store``), and rebuilt and saved otherwise.
    """

    def __init__(self, corpus: Corpus, k1: float = DEFAULT_K1, b: float = DEFAULT_B,
                 cache_dir: Path | None = None):
        started = time.perf_counter()
        self.corpus = corpus
        self.tokenizer = Tokenizer(corpus.entities)
        self.passages: tuple[Passage, ...] = tuple(build_passages(corpus))
        self.loaded_from_cache = False
        self.scorer = self._cached_scorer(cache_dir) if cache_dir else None
        if self.scorer is None:
            self.scorer = build_scorer((self._passage_terms(p) for p in self.passages), k1=k1, b=b)
            if cache_dir:
                self._save(cache_dir, time.perf_counter() - started)
        self.timeline = TimelineSearch(corpus.timeline, self.tokenizer.expanded_tokens)
        self._timeline_passages = {p.id: p for p in self.passages if p.is_timeline}
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def from_dir(cls, root: Path | str, cache_dir: Path | None = None) -> "Index":
        return cls(corpus_loader.load_corpus(Path(root)), cache_dir=cache_dir)

    def _cached_scorer(self, cache_dir: Path):
        try:
            scorer = store.load_scorer(store.corpus_store(cache_dir, self.corpus.root),
                                self.corpus.content_hash, self.passages)
        except store.StaleIndex as why:
            log.info("building the index: %s", why)
            return None
        self.loaded_from_cache = True
        return scorer

    def _save(self, cache_dir: Path, seconds: float) -> None:
        manifest = store.Manifest(self.corpus.content_hash, store.passages_hash(self.passages),
                                  self.counts, round(seconds, 3), time.time())
        try:
            store.save_scorer(store.corpus_store(cache_dir, self.corpus.root), self.scorer, manifest)
        except OSError as exc:  # a read-only disk costs speed at the next start, nothing else
            log.warning("could not save the index to %s: %s", cache_dir, exc)

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

    def timeline_passage(self, entry) -> Passage:
        """The passage that quotes a timeline entry (its date travels with it)."""
        return self._timeline_passages[f"{entry.source_id}@{entry.id}"]

    def document_frequency(self, term: str) -> int:
        return self.scorer.df(term)

    def idf(self, term: str) -> float:
        """Lucene's always-positive IDF; a term the corpus never uses gets the highest value."""
        n, df = len(self.passages), self.scorer.df(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _matched(self, doc: int, terms: tuple[str, ...]) -> frozenset[str]:
        """The terms that occur in passage ``doc`` (a binary search in each term's postings)."""
        found = []
        for t in terms:
            postings = self.scorer.postings(t)
            i = int(np.searchsorted(postings, doc))
            if i < len(postings) and postings[i] == doc:
                found.append(t)
        return frozenset(found)

    def search(self, question: str, k: int = 10) -> SearchResult:
        question, truncated = shorten(question)
        query = self.tokenizer.tokens(question)
        terms = tuple(dict.fromkeys(query))
        idf = {t: self.idf(t) for t in terms}
        hits = [Hit(self.passages[doc], float(score), self._matched(doc, terms))
                for doc, score in self.scorer.top_k(query, k)]
        return SearchResult(question, terms, tuple(hits), truncated, idf)
