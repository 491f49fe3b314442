"""Proposing web clutter for removal: every decision is a reason on the block, listed for review.

Rules, each about what the block *is* on the page, not about the subject:
* markup furniture (``nav``, ``footer``, a share or cookie block... named by the HTML);
* a navigation menu written out as one line of short items (``A | B | C``, or items spaced apart);
* a link or button label in brackets (``[ See the movie trailer ]``);
* interface text: "see more", "leave a reply", "log in", "share", cookie notices, copyright lines,
  "no ... found" placeholders, and a comment form (the short lines after "Leave a Reply");
* a paragraph that repeats an earlier one word for word;
* a site's call to action under a heading: every sentence starts with an imperative such as
  "Discover", "Explore", "Test your..." (template text the site puts on every page).
Short repeated labels (``User Score`` under each rating) are data, not clutter: only paragraphs of
eight words or more count as repeats.
"""
from __future__ import annotations

import re

from index.importer.blocks import HEADING, PARA, Block, split_sentences, words
from index.text.verbatim import normalize_ws

__all__ = ["mark_clutter"]

_MENU_SPLIT = re.compile(r"\s*\|\s*|\s{3,}|\s*•\s*")
_BRACKETED = re.compile(r"\[\s*[^\[\]]{1,60}\s*\]\Z")
_UI = re.compile(
    r"\b(see|read|show|load|view) (more|all|less)\b|\bleave a (reply|comment)\b|\bpost comment\b|"
    r"\bshare (this|on)\b|^share\b|\blog ?(in|out)\b|\bsign (in|up)\b|\bsubscribe\b|\bcookies?\b|"
    r"©|\bcopyright\b|\ball rights reserved\b|\bconnecting to %s\b|\bskip to (main )?content\b|"
    r"\bback to top\b|\b(previous|next) (post|article)\b|\bclick an icon\b|^no [\w ]{1,30} found\.?$|"
    r"\bcommenting using your\b|^(facebook|twitter|google|email|print|reddit|tumblr|pinterest)( photo)?$",
    re.I)
_REPLY_FORM = re.compile(r"\bleave a (reply|comment)\b", re.I)
_CALL_TO_ACTION = frozenset(
    "discover explore meet challenge test get dive see learn check find watch read click subscribe "
    "sign join follow browse download share enjoy".split())


def _norm(text: str) -> str:
    return normalize_ws(text).casefold()


def _is_menu(text: str) -> bool:
    if "\n" in text or re.search(r"[.!?:;]\s", text + " "):
        return False
    items = [i for i in _MENU_SPLIT.split(text.strip()) if i]
    return len(items) >= 3 and all(len(words(i)) <= 4 for i in items)


def _is_call_to_action(text: str) -> bool:
    sentences = [text[a:b] for a, b in split_sentences(text)]
    if not sentences or len(words(text)) > 60:
        return False
    return all((words(s) or [""])[0].lower() in _CALL_TO_ACTION for s in sentences)


def _reason(block: Block, seen: set[str], after_heading: bool) -> str | None:
    text = block.text.strip()
    if block.origin and block.origin != "comment":
        return block.origin
    if block.kind == HEADING:
        return "interface text" if _UI.search(text) and len(words(text)) <= 6 else None
    if _is_menu(text):
        return "navigation menu"
    if _BRACKETED.match(text):
        return "link or button"
    if len(words(text)) <= 12 and _UI.search(text):
        return "interface text"
    if len(words(text)) >= 8 and _norm(text) in seen:
        return "repeats an earlier paragraph"
    if after_heading and _is_call_to_action(text):
        return "site's call to action"
    return None


def _line_clutter(line: str) -> bool:
    line = line.strip()
    return _is_menu(line) or bool(_BRACKETED.match(line)) or (len(words(line)) <= 12 and bool(_UI.search(line)))


def _split_mixed(blocks: list[Block]) -> list[Block]:
    """A paragraph whose lines include a menu or a button is really separate lines: split it."""
    out: list[Block] = []
    for b in blocks:
        lines = b.text.split("\n")
        if b.kind == PARA and len(lines) > 1 and any(_line_clutter(line) for line in lines):
            out.extend(Block(PARA, line, origin=b.origin) for line in lines if line.strip())
        else:
            out.append(b)
    return out


def mark_clutter(blocks: list[Block]) -> list[Block]:
    """The blocks (mixed paragraphs split), ``clutter`` set on those proposed for removal."""
    blocks = _split_mixed(blocks)
    seen: set[str] = set()
    in_form = False
    after_label = False  # the last kept block was a heading or a heading-like line
    for block in blocks:
        if block.kind == HEADING:
            in_form = False
        reason = _reason(block, seen, after_label)
        if reason is None and in_form and len(words(block.text)) <= 20:
            reason = "comment form"
        if _REPLY_FORM.search(block.text) and len(words(block.text)) <= 12:
            in_form = True
        block.clutter = reason
        if reason is None:
            seen.add(_norm(block.text))
            after_label = block.kind == HEADING or _looks_like_label(block)
    return blocks


def _looks_like_label(block: Block) -> bool:
    """A short title-like line standing alone (a heading of a plain-text page)."""
    text = block.text.strip()
    ws = words(text)
    return 0 < len(ws) <= 6 and "\n" not in text and not re.search(r"[.!;,]$", text)
