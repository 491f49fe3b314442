"""The importer's intermediate form: a page as a list of blocks (headings, paragraphs, list items)."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "HEADING", "PARA", "ITEM", "words", "split_sentences"]

HEADING, PARA, ITEM = "heading", "para", "item"


@dataclass
class Block:
    """One unit of the page, its text verbatim (layout whitespace aside).

    ``clutter`` is the reason the block is proposed for removal (``None``: kept); ``number`` is
    a numbered list item's number; ``section`` the heading the draft files it under (set by
    ``structure``); ``timeline`` marks blocks of a timeline section.
    """

    kind: str
    text: str
    level: int = 2
    number: int | None = None
    clutter: str | None = None
    origin: str = ""           # a structural hint from HTML (nav, footer, form, comment...)
    timeline: bool = False

    @property
    def kept(self) -> bool:
        return self.clutter is None


_WORD_RE = re.compile(r"\w[\w'’-]*")


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


# A sentence ends at . ! ? (and any closing quotes or brackets) followed by a space and a capital,
# a digit or an opening quote; never after a common abbreviation ("Mrs. Tang", "Jan. 28").
_END_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z0-9“\"‘'(])")
_ABBREV = frozenset("mr mrs ms dr st jr sr gen lt col sgt capt prof no vs etc e.g i.e jan feb mar apr "
                    "jun jul aug sep sept oct nov dec".split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (whitespace between them excluded)."""
    spans, start = [], 0
    for m in _END_RE.finditer(text):
        before = text[start:m.start() + 1].rsplit(None, 1)
        last = before[-1].rstrip(".").lower() if before else ""
        if text[m.start()] == "." and last in _ABBREV:
            continue
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        start = m.end()
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    return spans
