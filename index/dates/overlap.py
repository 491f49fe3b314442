"""How far a timeline entry's ``DateSpan`` is from the dates a user asked about, in days.

The asked dates come as their first and last day and whether they were written without any
year (what a ``DateQuery`` holds; ``DateQuery.gap`` calls ``gap``).

A query with a year compares plain date ranges. A yearless one (``Dec 13``, ``Dec 20 – Jan 5``)
asks about a time of year: it is tried in every year near the entry, and compared only with the
parts of the entry that pin down a time of year -- the whole entry when it is no longer than the
query (or than a month), else its first and last day or month; a year-only entry never matches
(``NO_DISTANCE``).
"""
from __future__ import annotations

from datetime import date, timedelta

from index.dates.spans import DateSpan
from index.dates.units import DAY, MONTH, NO_DISTANCE, month_len, unit_end, unit_start

__all__ = ["gap"]


def gap(start: date, end: date, yearless: bool, span: DateSpan) -> tuple[int, int]:
    """(days, side) from the asked ``start``-``end`` to the span: side -1 = the span lies
    before, +1 after, 0 overlapping (days 0), or ``(NO_DISTANCE, 0)`` when they cannot be
    compared. ``yearless``: the asked dates are a time of year (their years are placeholders,
    the end's one later when they cross a year end)."""
    if not yearless:
        return _interval_gap(start, end, span.start, span.end)
    wrap = end.year - start.year
    query_days = (end - start).days + 1
    best = (NO_DISTANCE, 0)
    for a, b in _anchors(span, query_days):
        for y in range(max(1, a.year - 1 - wrap), min(9999 - wrap, b.year + 1) + 1):
            qs = _md_date(y, start.month, start.day, True)
            qe = _md_date(y + wrap, end.month, end.day, False)
            if qs is None or qe is None or qs > qe:
                continue
            g = _interval_gap(qs, qe, a, b)
            if g[0] < best[0]:
                best = g
                if g[0] == 0:
                    return best
    return best


def _interval_gap(qs: date, qe: date, a: date, b: date) -> tuple[int, int]:
    """(days, side): side -1 = [a, b] lies before [qs, qe], +1 after, 0 overlapping."""
    if b < qs:
        return (qs - b).days, -1
    if a > qe:
        return (a - qe).days, 1
    return 0, 0


def _anchors(span: DateSpan, query_days: int) -> list[tuple[date, date]]:
    """The parts of ``span`` a yearless query compares month/days with."""
    if span.days <= max(31, query_days):
        return [(span.start, span.end)]
    out = []
    if span.precision in (DAY, MONTH):
        out.append((span.start, unit_end(span.start, span.precision)))
    if span.end_precision in (DAY, MONTH):
        out.append((unit_start(span.end, span.end_precision), span.end))
    return out


def _md_date(year: int, month: int, day: int, is_start: bool) -> date | None:
    if not 1 <= year <= 9999:
        return None
    length = month_len(year, month)
    if day <= length:
        return date(year, month, day)
    # Feb 29 (or a month end) in a shorter month: a start moves to the next day, an end back
    last = date(year, month, length)
    if is_start:
        return last + timedelta(days=1) if last < date.max else None
    return last
