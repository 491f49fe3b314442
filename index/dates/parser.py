"""Reading the dates people type: ``parse_date_query`` for a whole string,
``extract_date_query`` for a date inside a longer question.

The text is normalized and tokenized (``date_tokens``), read as one or two points
(``date_grammar``), and the points are made into a ``DateQuery``: a missing month or year is
borrowed from the other end of a range, impossible dates raise ``InvalidDate``, and a query
with no year at all gets placeholder years (``YEARLESS_YEAR``).
"""
from __future__ import annotations

from datetime import date

from index.dates.grammar import Parser, Point
from index.dates.tokens import Tok, is_edge_punct, normalize, tokenize
from index.dates.units import (
    DATE_MONTHS,
    DAY,
    FULL_MONTH_WORDS,
    MONTH,
    MONTH_NAMES,
    YEAR,
    YEARLESS_YEAR,
    InvalidDate,
    month_len,
    unit_bounds,
)
from index.dates.values import DateMatch, DateQuery

__all__ = ["parse_date_query", "extract_date_query"]

# Month words that are also common English words: inside a longer question they only count as
# a date together with a day or a year ("may 3", "march 1938"), never alone.
_AMBIGUOUS_MONTH_WORDS = frozenset({"may", "march", "mayo", "mai"})
_FILLERS = frozenset({"on", "in", "during", "from", "between", "at", "around"})


def parse_date_query(text: str) -> DateQuery | None:
    """The whole of ``text`` as a date or range, ``None`` if it is not one.

    Raises ``InvalidDate`` when it looks like a date but is impossible (``Feb 30``, ``1937-13``,
    ``Dec 32``, a range ending before it starts). A leading ``on``/``in``/``during``/``from``/
    ``between`` and punctuation around the date are allowed.
    """
    if not isinstance(text, str) or not text:
        return None
    norm, pos = normalize(text)
    toks = tokenize(norm)
    lo, hi = 0, len(toks)
    while lo < hi and is_edge_punct(toks[lo]):
        lo += 1
    while hi > lo and is_edge_punct(toks[hi - 1]):
        hi -= 1
    toks = toks[lo:hi]
    if not toks:
        return None
    parser = Parser(toks, strict=False)
    found = parser.range_(0)
    if (found is None or found[3] != len(toks)) and parser.word(0) in _FILLERS:
        found = parser.range_(1)
    if found is None or found[3] != len(toks):
        return None
    p1, p2, i, j = found
    a, b = _original_span(pos, toks, i, j)
    return _build(p1, p2, text[a:b])


def extract_date_query(text: str) -> DateMatch | None:
    """The first date or range written inside a longer ``text`` (``what happened on dec 13``,
    ``dec 14-21 what happened``), with its character span in ``text``; ``None`` if there is none.

    Stricter than ``parse_date_query``: a month name alone counts only when it is written in full
    and is not also a common word (``december`` yes; ``may``, ``march``, ``dec`` no), a year alone
    only between 1800 and 2199. Raises ``InvalidDate`` for the first date-like expression that
    is impossible (``what happened on feb 30``).
    """
    if not isinstance(text, str) or not text:
        return None
    norm, pos = normalize(text)
    toks = tokenize(norm)
    parser = Parser(toks, strict=True)
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text not in DATE_MONTHS and t.text not in ("between", "from", "the"):
            continue
        if t.kind not in ("word", "num", "iso"):
            continue
        found = parser.range_(i)
        if found is None:
            continue
        p1, p2, a, b = found
        if p2 is None and p1.bare_month_word and (
                p1.bare_month_word in _AMBIGUOUS_MONTH_WORDS
                or p1.bare_month_word not in FULL_MONTH_WORDS):
            continue
        if not (_plausible_year(p1) and (p2 is None or _plausible_year(p2))):
            continue
        start, end = _original_span(pos, toks, a, b)
        query = _build(p1, p2, text[start:end])
        if query is None:
            continue
        return DateMatch(query, start, end)
    return None


def _original_span(pos: list[int], toks: list[Tok], i: int, j: int) -> tuple[int, int]:
    return pos[toks[i].start], pos[toks[j - 1].end - 1] + 1


