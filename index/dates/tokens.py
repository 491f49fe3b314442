"""The first step of reading a date someone typed: normalize the text and cut it into tokens.

``normalize`` case-folds (NFKC), unifies every kind of dash and drops invisible characters,
keeping for each character the offset it came from, so a date found in the normalized text can
be quoted from the original. ``tokenize`` cuts it into ISO dates, numbers (with an ordinal
suffix or not), the Chinese and Japanese date units (年 月 日 号, apart from the letters they
stand among: "13日に" is a day and "に"), words and punctuation; spaces separate tokens and are
dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["DASHES", "Tok", "normalize", "tokenize", "is_edge_punct", "unify_dashes"]

# Every dash that may stand between two dates: hyphen, figure dash, en and em dashes, minus...
DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d")
_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))

_TOKEN_RE = re.compile(r"""
    (?P<iso>(?<![0-9])[0-9]{4}-[0-9]{1,2}(?:-[0-9]{1,2})?(?![0-9]))
  | (?P<num>[0-9]+)(?:(?P<ord>st|nd|rd|th)(?![^\W\d_]))?
  | (?P<cjk>[年月日号])
  | (?P<word>[^\W\d_]+)
  | (?P<dash>-+)
  | (?P<slash>/)
  | (?P<comma>,)
  | (?P<dot>\.)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.X | re.S)


@dataclass
class Tok:
    kind: str          # iso num cjk word dash slash comma dot other
    text: str
    start: int         # offsets in the normalized text
    end: int
    value: object = None
    ordinal: bool = False


def normalize(text: str) -> tuple[str, list[int]]:
    """Case-folded NFKC text with dashes unified and invisible characters dropped, plus for each
    character of it the offset of the original character it came from."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if ch in DASHES:
            out.append("-")
            pos.append(i)
            continue
        if ch.isascii():
            out.append(ch.lower())
            pos.append(i)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat in ("Zs", "Zl", "Zp", "Cc"):
            out.append(" ")
            pos.append(i)
            continue
        for c in unicodedata.normalize("NFKC", ch).casefold():
            out.append("-" if c in DASHES else c)
            pos.append(i)
    return "".join(out), pos


def unify_dashes(text: str) -> str:
    """Every kind of dash written as "-"."""
    return text.translate(_DASH_TABLE)


def tokenize(norm: str) -> list[Tok]:
    """The tokens of a normalized text (spaces dropped)."""
    toks: list[Tok] = []
    for m in _TOKEN_RE.finditer(norm):
        if m.group("space") is not None:
            continue
        if m.group("iso") is not None:
            value = tuple(int(x) for x in m.group("iso").split("-"))
            toks.append(Tok("iso", m.group(), m.start(), m.end(), value))
        elif m.group("num") is not None:
            digits = m.group("num")  # only 1-2 (day) and 4 (year) digits ever mean a date
            toks.append(Tok("num", digits, m.start(), m.end(),
                            int(digits) if len(digits) <= 4 else -1,
                            ordinal=m.group("ord") is not None))
        else:
            toks.append(Tok(m.lastgroup or "other", m.group(), m.start(), m.end()))
    return toks


def is_edge_punct(t: Tok) -> bool:
    """Punctuation that may surround a date (``(Dec 13).``)."""
    if t.kind in ("comma", "dot", "dash"):
        return True
    return t.kind == "other" and unicodedata.category(t.text[0]).startswith("P")
