"""Typed words replaced by how a question is read ("Vautrn" -> "vautrin"), with the (typed, read
as) pairs the answer reports: what each reading step (the speller, names typed apart, by sound or
with one word another) hands on."""
from __future__ import annotations

from collections.abc import Iterable

Change = tuple[int, int, str]   # (start, end, read as): a span of the typed text and its reading


def respell(text: str, changes: Iterable[Change]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with the span of each change (in order, none overlapping) replaced by its reading,
    and the (typed, read as) pairs."""
    out, pos, pairs = [], 0, []
    for start, end, read in changes:
        out += [text[pos:start], read]
        pairs.append((text[start:end], read))
        pos = end
    out.append(text[pos:])
    return "".join(out), tuple(pairs)
