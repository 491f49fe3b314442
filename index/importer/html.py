"""HTML -> blocks with BeautifulSoup (the standard library's parser underneath: nothing compiled).

Headings (``h1``-``h6``) become headings, ``p``/``li``/``blockquote``/``pre``/``dd``/``dt``/table
cells and text directly inside containers become paragraphs; HTML's own whitespace rules apply
(runs of spaces and newlines are one space, ``<br>`` is a line break). Scripts, styles and other
non-text elements are never text. Page furniture that the markup itself names -- ``nav``,
``header``, ``footer``, ``aside``, ``form`` and elements whose class or id says menu, share,
cookie, comment form, newsletter... -- is *not* dropped here: its blocks carry ``origin`` so
``clutter`` proposes them for removal, and the moderator sees them listed.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from index.importer.blocks import HEADING, ITEM, PARA, Block

__all__ = ["html_blocks", "looks_like_html"]

_INVISIBLE = frozenset("script style noscript template svg canvas iframe object embed head meta link "
                       "button input select textarea option".split())
_FURNITURE_TAGS = {"nav": "navigation menu", "header": "page header", "footer": "page footer",
                   "aside": "sidebar", "form": "form"}
_FURNITURE_ATTR = re.compile(
    r"(?:^|[-_ ])(nav|navbar|menu|breadcrumbs?|share|sharing|social|cookies?|consent|gdpr|banner|"
    r"newsletter|subscribe|signup|sidebar|widget|related|advert|ads?|promo|footer|header|"
    r"respond|comment-form|reply)(?:$|[-_ ])", re.I)
_COMMENT_ATTR = re.compile(r"(?:^|[-_ ])comment(?:$|[-_ ])|(?:^|[-_ ])comment-body(?:$|[-_ ])", re.I)
_BLOCKS = frozenset("p li blockquote pre dd dt td th figcaption caption address summary".split())
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BR = "\x00"  # a <br> while text is gathered (HTML whitespace, newlines included, is one space)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or bool(re.search(r"<(p|div|body|h[1-6]|article)\b", head))


def _furniture(tag: Tag) -> str:
    if tag.name in _FURNITURE_TAGS:
        return _FURNITURE_TAGS[tag.name]
    names = " ".join([tag.get("id") or ""] + list(tag.get("class") or []))
    role = (tag.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return f"{role} area"
    m = _FURNITURE_ATTR.search(names)
    return f"{m.group(1).lower()} block" if m else ""


def _inline_text(tag: Tag) -> str:
    """The element's text with HTML whitespace collapsed and ``<br>`` as a line break."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if not any(p.name in _INVISIBLE for p in node.parents if isinstance(p, Tag)):
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append(_BR)
    lines = [_SPACE.sub(" ", line).strip() for line in "".join(parts).split(_BR)]
    return "\n".join(line for line in lines if line)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def add(self, kind: str, text: str, origin: str, level: int = 2, number: int | None = None) -> None:
        if text.strip():
            self.blocks.append(Block(kind, text, level=level, number=number, origin=origin))

    def walk(self, tag: Tag, origin: str = "") -> None:
        loose: list[str] = []  # text directly inside a container, between its block children
        for child in tag.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                loose.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _INVISIBLE:
                continue
            if child.name in ("a", "span", "em", "strong", "b", "i", "u", "small", "sup", "sub", "abbr",
                              "cite", "q", "time", "mark", "code", "br", "font", "s"):
                loose.append(_BR if child.name == "br" else _inline_text(child).replace("\n", _BR))
                continue
            self._flush(loose, origin)
            loose = []
            self._element(child, origin)
        self._flush(loose, origin)

    def _flush(self, loose: list[str], origin: str) -> None:
        text = "\n".join(_SPACE.sub(" ", s).strip() for s in "".join(loose).split(_BR))
        self.add(PARA, "\n".join(line for line in text.split("\n") if line), origin)

    def _element(self, el: Tag, origin: str) -> None:
        here = origin or _furniture(el)
        if not origin and _COMMENT_ATTR.search(" ".join([el.get("id") or ""] + list(el.get("class") or []))):
            here = "comment"
        if el.name in _HEADINGS:
            self.add(HEADING, _inline_text(el).replace("\n", " "), here, level=_HEADINGS[el.name])
        elif el.name == "li" and not el.find(["p", "div", "ul", "ol"]):
            parent = el.parent
            number = None
            if parent is not None and parent.name == "ol":
                number = [c for c in parent.find_all("li", recursive=False)].index(el) + 1
            self.add(ITEM, _inline_text(el), here, number=number)
        elif el.name in _BLOCKS and not el.find(list(_BLOCKS | set(_HEADINGS) | {"div", "ul", "ol", "table"})):
            self.add(PARA, _inline_text(el), here)
        else:
            self.walk(el, here)


def html_blocks(html: str) -> list[Block]:
    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    walker = _Walker()
    walker.walk(root)
    return walker.blocks
