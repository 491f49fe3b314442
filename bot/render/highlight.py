"""Mark matched words in a quote, escaping everything else for the target medium."""
from __future__ import annotations

from collections.abc import Callable, Iterable


def merge_spans(spans: Iterable[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Sorted, overlapping spans joined; with ``text``, spans only whitespace apart are joined too
    ("**Japanese attack Shanghai**", not three bold words)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or (text and not text[out[-1][1]:s].strip())):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int]], before: str, after: str,
              escape: Callable[[str], str] = lambda s: s) -> str:
    """``text`` with each span wrapped in ``before``/``after``; all pieces pass through ``escape``."""
    parts, pos = [], 0
    for s, e in merge_spans(((max(0, s), min(len(text), e)) for s, e in spans), text):
        if s >= e:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(before + escape(text[s:e]) + after)
        pos = e
    parts.append(escape(text[pos:]))
    return "".join(parts)
