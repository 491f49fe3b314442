"""The grammar of the dates people write: tokens -> the points a date or range is made of.

A recursive-descent ``Parser`` over ``date_tokens`` tokens reads one date (``Dec 13``,
``13 December 1937``, ``the 13th of Dec``, ``1937 December``, ``1937-12-13``, ``13.12.1937``,
``12/13/1937``, ``12/1937`` ...) as a ``Point`` -- year, month and day as written, any of them
missing -- and a range (``X - Y``, ``X to Y``, ``between X and Y``, ``from X to Y``) as two.
Whether the points make a real date is ``date_parser``'s business.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from index.dates.tokens import Tok
from index.dates.units import DATE_MONTHS

__all__ = ["Point", "Parser"]

_RANGE_WORDS = frozenset({"to", "until", "till", "til", "through", "thru"})
_OF = frozenset({"of", "de", "del"})   # "the 13th of December", "13 de diciembre de 1937"
_CJK_DAY = frozenset("日号")


@dataclass
class Point:
    """One end of a date as written: any part may be missing."""

    year: int | None
    month: int | None
    day: int | None
    has_year: bool
    bare_month_word: str = ""   # set when the point is only a month name
    ambiguous: bool = False     # 5/6/1937: day and month could be either way round


class Parser:
    """Recursive descent over tokens. ``strict``: inside a longer text, accept fewer forms."""

    def __init__(self, toks: list[Tok], strict: bool):
        self.toks = toks
        self.strict = strict

    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def word(self, i: int) -> str:
        t = self.tok(i)
        return t.text if t is not None and t.kind == "word" else ""

    def skip(self, i: int, kind: str) -> int:
        while (t := self.tok(i)) is not None and t.kind == kind:
            i += 1
        return i

    def month(self, i: int) -> tuple[int, int, str] | None:
        w = self.word(i)
        m = DATE_MONTHS.get(w)
        if m is None:
            return None
        j = i + 1
        t = self.tok(j)
        if t is not None and t.kind == "dot":
            j += 1
        return m, j, w

    def day(self, i: int) -> tuple[int, int] | None:
        t = self.tok(i)
        if t is None or t.kind != "num" or len(t.text) > 2:
            return None
        if self.strict and not 1 <= t.value <= 31:  # type: ignore[operator]
            return None
        return t.value, i + 1  # type: ignore[return-value]

    def year(self, i: int) -> tuple[int, int] | None:
        t = self.tok(i)
        if t is None or t.kind != "num" or len(t.text) != 4 or t.ordinal:
            return None
        return t.value, i + 1  # type: ignore[return-value]

    def cjk(self, i: int, unit: str | frozenset[str]) -> tuple[int, int] | None:
        """A number and the Chinese or Japanese unit after it ("12月"): (the number, next token)."""
        t, u = self.tok(i), self.tok(i + 1)
        if t is None or t.kind != "num" or t.ordinal or u is None or u.kind != "cjk" or u.text not in unit:
            return None
        return t.value, i + 2  # type: ignore[return-value]

    def cjk_date(self, i: int) -> tuple[Point, int] | None:
        """1937年12月13日, 1937年12月, 12月13日, 1937年 (a year of four digits)."""
        y = self.cjk(i, "年")
        if y is not None and len(self.toks[i].text) != 4:
            return None
        j = y[1] if y else i
        m = self.cjk(j, "月")
        d = self.cjk(m[1], _CJK_DAY) if m else None
        if m is None:
            return (Point(y[0], None, None, True), j) if y else None
        if d is None:
            return Point(y[0] if y else None, m[0], None, y is not None), m[1]
        return Point(y[0] if y else None, m[0], d[0], y is not None), d[1]

    def point(self, i: int) -> tuple[Point, int] | None:
        """One end of a date at token ``i``, and the token after it."""
        t = self.tok(i)
        if t is None:
            return None
        cjk = self.cjk_date(i)
        if cjk is not None:
            return cjk
        if t.kind == "iso":
            parts = list(t.value) + [None] * (3 - len(t.value))  # type: ignore[arg-type]
            return Point(parts[0], parts[1], parts[2], True), i + 1
        numeric = self.numeric(i)
        if numeric is not None:
            return numeric
        j = i + 1 if self.word(i) == "the" else i
        day_first = self.day_first(j)
        if day_first is not None:
            return day_first
        if j != i:
            return None
        month_first = self.month_first(i)
        if month_first is not None:
            return month_first
        return self.year_first(i)

    def day_first(self, i: int) -> tuple[Point, int] | None:
        """13 December [1937], 13th of Dec (after an optional "the"), 13. Dezember 1937,
        13 de diciembre de 1937."""
        d = self.day(i)
        if d is None:
            return None
        k = d[1]
        if (t := self.tok(k)) is not None and t.kind == "dot" and self.month(k + 1) is not None:
            k += 1   # German writes the day as an ordinal: "13. Dezember"
        k = k + 1 if self.word(k) in _OF else k
        m = self.month(k)
        if m is None:
            return None
        y = self.year(self.of_year(self.skip(m[1], "comma")))
        if y is not None:
            return Point(y[0], m[0], d[0], True), y[1]
        return Point(None, m[0], d[0], False), m[1]

    def month_first(self, i: int) -> tuple[Point, int] | None:
        """Dec 13[, 1937] / December[,] 1937 / December."""
        m = self.month(i)
        if m is None:
            return None
        k = self.skip(m[1], "comma")
        d = self.day(k)
        if d is None and self.year(self.of_year(k)) is not None:
            k = self.of_year(k)   # "diciembre de 1937"
        if d is not None:
            y = self.year(self.skip(d[1], "comma"))
            if y is not None:
                return Point(y[0], m[0], d[0], True), y[1]
            return Point(None, m[0], d[0], False), d[1]
        y = self.year(k)
        if y is not None:
            return Point(y[0], m[0], None, True), y[1]
        return Point(None, m[0], None, False, bare_month_word=m[2]), m[1]

    def of_year(self, i: int) -> int:
        """Past a "de" before a year ("de 1937"), or ``i``."""
        return i + 1 if self.word(i) in _OF and self.year(i + 1) is not None else i

    def year_first(self, i: int) -> tuple[Point, int] | None:
        """1937 [December [13]] / 1937."""
        y = self.year(i)
        if y is None:
            return None
        m = self.month(y[1])
        if m is not None:
            d = self.day(m[1])
            if d is not None:
                return Point(y[0], m[0], d[0], True), d[1]
            return Point(y[0], m[0], None, True), m[1]
        return Point(y[0], None, None, True), y[1]

    def numeric(self, i: int) -> tuple[Point, int] | None:
        """All-number dates written without spaces: 1937/12/13, 1937.12.13, 13.12.1937,
        13-12-1937, 12/13/1937 (month first or day first, whichever is possible), 12/1937."""
        toks = self.toks[i:i + 5]
        if len(toks) < 3 or any(t.kind not in ("num", "slash", "dot", "dash") for t in toks[:3]):
            return None
        if any(a.end != b.start for a, b in pairwise(toks)):
            toks = toks[:next(n for n, (a, b) in enumerate(pairwise(toks), 1)
                              if a.end != b.start)]
        kinds = [t.kind for t in toks]
        if len(toks) >= 5 and kinds[0] == kinds[2] == kinds[4] == "num" and kinds[1] == kinds[3] \
                and kinds[1] in ("slash", "dot", "dash") and not any(t.ordinal for t in toks[::2]):
            a, b, c = (t.text for t in toks[::2])
            x, y, z = (int(v) for v in (a, b, c))
            if len(a) == 4 and len(b) <= 2 and len(c) <= 2 and kinds[1] != "dash":
                return Point(x, y, z, True), i + 5
            if len(c) == 4 and len(a) <= 2 and len(b) <= 2:
                if kinds[1] != "slash" or x > 12 or x == y:
                    return Point(z, y, x, True), i + 5               # day first
                if y > 12:
                    return Point(z, x, y, True), i + 5               # month first
                return Point(z, x, y, True, ambiguous=True), i + 5
            return None
        if kinds[:3] == ["num", "slash", "num"] and len(toks[0].text) <= 2 \
                and len(toks[2].text) == 4 and not toks[0].ordinal:
            if len(toks) > 3 and toks[3].kind in ("slash", "dot", "dash", "num"):
                return None
            return Point(int(toks[2].text), int(toks[0].text), None, True), i + 3  # 12/1937
        return None

    def separator(self, i: int, between: bool) -> int | None:
        t = self.tok(i)
        if t is None:
            return None
        if t.kind == "dash":
            return i + 1
        if t.kind == "word" and (t.text in _RANGE_WORDS or (between and t.text == "and")):
            return i + 1
        return None

    def bare_day_then_year(self, i: int) -> tuple[Point, int] | None:
        d = self.day(i)
        if d is None:
            return None
        y = self.year(self.skip(d[1], "comma"))
        if y is not None:
            return Point(y[0], None, d[0], True), y[1]
        return Point(None, None, d[0], False), d[1]

    def range_(self, i: int) -> tuple[Point, Point | None, int, int] | None:
        """(start point, end point or None, first token, end token) of a date or range at i."""
        lead = self.word(i)
        between = lead == "between"
        j = i + 1 if lead in ("between", "from") else i
        first = self.point(j)
        bare_start = False
        if first is None:
            d = self.day(j)
            if d is None or self.separator(d[1], between) is None:
                return None
            first, bare_start = (Point(None, None, d[0], False), d[1]), True
        p1, k = first
        t = self.tok(k)
        if t is not None and t.kind == "slash" and self.toks[k - 1].kind in ("iso", "num"):
            sep: int | None = k + 1 if p1.month is not None or p1.year is not None else None
            nt = self.tok(k + 1)
            if nt is None or nt.kind not in ("iso", "num"):
                sep = None
        else:
            sep = self.separator(k, between)
        if sep is not None:
            second = self.point(sep)
            if second is None and not bare_start and p1.day is not None:
                second = self.bare_day_then_year(sep)
            if second is not None:
                return p1, second[0], i, second[1]
        if bare_start or lead in ("between", "from"):
            return None
        return p1, None, i, k
