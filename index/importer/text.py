"""Plain text and Markdown -> blocks, cut on the page's own structure.

Blank lines separate paragraphs (their inner line breaks are kept); a Markdown heading
(``# ...`` to ``###### ...``) is a heading; a numbered or bulleted line starts a list item, and
blocks indented under it (after blank lines) continue that item. Indentation and trailing spaces
are layout, not text: they are dropped. Nothing else is changed.
"""
from __future__ import annotations

import re

from index.importer.blocks import HEADING, ITEM, PARA, Block

__all__ = ["text_blocks"]

_MD_HEADING = re.compile(r"#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*\Z")
_ITEM = re.compile(r"([ \t]*)(\d{1,3})[.)][ \t]+(\S.*)\Z")
_BULLET = re.compile(r"([ \t]*)[-*•][ \t]+(\S.*)\Z")


def _chunks(text: str) -> list[list[str]]:
    """Runs of non-blank lines (blank-line separated), lines with trailing spaces removed."""
    chunks, cur = [], []
    for line in text.split("\n"):
        line = line.rstrip()
        if line.strip():
            cur.append(line)
        elif cur:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    return chunks


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _split_items(chunks: list[list[str]]) -> list[list[str]]:
    """A list written without blank lines: each line that starts an item starts a new chunk."""
    out = []
    for chunk in chunks:
        if not (_ITEM.match(chunk[0]) or _BULLET.match(chunk[0])):
            out.append(chunk)
            continue
        for line in chunk:
            if (_ITEM.match(line) or _BULLET.match(line)) or not out:
                out.append([line])
            else:
                out[-1].append(line)
    return out


def text_blocks(text: str, markdown: bool = False) -> list[Block]:
    blocks: list[Block] = []
    item_indent = None  # text column of the open list item; deeper chunks continue it
    for chunk in _split_items(_chunks(text)):
        first = chunk[0]
        heading = _MD_HEADING.match(first.strip()) if markdown else None
        if heading and len(chunk) == 1:
            blocks.append(Block(HEADING, heading.group(1), level=first.strip().index(" ")))
            item_indent = None
            continue
        item = _ITEM.match(first) or _BULLET.match(first)
        body = "\n".join(line.strip() for line in chunk)
        if item:
            number = int(item.group(2)) if item.re is _ITEM else None
            rest = "\n".join(line.strip() for line in chunk[1:])
            text_ = item.groups()[-1] + ("\n" + rest if rest else "")
            blocks.append(Block(ITEM, text_, number=number))
            item_indent = _indent(first) + 1
        elif item_indent is not None and _indent(first) >= item_indent and blocks and blocks[-1].kind == ITEM:
            blocks[-1].text += "\n\n" + body
        else:
            blocks.append(Block(PARA, body))
            item_indent = None
    return blocks
