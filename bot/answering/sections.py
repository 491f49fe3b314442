"""Questions that point at a numbered section: "what did the second commenter say", "the last
comment", "第二位评论者" (read as "second" by the glossary). An ordinal, and the words of a
numbered section's title ("Comment 2": "comment") among the question's terms, point at that
section of each source that has one; "last" at each source's highest number. The pointer ranks
those passages first among the candidates. A number past every source's last ("the sixth
comment" of a blog that shows three) is said (``past_the_last``), not answered with another.
"""
from __future__ import annotations

import re

from index.retrieval.protocol import Query, Retriever
from index.text.tokenize import folded_words

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10}
LAST = frozenset({"last", "final", "latest"})
_NUMERAL = re.compile(r"^(\d{1,4})(?:st|nd|rd|th)$")   # "2nd", "3rd"
_NUMBER_AT_END = re.compile(r"\d+$")   # of a numbered title ("Comment 2")


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
    n, heads = _pointer(retriever, query)
    return frozenset((source_id, titles[max(titles) if n == -1 else n])
                     for by_source in heads.values() for source_id, titles in by_source.items()
                     if n == -1 or n in titles)


def past_the_last(retriever: Retriever, query: Query) -> str | None:
    """What there is, when the question points at a numbered section past every source's last
    ("there is no Comment 6; “The Truth About Nanking (Movie)” has Comment 1 to Comment 3")."""
    n, heads = _pointer(retriever, query)
    if n is None or n == -1 or not heads:
        return None
    if any(n in numbered for by_source in heads.values() for numbered in by_source.values()):
        return None   # some source has it (``section_scope``)
    by_source = heads[min(heads)]
    titles = retriever.corpus.titles
    had = [f"“{titles[source_id]}” has {numbered[min(numbered)]} to {numbered[max(numbered)]}"
           for source_id, numbered in sorted(by_source.items())]
    last = next(iter(by_source.values()))
    return f"there is no {_NUMBER_AT_END.sub(str(n), last[max(last)])}; {'; '.join(had)}"


def _pointer(retriever: Retriever, query: Query) -> tuple[int | None, dict[str, dict[str, dict[int, str]]]]:
    """The question's ordinal, and the numbered sections whose title words it holds (by head)."""
    numbered = retriever.corpus.numbered_sections
    if not numbered:
        return None, {}
    n = ordinal(folded_words(query.text) + list(query.glossed))
    if n is None:
        return None, {}
    terms = set(query.terms)
    heads = {}
    for head, by_source in numbered.items():
        head_terms = set(retriever.analyzer.tokens(head))
        if head_terms and head_terms <= terms:
            heads[head] = by_source
    return n, heads
