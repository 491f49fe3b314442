"""What retrieval gives the answer builder, and the small protocol it is reached through."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from index.corpus.model import Corpus, Source, TimelineEntry
from index.passages import Passage
from index.text.tokenize import Token
from index.timeline.search import TimelineSearch


@dataclass(frozen=True)
class Query:
    """The question as retrieval read it."""

    text: str                   # what was searched (shortened, spelling corrected)
    terms: tuple[str, ...]      # its distinct lexical terms
    idf: dict[str, float]       # each term's (Lucene) IDF in this corpus
    truncated: bool = False
    corrections: tuple[tuple[str, str], ...] = ()   # (typed, read as) for misspelt words
    tokens: tuple[str, ...] = ()   # its terms with repeats, as BM25 scores them
    background: float | None = None   # its best cosine with unrelated text (index.semantic.background)
    translated: tuple[tuple[str, str], ...] = ()   # (as typed, English word) read by the glossary
    # a question in another language: the share of its words nothing read, and those words
    # (``index.text.unread``)
    unread: float = 0.0
    unread_words: tuple[str, ...] = ()
    # a term -> the names it ends ("massacr": the Nanking Massacre's term), which it matches too
    heads: Mapping[str, frozenset[str]] = field(default_factory=dict)
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)   # its embedding (semantic stage)

    @property
    def glossed(self) -> tuple[str, ...]:
        return english_words(self.translated)


def english_words(translated: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The English words the glossary read in a question, each once."""
    return tuple(dict.fromkeys(word for _, word in translated))


@dataclass(frozen=True)
class Candidate:
    """One passage and the evidence each stage found for it."""

    passage: Passage
    bm25: float = 0.0                       # BM25 score (0: not a lexical hit)
    matched: frozenset[str] = frozenset()   # question terms the passage holds
    dense: float | None = None              # mean of passage and best-sentence cosine (None: no semantic stage)
    sentence_scores: tuple[float, ...] = () # cosine of each sentence of the passage, in order
    lexical_rank: int | None = None         # 1-based rank by BM25 (None: not among its hits)
    dense_rank: int | None = None           # 1-based rank by the semantic stage


@dataclass(frozen=True)
class Retrieval:
    query: Query
    candidates: tuple[Candidate, ...]       # BM25 hits first (by score), then semantic-only ones
    semantic: bool                          # was the semantic stage used


class Analyzer(Protocol):
    """The tokenizer as answers use it: terms, and terms with their spans for highlighting."""

    def tokens(self, text: str) -> list[str]: ...

    def tokens_with_spans(self, text: str, expand_names: bool = False) -> list[Token]: ...

    def expanded_tokens(self, text: str) -> list[str]: ...


class Retriever(Protocol):
    corpus: Corpus
    analyzer: Analyzer
    passage_count: int
    timeline: TimelineSearch

    def retrieve(self, question: str, k: int, english: bool = True,
                 also: Callable[[str], str] | None = None) -> Retrieval:
        """``also``: a text made from the question as read (``Query.text``), embedded in the same
        call to the model as the question (kept for ``phrase_vectors``)."""
        ...

    def document_frequency(self, term: str) -> int: ...

    def source(self, source_id: str) -> Source: ...

    def sentence_spans(self, passage: Passage) -> list[tuple[int, int]]: ...

    def timeline_passage(self, entry: TimelineEntry) -> Passage: ...

    def knows_word(self, folded_word: str) -> bool:
        """Does the corpus use this (folded) word?"""
        ...

    def sentence_match(self, text: str, passage: Passage) -> float | None:
        """How well the passage's best sentence means ``text`` (None: no semantic stage)."""
        ...

    def phrase_vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Each text embedded as a question, all in one call (empty: no semantic stage)."""
        ...

    def best_sentence_vector(self, vector: np.ndarray, passage: Passage) -> np.ndarray | None:
        """The vector of the passage's sentence nearest ``vector`` (None: no semantic stage)."""
        ...

    def passage_vectors(self, passages: list[Passage]) -> np.ndarray | None:
        """The passages' own vectors, a row each (None: no semantic stage)."""
        ...

    def names_mended(self, text: str) -> str:
        """``text`` with the names typed apart, by their sound or with a word another word, as the
        names."""
        ...