def _plausible_year(p: Point) -> bool:
    return p.month is not None or p.year is None or 1800 <= p.year <= 2199


# --------------------------------------------------------------------------- points -> query


def _build(p1: Point, p2: Point | None, text: str) -> DateQuery | None:
    """Two points as written -> DateQuery; None if they do not make a date; InvalidDate."""
    for p in (p1, p2):
        if p is not None and p.ambiguous:
            raise InvalidDate(text, "the day and the month could be either way round; "
                                    "write the month as a word, like 13 December 1937")
    p2 = p2 if p2 is not None else Point(p1.year, p1.month, p1.day, p1.has_year)
    p1 = Point(p1.year, p1.month, p1.day, p1.has_year)
    if not _borrow_month(p1, p2):
        return None
    _check_md(p1, text)
    _check_md(p2, text)
    _infer_year(p1, p2, text)
    if p1.year is None or p2.year is None:           # a time of year: placeholder years
        start, end = _yearless_bounds(p1, p2, text)
    else:
        start, end = _first(p1, p1.year, text), _last(p2, p2.year, text)
        if end < start:
            raise InvalidDate(text, "it ends before it starts")
    return DateQuery(start, end, _precision(p1), p1.has_year, p2.has_year, _precision(p2), text)


def _borrow_month(p1: Point, p2: Point) -> bool:
    """A day without a month takes the other end's month (and year); False if neither has one."""
    if p1.month is None and p1.day is not None:      # "14–21 December 1937"
        if p2.month is None:
            return False
        p1.month = p2.month
        if p1.year is None:
            p1.year = p2.year
    if p2.month is None and p2.day is not None:      # "Dec 14-21"
        if p1.month is None:
            return False
        p2.month = p1.month
        if p2.year is None:
            p2.year = p1.year
    return True


def _infer_year(p1: Point, p2: Point, text: str) -> None:
    """When only one end has a year, the other's is the one that keeps the range in order."""
    if p1.year is None and p2.year is not None:
        y = p2.year
        if _first(p1, y, text) > _last(p2, y, text):
            y -= 1
        p1.year = y
    elif p2.year is None and p1.year is not None:
        y = p1.year
        if _last(p2, y, text) < _first(p1, y, text):
            y += 1
        p2.year = y


def _yearless_bounds(p1: Point, p2: Point, text: str) -> tuple[date, date]:
    """Start and end of a time of year, in placeholder years (the end's a year later when the
    range crosses a year end)."""
    assert p1.month is not None and p2.month is not None
    start_md = (p1.month, p1.day or 1)
    end_md = (p2.month, p2.day or month_len(YEARLESS_YEAR, p2.month))
    y1 = y2 = YEARLESS_YEAR
    if end_md < start_md:
        if p2.month >= p1.month:
            raise InvalidDate(text, "it ends before it starts")
        y1, y2 = (YEARLESS_YEAR, YEARLESS_YEAR + 1) if start_md == (2, 29) \
            else (YEARLESS_YEAR - 1, YEARLESS_YEAR)
    return _first(p1, y1, text), _last(p2, y2, text)


def _check_md(p: Point, text: str) -> None:
    if p.month is not None and not 1 <= p.month <= 12:
        raise InvalidDate(text, f"there is no month {p.month}")
    if p.day is not None:
        if p.day < 1:
            raise InvalidDate(text, f"there is no day {p.day}")
        if p.month is not None and p.year is None:
            most = month_len(YEARLESS_YEAR, p.month)
            if p.day > most:
                name = MONTH_NAMES[p.month - 1]
                raise InvalidDate(text, f"{name} has at most {most} days" if p.month == 2
                                  else f"{name} has {most} days")


def _precision(p: Point) -> str:
    return DAY if p.day is not None else MONTH if p.month is not None else YEAR


def _first(p: Point, year: int, text: str) -> date:
    return unit_bounds(year, p.month, p.day, text)[0]


def _last(p: Point, year: int, text: str) -> date:
    return unit_bounds(year, p.month, p.day, text)[1]
