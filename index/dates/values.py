"""What a user asked about: ``DateQuery`` (a date or range, maybe without a year), ``DateMatch``
(a query found inside a longer text), and ``format_date`` to show a query or a corpus date.
Pure functions, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from index.dates.overlap import gap
from index.dates.spans import DateSpan, format_span, parse_iso

__all__ = ["DateQuery", "DateMatch", "format_date"]


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
    def span(self) -> DateSpan | None:
        """The query as a DateSpan, or None when it is yearless."""
        if self.yearless:
            return None
        return DateSpan(self.start, self.end, self.precision, self.end_precision)

    def gap(self, span: DateSpan) -> tuple[int, int]:
        """(days, side) to ``span``: side -1 = it lies before, +1 after, 0 overlapping;
        ``(NO_DISTANCE, 0)`` when a yearless query cannot be compared with it (``1931``)."""
        return gap(self.start, self.end, self.yearless, span)

    def asked_for(self, span: DateSpan) -> tuple[date, date] | None:
        """The asked dates (start, end), in the span's year when the query gives none; None when
        that year has no such day (29 February in a common year)."""
        if not self.yearless:
            return self.start, self.end
        shift = span.start.year - self.start.year   # compare month/day in the span's year
        try:
            return self.start.replace(year=self.start.year + shift), self.end.replace(year=self.end.year + shift)
        except ValueError:
            return None

    def holds(self, span: DateSpan) -> bool:
        """Does ``span`` lie inside the asked dates ("August 1937" for "1937"), not around them
        ("December 1937" for "Dec 10")?"""
        asked = self.asked_for(span)
        return asked is not None and asked[0] <= span.start and span.end <= asked[1]

    def matches(self, span: DateSpan) -> bool:
        """Does ``span`` overlap the query (for yearless queries: on those month/days)?"""
        return self.gap(span)[0] == 0

    def distance(self, span: DateSpan) -> int:
        """Days to ``span``: 0 when they match, ``NO_DISTANCE`` when they cannot be compared."""
        return self.gap(span)[0]

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
    with_year = not value.yearless if isinstance(value, DateQuery) else True
    return format_span(value.start, value.end, value.precision, value.end_precision, with_year)
