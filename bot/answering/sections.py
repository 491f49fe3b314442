"""Questions that point at a numbered section: "what did the second commenter say", "the last
comment", "第二位评论者" (read as "second" by the glossary). An ordinal, and the words of a
numbered section's title ("Comment 2": "comment") among the question's terms, point at that
section of each source that has one; "last" at each source's highest number. The pointer ranks
those passages first among the candidates; it never declines on its own.
"""
from __future__ import annotations

import re

from index.retrieval.protocol import Query, Retriever
from index.text.tokenize import folded_words

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}
LAST = frozenset({"last", "final", "latest"})
_NUMERAL = re.compile(r"^(\d{1,4})(?:st|nd|rd|th)$")   # "2nd", "3rd"


def ordinal(words: list[str]) -> int | None:
    """The first ordinal among folded words: its number, -1 for "last", None if there is none."""
    for word in words:
        if word in ORDINALS:
            return ORDINALS[word]
        if word in LAST:
            return -1
        numeral = _NUMERAL.match(word)
        if numeral:
            return int(numeral.group(1))
    return None


def section_scope(retriever: Retriever, query: Query) -> frozenset[tuple[str, str]]:
    """(source id, section title) of the sections the question points at."""
    numbered = retriever.corpus.numbered_sections
    if not numbered:
        return frozenset()
    n = ordinal(folded_words(query.text) + list(query.glossed))
    if n is None:
        return frozenset()
    terms = set(query.terms)
    pointed = set()
    for head, by_source in numbered.items():
        head_terms = set(retriever.analyzer.tokens(head))
        if not head_terms or not head_terms <= terms:
            continue
        for source_id, titles in by_source.items():
            title = titles.get(max(titles) if n == -1 else n)
            if title is not None:
                pointed.add((source_id, title))
    return frozenset(pointed)
