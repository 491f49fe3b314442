"""The one way the project shortens text to a length: ``cut``.

Used for whatever has a limit: Discord's (bot.render), autocomplete labels, the excerpts quoted
in corpus errors and the user's text quoted in a date error. Whitespace is the caller's
business (``index.text.verbatim.normalize_ws`` flattens it).
"""
from __future__ import annotations

ELLIPSIS = "…"
_TRAILING = " \t\n,;:·—–-"   # left off before the ellipsis: "rejected weeks …", not "rejected, …"


def cut(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` if it has at most ``limit`` characters; else its beginning and ``ellipsis`` in
    ``limit`` characters, cut at the last space when that keeps more than half of the room."""
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    if room <= 0:
        return text[:max(0, limit)]
    head = text[:room]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return head.rstrip(_TRAILING) + ellipsis
