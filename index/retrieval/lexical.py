"""The first stage: BM25 (rank-bm25's Okapi ranking with the Lucene IDF, exact fast path).

Each hit carries the question terms the passage holds (a binary search in each term's postings),
which is what the answer builder weighs as lexical evidence.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np

from index.bm25.formula import lucene_idf
from index.corpus.records import SourceChanged, SourceUnavailable
from index.passages import Passage
from index.retrieval.protocol import Candidate, Query, english_words
from index.snapshot.table import PassageTable
from index.text.cut import cut
from index.text.tokenize import ENTITY_PREFIX, Tokenizer

# Longer questions are answered from their beginning (the caller adds a note).
MAX_QUESTION_CHARS = 500

log = logging.getLogger(__name__)


def shorten(question: str, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """``question`` cut to at most ``limit`` characters at a word boundary, and whether it was."""
    question = question.strip()
    return cut(question, limit, ""), len(question) > limit


class LexicalStage:
    def __init__(self, scorer, passages: PassageTable, tokenizer: Tokenizer):
        self.scorer, self.passages, self.tokenizer = scorer, passages, tokenizer
        self._changed: set[str] = set()   # sources found edited since the load (logged once each)

    def knows_word(self, folded_word: str) -> bool:
        """Does this (folded) word find anything in the corpus?"""
        term = self.tokenizer.term(folded_word)
        return term is None or self.scorer.df(term) > 0

    def query(self, text: str, truncated: bool = False, corrections=(), names_only: bool = False,
              translated: tuple[tuple[str, str], ...] = (), kept: frozenset[str] = frozenset()) -> Query:
        """``names_only``: of ``text`` only the names count (a question in another language), and
        the terms of ``kept``; ``translated``: (as typed, English word) pairs whose English words
        are searched besides."""
        tokens = tuple(t for t in self.tokenizer.tokens(text)
                       if not names_only or t.startswith(ENTITY_PREFIX) or t in kept)
        tokens += tuple(self.tokenizer.tokens(" ".join(english_words(translated))))
        terms = tuple(dict.fromkeys(tokens))
        # "the massacre" is the Nanking Massacre, whose name is one term: searched as well
        heads = {t: self.tokenizer.heads[t] for t in terms if t in self.tokenizer.heads}
        tokens += tuple(name for t in tokens if t in heads for name in heads[t])
        n = len(self.passages)
        idf = {t: lucene_idf(n, self.scorer.df(t)) for t in terms}
        return Query(text, terms, idf, truncated, tuple(corrections), tokens, translated=translated, heads=heads)

    def matched_all(self, docs: list[int], terms: tuple[str, ...],
                    heads: Mapping[str, frozenset[str]] | None = None) -> list[frozenset[str]]:
        """The terms that occur in each passage of ``docs``: one search of each term's postings
        for all of them. A term of ``heads`` occurs where a name it ends does."""
        found: list[list[str]] = [[] for _ in docs]
        for t in terms:
            postings = self.scorer.postings(t)
            for name in heads.get(t, ()) if heads else ():
                postings = np.union1d(postings, self.scorer.postings(name)).astype(postings.dtype, copy=False)
            if not len(docs) or not len(postings):
                continue
            # docs as the postings' own type: numpy would otherwise cast the whole array
            wanted = np.asarray(docs, dtype=postings.dtype)
            at = np.minimum(postings.searchsorted(wanted), len(postings) - 1)
            for k in np.flatnonzero(postings[at] == wanted).tolist():
                found[k].append(t)
        return [frozenset(f) for f in found]

    def passages_of(self, docs: list[int]) -> list[Passage | None]:
        """The passage of each doc, None for one whose source file was edited since the load (not
        reloaded yet: its bytes are never quoted unchecked), said once per edit in the log. Those
        of sources not kept in memory are read from their files in one batch (``PassageTable.many``)."""
        found = self.passages.many(docs)
        for exc in found:
            if isinstance(exc, SourceUnavailable):   # the process's state, not an edit: said each time
                log.warning("%s; %s", exc, exc.consequence)
            elif isinstance(exc, SourceChanged) and str(exc) not in self._changed:
                self._changed.add(str(exc))
                log.warning("%s; %s", exc, exc.consequence)
        return [None if isinstance(p, SourceChanged) else p for p in found]

    def search(self, query: Query, k: int) -> list[Candidate]:
        hits = self.scorer.top_k(list(query.tokens), k) if query.tokens else []
        found = self.passages_of([doc for doc, _ in hits])
        kept = [(rank, doc, score, passage)
                for rank, ((doc, score), passage) in enumerate(zip(hits, found, strict=True), 1) if passage is not None]
        matched = self.matched_all([doc for _, doc, _, _ in kept], query.terms, query.heads)
        return [Candidate(passage, bm25=float(score), matched=m, lexical_rank=rank)
                for (rank, _, score, passage), m in zip(kept, matched, strict=True)]
