"""``DateSpan``, what a timeline entry's normalized date means, and the one reader of the corpus'
date format (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those): ``read_iso``.
Pure functions, no I/O.

Errors, one style: a malformed date raises ``ValueError`` (``bad date '37': use YYYY, ...``); an
impossible one raises its subclass ``InvalidDate`` (``text`` and ``reason``: ``February 1937 has
28 days``), which the corpus reports as ``impossible date '1937-02-30': February 1937 has 28 days``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from index.dates.units import DAY, MONTH, MONTH_NAMES, PRECISIONS, YEAR, month_len, unit_bounds, unit_start

__all__ = ["DateSpan", "read_iso", "parse_iso", "format_span"]

_ISO_PART_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
FORMAT_HINT = "use YYYY, YYYY-MM, YYYY-MM-DD or START/END of those"


def _infer_end_precision(end: date, precision: str) -> str:
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
            object.__setattr__(self, "end_precision", _infer_end_precision(self.end, self.precision))

    @property
    def days(self) -> int:
        """Number of days in the span (at least 1)."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return format_span(self.start, self.end, self.precision, self.end_precision)


def _iso_part(part: str) -> tuple[date, date, str]:
    m = _ISO_PART_RE.fullmatch(part)
    if not m:
        raise ValueError(f"bad date {part!r}: {FORMAT_HINT}")
    y, mo, d = (int(g) if g is not None else None for g in m.groups())
    return unit_bounds(y, mo, d, part)


def read_iso(value: str | date | int) -> tuple[str, DateSpan]:
    """A corpus date -> (its normalized text, its DateSpan).

    ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those (mixed precision allowed,
    ``1946-08/1947-02``; spaces around the parts dropped). Also an unquoted YAML date
    (``datetime.date``) and an unquoted year (``int``). ``ValueError`` for a malformed date or a
    range that ends before it starts, ``InvalidDate`` for an impossible one (``1937-02-30``).
    """
    if isinstance(value, datetime):
        raise ValueError("a date must be a day, not a date and time")
    if isinstance(value, date):
        return value.isoformat(), DateSpan(value, value, DAY, DAY)
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}" if value >= 0 else str(value)
    if not isinstance(value, str):
        raise ValueError(f"a date must be a string like \"1937-12-13\", not {type(value).__name__}")
    parts = [p.strip() for p in value.strip().split("/")]
    if len(parts) > 2:
        raise ValueError(f"bad date range {value!r}: use START/END")
    s1, e1, p1 = _iso_part(parts[0])
    span = DateSpan(s1, e1, p1, p1)
    if len(parts) == 2:
        s2, e2, p2 = _iso_part(parts[1])
        if e2 < s1:
            raise ValueError(f"date range {value!r} ends before it starts")
        span = DateSpan(s1, e2, p1, p2)
    return "/".join(parts), span


def parse_iso(value: str | date | int) -> DateSpan:
    """The DateSpan of a corpus date (``read_iso`` without the text)."""
    return read_iso(value)[1]


def _fmt(d: date, precision: str, with_year: bool = True) -> str:
    month = MONTH_NAMES[d.month - 1]
    if precision == YEAR:
        return str(d.year)
    if precision == MONTH:
        return f"{month} {d.year}" if with_year else month
    return f"{d.day} {month} {d.year}" if with_year else f"{d.day} {month}"


def format_span(start: date, end: date, sp: str, ep: str, with_year: bool = True) -> str:
    """Human-readable: ``13 December 1937``, ``December 1937``, ``1946``, ``14–21 December 1937``,
    ``28 January – 3 February 1938``, ``May 1946 – November 1948``, ``1946–1948``; without years
    (``20 December – 5 January``) for a time of year."""
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
