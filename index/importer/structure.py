"""The page's structure on the kept blocks: headings of plain-text pages, the reader comments,
and the timeline section.

* A plain-text page has no markup for headings: a single short line in title case (``Plot
  Summary``, ``Movie Quiz``) followed by a paragraph of twenty words or more is taken as one. The
  first line of the page is never a heading (it is usually the document's own title line, which is
  text). Dates are never headings.
* Reader comments: after a line such as ``6 thoughts on “...”`` (or a ``Comments`` heading), or
  blocks the HTML marks as comments, each numbered item becomes a ``Comment N`` section, so the
  draft attributes it to a reader, not to the author.
* A timeline: three or more "date line, then event line" pairs close together make a ``Timeline``
  section (``kind: timeline``), extended back over the short lines just before the first date.
"""
from __future__ import annotations

import re

from index.dates import InvalidDate, parse_date_query
from index.importer.blocks import HEADING, ITEM, PARA, Block, words

__all__ = ["infer_headings", "comment_sections", "timeline_span", "is_date_line"]

_SMALL = frozenset("a an and as at but by for from in into of on or the to vs with".split())
_COMMENT_COUNT = re.compile(r"^\d+\s+(thoughts|comments|responses|replies|reactions)\b", re.I)
_COMMENTS_HEADING = re.compile(r"^(\d+\s+)?(comments?|responses|replies|discussion)\b", re.I)


def is_date_line(block: Block) -> bool:
    text = block.text.strip()
    if block.kind == HEADING or "\n" in text or len(words(text)) > 8:
        return False
    try:
        return parse_date_query(text) is not None
    except InvalidDate:
        return False


def _title_case(text: str) -> bool:
    ws = words(text)
    return bool(ws) and all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL for w in ws) \
        and ws[0][0].isupper()


def infer_headings(blocks: list[Block]) -> None:
    """Plain text: turn heading-like lines (see module docstring) into headings."""
    kept = [b for b in blocks if b.kept]
    for i, block in enumerate(kept[1:-1], start=1):
        text = block.text.strip()
        if block.kind != PARA or "\n" in text or not 0 < len(words(text)) <= 8 or re.search(r"[.,;:!]$", text):
            continue
        if not _title_case(text) or is_date_line(block):
            continue
        following = kept[i + 1]
        if following.kind in (PARA, ITEM) and len(words(following.text)) >= 20:
            block.kind = HEADING


def comment_sections(blocks: list[Block]) -> dict[int, int]:
    """``{id(block): comment number}`` for blocks that are reader comments."""
    numbers: dict[int, int] = {}
    in_comments = False
    count = 0
    for block in (b for b in blocks if b.kept):
        text = block.text.strip()
        if block.origin == "comment" and block.kind != HEADING:
            count += 1
            numbers[id(block)] = count
            continue
        if _COMMENT_COUNT.match(text) or (block.kind == HEADING and _COMMENTS_HEADING.match(text)):
            in_comments = True
            continue
        if in_comments and block.kind == ITEM and block.number is not None:
            count += 1
            numbers[id(block)] = count
        elif in_comments:
            in_comments = False
    return numbers


def timeline_span(blocks: list[Block]) -> tuple[int, int] | None:
    """Indexes ``(first, last)`` in ``blocks`` of the timeline section's kept blocks, if any."""
    kept = [i for i, b in enumerate(blocks) if b.kept]
    pairs = []  # positions in ``kept`` of date lines followed by an event line
    for k in range(len(kept) - 1):
        here, nxt = blocks[kept[k]], blocks[kept[k + 1]]
        if is_date_line(here) and nxt.kind != HEADING and not is_date_line(nxt) and len(words(nxt.text)) <= 30:
            pairs.append(k)
    run: list[int] = []
    best: list[int] = []
    for k in pairs:
        if run and k - run[-1] > 4:  # too far from the previous pair: a new run
            run = []
        run.append(k)
        if len(run) > len(best):
            best = list(run)
    if len(best) < 3:
        return None
    first, last = best[0], best[-1] + 1
    while first > 0:  # short undated lines just before the first date belong to the timeline
        prev = blocks[kept[first - 1]]
        if prev.kind == HEADING or len(words(prev.text)) > 15 or prev.text.rstrip().endswith((".", "!", "?")):
            break  # a heading, or a sentence of the narrative
        first -= 1
    while last + 1 < len(kept):  # and short undated lines after the last pair
        nxt = blocks[kept[last + 1]]
        if nxt.kind == HEADING or len(words(nxt.text)) > 15:
            break
        last += 1
    return kept[first], kept[last]
