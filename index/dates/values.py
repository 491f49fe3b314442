"""The date values: ``DateSpan`` (what a timeline entry's normalized date means, ``parse_iso``),
``DateQuery`` (what a user asked about), ``DateMatch`` (a query found inside a longer text),
and ``format_date`` to show any of them. Pure functions, no I/O."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.dates.overlap import gap
from index.dates.units import (DAY, MONTH, MONTH_NAMES, PRECISIONS, YEAR, month_len, unit_bounds,
                         unit_start)

__all__ = ["DateSpan", "DateQuery", "DateMatch", "parse_iso", "format_date"]


def _infer_end_precision(start: date, end: date, precision: str) -> str:
    if precision == YEAR and (end.month, end.day) == (12, 31):
        return YEAR
    if precision in (YEAR, MONTH) and end.day == month_len(end.year, end.month):
        return MONTH
    return DAY


@dataclass(frozen=True)
class DateSpan:
    """An inclusive range of days. ``precision`` is that of the start (day / month / year).

    ``end_precision`` (not part of equality) is that of the end; inferred when not given.
    """

    start: date
    end: date
    precision: str
    end_precision: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, "
                             f"not {self.precision!r}")
        if self.end < self.start:
            raise ValueError(f"date span ends ({self.end}) before it starts ({self.start})")
        if self.end_precision not in PRECISIONS:
            object.__setattr__(self, "end_precision",
                               _infer_end_precision(self.start, self.end, self.precision))

    @property
    def days(self) -> int:
        """Number of days in the span (at least 1)."""
        return (self.end - self.start).days + 1

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def __str__(self) -> str:
        return format_date(self)


_ISO_PART_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _iso_part(part: str, whole: str) -> tuple[date, date, str]:
    m = _ISO_PART_RE.fullmatch(part)
    if not m:
        raise ValueError(f"{whole!r} is not a normalized date: expected YYYY, YYYY-MM, "
                         f"YYYY-MM-DD or START/END of those")
    y, mo, d = (int(g) if g is not None else None for g in m.groups())
    return unit_bounds(y, mo, d, part)


def parse_iso(value: str | date | int) -> DateSpan:
    """The corpus' normalized date -> DateSpan.

    ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those (mixed precision allowed,
    ``1946-08/1947-02``). Also accepts a ``datetime.date`` and an ``int`` year (unquoted YAML).
    Raises ``ValueError`` for malformed strings and ranges that end before they start, and its
    subclass ``InvalidDate`` for impossible dates (``1937-02-30``, month 13).
    """
    if isinstance(value, date):
        d = value.date() if hasattr(value, "date") and callable(value.date) else value
        return DateSpan(d, d, DAY, DAY)
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if not isinstance(value, str):
        raise ValueError(f"a date must be a string like \"1937-12-13\", not {type(value).__name__}")
    text = value.strip()
    parts = [p.strip() for p in text.split("/")]
    if len(parts) > 2:
        raise ValueError(f"{value!r} is not a normalized date: a range is START/END")
    s1, e1, p1 = _iso_part(parts[0], value)
    if len(parts) == 1:
        return DateSpan(s1, e1, p1, p1)
    s2, e2, p2 = _iso_part(parts[1], value)
    if e2 < s1:
        raise ValueError(f"date range {value!r} ends before it starts")
    return DateSpan(s1, e2, p1, p2)


@dataclass(frozen=True)
class DateQuery:
    """A date or range a user asked about.

    ``start``/``end`` are inclusive. ``start_has_year``/``end_has_year`` say whether each end was
    written with a year. When only one was, the other's year is inferred (``Jan 28 to Feb 3,
    1938`` starts 1938-01-28; ``Dec 20, 1937 - Jan 5`` ends 1938-01-05). When neither was
    (``yearless``), the query asks about a time of year: ``start``/``end`` then carry
    placeholder years (``YEARLESS_YEAR``; the end is one year later when the range crosses a
    year end, ``Dec 20 – Jan 5``) and only their months and days mean anything.
    """

    start: date
    end: date
    precision: str                      # of the start: day / month / year
    start_has_year: bool = True
    end_has_year: bool = True
    end_precision: str = ""             # of the end; defaults to ``precision``
    text: str = field(default="", compare=False)  # the text it was read from

    def __post_init__(self) -> None:
        if not self.end_precision:
            object.__setattr__(self, "end_precision", self.precision)

    @property
    def yearless(self) -> bool:
        return not (self.start_has_year or self.end_has_year)

    @property
    def wraps(self) -> bool:
        """A yearless range crossing a year end (``Dec 20 – Jan 5``)."""
        return self.yearless and self.end.year > self.start.year

    @property
    def span(self) -> DateSpan | None:
        """The query as a DateSpan, or None when it is yearless."""
        if self.yearless:
            return None
        return DateSpan(self.start, self.end, self.precision, self.end_precision)

    def matches(self, span: DateSpan) -> bool:
        """Does ``span`` overlap the query (for yearless queries: on those month/days)?"""
        return gap(self, span)[0] == 0

    def distance(self, span: DateSpan) -> int:
        return gap(self, span)[0]

    def __str__(self) -> str:
        return format_date(self)


@dataclass(frozen=True)
class DateMatch:
    """A date expression found inside a longer text: ``text[start:end]``."""

    query: DateQuery
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.query.text


def _fmt(d: date, precision: str, with_year: bool = True) -> str:
    month = MONTH_NAMES[d.month - 1]
    if precision == YEAR:
        return str(d.year)
    if precision == MONTH:
        return f"{month} {d.year}" if with_year else month
    return f"{d.day} {month} {d.year}" if with_year else f"{d.day} {month}"


def format_date(value: DateSpan | DateQuery | str | date) -> str:
    """Human-readable: ``13 December 1937``, ``December 1937``, ``1946``,
    ``14–21 December 1937``, ``28 January – 3 February 1938``, ``May 1946 – November 1948``,
    ``1946–1948``; a yearless query without years (``20 December – 5 January``).

    Accepts a DateSpan, a DateQuery, a ``datetime.date`` or a normalized ISO string (which
    ``parse_iso`` reads, so it may raise ``ValueError``). The output reads back with
    ``parse_date_query`` as the same range.
    """
    if isinstance(value, (str, int, date)) and not isinstance(value, bool):
        value = parse_iso(value)
    with_year = True
    if isinstance(value, DateQuery):
        with_year = not value.yearless
        start, end, sp, ep = value.start, value.end, value.precision, value.end_precision
    else:
        start, end, sp, ep = value.start, value.end, value.precision, value.end_precision
    first, last = _fmt(start, sp, with_year), _fmt(end, ep, with_year)
    if sp == ep and unit_start(start, sp) == unit_start(end, ep):
        return first
    same_year = start.year == end.year or not with_year
    if sp == ep == YEAR:
        return f"{start.year}–{end.year}"
    if sp == ep == DAY and same_year and start.month == end.month:
        tail = f" {MONTH_NAMES[start.month - 1]}" + (f" {start.year}" if with_year else "")
        return f"{start.day}–{end.day}{tail}"
    if sp == ep and sp in (DAY, MONTH) and same_year and with_year:
        return f"{_fmt(start, sp, False)} – {last}"
    return f"{first} – {last}"
