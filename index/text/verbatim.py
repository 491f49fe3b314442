"""Whitespace-insensitive verbatim search.

A quote is "verbatim" when its characters appear in the source in the same order, with
whitespace aside: any run of whitespace in the quote matches any run of whitespace in the
source (a line break in YAML may stand for a space in the Markdown, and vice versa), and
the quote's leading/trailing whitespace is ignored. Nothing else is forgiven: case,
punctuation, quote marks and dashes must match exactly.

"Whitespace" is what ``str.isspace`` says, which is exactly what ``\\s`` matches in a
``str`` regex, so :func:`normalize_ws` and :func:`find_verbatim` always agree.

The search compiles the needle into ``word1\\s+word2\\s+...`` (each word ``re.escape``'d).
The first word is a literal prefix, which ``re`` scans for with its fast literal search, so
a 50 MB haystack costs one linear pass per needle.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["find_verbatim", "normalize_ws", "verbatim_pattern"]


def normalize_ws(s: str) -> str:
    """Collapse every whitespace run to one space and strip the ends."""
    return " ".join(s.split())


@lru_cache(maxsize=4096)
def verbatim_pattern(needle: str) -> re.Pattern[str] | None:
    """The compiled pattern for ``needle``, or ``None`` if it has no non-whitespace."""
    words = needle.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_verbatim(haystack: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """The ``(start, end)`` character span of the first occurrence of ``needle`` in
    ``haystack`` at or after ``start``, whitespace aside; ``None`` if there is none.

    The span starts at the needle's first non-whitespace character and ends after its last,
    so ``normalize_ws(haystack[s:e]) == normalize_ws(needle)``. An empty or all-whitespace
    needle is never found.
    """
    pattern = verbatim_pattern(needle)
    if pattern is None:
        return None
    if start < 0:
        start = 0
    m = pattern.search(haystack, start)
    return (m.start(), m.end()) if m else None
