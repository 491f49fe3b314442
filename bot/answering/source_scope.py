"""The source a question points at by what kind of source it is ("according to the blog", "on
the film page"), read from the words that name the sources' kinds."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from index.retrieval.protocol import Retriever
from index.text.tokenize import Tokenizer


def source_scope(retriever: Retriever, question: str) -> frozenset[str]:
    """The source a question points at by what it is ("according to the blog", "on the film
    page"): the sources whose kind (blog-post, film-page, film-website) holds every kind word of
    the question, when that is exactly one source; or else the one source its kind words that
    name a single source name ("the blog author ... the film": "blog" names one source, "film"
    two), the one most of them name ("the blog post ... which site": two words against one).
    "The movie" points at none here: two sources are film pages of a kind, and the blog post is
    about a movie too."""
    by_kind = _kinds(retriever)
    asked = _naming_a_kind(set(retriever.analyzer.tokens(question)), by_kind)
    if not asked:
        return frozenset()
    sources = retriever.corpus.sources
    chosen = {s.id for s in sources if asked <= by_kind[s.kind]}
    if chosen:
        return frozenset(chosen) if len(chosen) == 1 else frozenset()
    named = Counter()
    for word in asked:
        ids = {s.id for s in sources if word in by_kind[s.kind]}
        if len(ids) == 1:
            named.update(ids)
    best = named.most_common(2)
    if not best or len(best) == 2 and best[0][1] == best[1][1]:   # as many words name each: neither
        return frozenset()
    return frozenset([best[0][0]])


# What people call a kind of source besides its own words: "the documentary site" is its website.
KIND_SYNONYMS = {"website": ("site",)}


def _kinds(retriever: Retriever) -> dict[str, frozenset[str]]:
    """Each kind of source and its terms, with their synonyms (read only: shared between questions)."""
    return _kind_terms(retriever.analyzer, retriever.corpus.kinds)


@lru_cache(maxsize=8)   # else tokenized for every question; a reload brings a new tokenizer and corpus
def _kind_terms(analyzer: Tokenizer, kinds: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each distinct kind tokenized once (a large corpus has thousands of sources and a few kinds)."""
    def words(kind: str) -> str:
        own = kind.replace("-", " ").split()
        return " ".join(own + [s for w in own for s in KIND_SYNONYMS.get(w, ())])
    return {kind: frozenset(analyzer.tokens(words(kind))) for kind in kinds}


def _naming_a_kind(terms: set[str], by_kind: dict[str, frozenset[str]]) -> set[str]:
    return terms & set().union(*by_kind.values()) if by_kind else set()


def kind_words(retriever: Retriever, terms: set[str]) -> set[str]:
    """The terms that name a kind of source ("blog", "page")."""
    return _naming_a_kind(terms, _kinds(retriever))
