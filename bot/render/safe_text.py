"""Text that is safe to show in Discord: markdown escaped, mentions defused, cut to a limit.

Every piece of text that comes from users or the corpus passes through here before Discord
sees it; the limits are in ``bot.render.limits``.
"""
from __future__ import annotations

import re

from index.text.cut import cut
from index.text.verbatim import normalize_ws

# Markdown Discord renders anywhere in a line, and only at a line's start (quote, heading, list).
_MD_CHARS = re.compile(r"[\\*_~`|\[\]]")
_MD_LINE_START = re.compile(r"^([^\S\n]*)([>#-])", re.M)
# Discord's (and discord.utils') URL pattern: no markdown inside a URL.
_URL = re.compile(r"<[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")


# Bidirectional controls (embeddings, overrides, isolates, marks) reorder what follows them on
# screen (U+202E shows "txt.exe" as "exe.txt"): removed from everything the bot sends.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def defuse(text: str) -> str:
    """No mention can form: every "@" gets a zero-width space after it, so no "@everyone",
    "@here", "<@id>" or "<@&id>", and "<#" is split too; bidirectional control characters are
    removed. For plain-text places that render no markdown (embed footers), where a markdown
    escape would show as a backslash."""
    return _BIDI.sub("", text).replace("@", "@\u200b").replace("<#", "<\u200b#")


def escape(text: str) -> str:
    """Escape markdown and every kind of mention: the text renders literally and pings nobody
    (``defuse`` works even when highlighting splits the text into separately escaped pieces).

    Every markdown character gets its backslash, one by one: ``discord.utils.escape_markdown``
    escapes only the first "[" of anything shaped like a masked link, so "[a *b* c](x)" kept
    its italics. URLs are left whole, as Discord renders no markdown inside them.
    """
    out, pos = [], 0
    for url in _URL.finditer(text):
        out += [_md_escape(text[pos:url.start()]), url.group()]
        pos = url.end()
    out.append(_md_escape(text[pos:]))
    return defuse("".join(out))


def _md_escape(text: str) -> str:
    return _MD_LINE_START.sub(r"\1\\\2", _MD_CHARS.sub(r"\\\g<0>", text))


def code(text: str) -> str:
    """Text for an inline code span: shown as is (no escapes inside code), no backtick to end it."""
    return "`" + defuse(text.replace("`", "ˋ")) + "`"


def safe(text: str, limit: int) -> str:
    """One line of user or corpus text, escaped, in at most ``limit`` characters."""
    return cut(escape(normalize_ws(text)), limit)
