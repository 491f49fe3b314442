"""Dates: the corpus' normalized ISO dates and the dates people type. Pure functions, no I/O.

Two kinds of values:

* ``DateSpan`` -- an inclusive range of real days, what a timeline entry's normalized ``date``
  (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those) means. ``parse_iso``.
* ``DateQuery`` -- what a user typed (``Dec 13``, ``13 December 1937``, ``Aug 1946 - Feb 1947``,
  ``between Nov 12 and Dec 13``, ``1946–1948``, ``Sept 1972``, ``1937-12-13``, ``13.12.1937``,
  ``12/13/1937`` ...), in any case, with ordinals, commas, and any dash. ``parse_date_query``
  for a whole string, ``extract_date_query`` for a date inside a longer question.

Errors, consistently: text that is not a date at all gives ``None``; text that *looks like* a
date but cannot be one (``Feb 30``, ``1937-13``, ``Dec 32``, a range that ends before it starts,
``5/6/1937`` whose day and month could be either way round) raises ``InvalidDate`` (a ``ValueError``) whose message says why, e.g.
``“Feb 30” is not a valid date: February has at most 29 days``.

A query may leave out the year (``Dec 13``, ``Jan 28 to Feb 3``): it then asks about a time of
year and matches entries on those month/days in any year. Such a query only matches entries that
pin down a time of year themselves: an entry no longer than the query (or than a month) is
compared whole; a longer one (``May 1946 – Nov 1948``) only through its first and last day or
month; a year-only entry (``1931``) never. Queries with a year compare plain date ranges.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "DAY", "MONTH", "YEAR", "MONTH_NAMES", "NO_DISTANCE",
    "DateSpan", "DateQuery", "DateMatch", "InvalidDate",
    "parse_iso", "parse_date_query", "extract_date_query", "format_date", "distance_days",
]

DAY, MONTH, YEAR = "day", "month", "year"
_PRECISIONS = (DAY, MONTH, YEAR)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({"jan": 1, "feb": 2, "febr": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
                "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
# Month words that are also common English words: inside a longer question they only count as
# a date together with a day or a year ("may 3", "march 1938"), never alone.
_AMBIGUOUS_MONTH_WORDS = frozenset({"may", "march"})

# Distance reported for a yearless query and an entry that names no month/day (``1931``).
NO_DISTANCE = 10 ** 9

# Placeholder year for the dates of a yearless query (a leap year, so "Feb 29" is possible).
YEARLESS_YEAR = 2000

_MAX_QUOTE = 60  # characters of the user's text quoted in an InvalidDate message


class InvalidDate(ValueError):
    """Text that looks like a date but is impossible. ``text``: what was written; ``reason``."""

    def __init__(self, text: str, reason: str):
        self.text = text
        self.reason = reason
        shown = text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE - 1] + "…"
        super().__init__(f"“{shown}” is not a valid date: {reason}")


# --------------------------------------------------------------------------- spans


def _month_len(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _unit_end(d: date, precision: str) -> date:
    if precision == YEAR:
        return date(d.year, 12, 31)
    if precision == MONTH:
        return date(d.year, d.month, _month_len(d.year, d.month))
    return d


def _unit_start(d: date, precision: str) -> date:
    if precision == YEAR:
        return date(d.year, 1, 1)
    if precision == MONTH:
        return date(d.year, d.month, 1)
    return d


def _infer_end_precision(start: date, end: date, precision: str) -> str:
    if precision == YEAR and (end.month, end.day) == (12, 31):
        return YEAR
    if precision in (YEAR, MONTH) and end.day == _month_len(end.year, end.month):
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
        if self.precision not in _PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(_PRECISIONS)}, "
                             f"not {self.precision!r}")
        if self.end < self.start:
            raise ValueError(f"date span ends ({self.end}) before it starts ({self.start})")
        if self.end_precision not in _PRECISIONS:
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
    return _unit(y, mo, d, part)


def _unit(year: int, month: int | None, day: int | None, text: str) -> tuple[date, date, str]:
    """The first and last day of a year / month / day, or InvalidDate saying why not."""
    if not 1 <= year <= 9999:
        raise InvalidDate(text, f"year {year} is out of range (1-9999)")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), YEAR
    if not 1 <= month <= 12:
        raise InvalidDate(text, f"there is no month {month}")
    length = _month_len(year, month)
    if day is None:
        return date(year, month, 1), date(year, month, length), MONTH
    if day < 1:
        raise InvalidDate(text, f"there is no day {day}")
    if day > length:
        raise InvalidDate(text, f"{MONTH_NAMES[month - 1]} {year} has {length} days")
    d = date(year, month, day)
    return d, d, DAY


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


# --------------------------------------------------------------------------- queries


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
        return _gap(self, span)[0] == 0

    def distance(self, span: DateSpan) -> int:
        return _gap(self, span)[0]

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


def distance_days(query: DateQuery, span: DateSpan) -> int:
    """Days between the query and the span: 0 when they match, ``NO_DISTANCE`` when a yearless
    query cannot be compared with the span (a year-only entry)."""
    return _gap(query, span)[0]


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
        out.append((span.start, _unit_end(span.start, span.precision)))
    if span.end_precision in (DAY, MONTH):
        out.append((_unit_start(span.end, span.end_precision), span.end))
    return out


def _md_date(year: int, month: int, day: int, is_start: bool) -> date | None:
    if not 1 <= year <= 9999:
        return None
    length = _month_len(year, month)
    if day <= length:
        return date(year, month, day)
    # Feb 29 (or a month end) in a shorter month: a start moves to the next day, an end back
    last = date(year, month, length)
    if is_start:
        return last + timedelta(days=1) if last < date.max else None
    return last


def _gap(q: DateQuery, span: DateSpan) -> tuple[int, int]:
    if not q.yearless:
        return _interval_gap(q.start, q.end, span.start, span.end)
    wrap = q.end.year - q.start.year
    query_days = (q.end - q.start).days + 1
    best = (NO_DISTANCE, 0)
    for a, b in _anchors(span, query_days):
        for y in range(max(1, a.year - 1 - wrap), min(9999 - wrap, b.year + 1) + 1):
            qs = _md_date(y, q.start.month, q.start.day, True)
            qe = _md_date(y + wrap, q.end.month, q.end.day, False)
            if qs is None or qe is None or qs > qe:
                continue
            g = _interval_gap(qs, qe, a, b)
            if g[0] < best[0]:
                best = g
                if g[0] == 0:
                    return best
    return best


# --------------------------------------------------------------------------- reading queries

_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d")

_TOKEN_RE = re.compile(r"""
    (?P<iso>(?<![0-9])[0-9]{4}-[0-9]{1,2}(?:-[0-9]{1,2})?(?![0-9]))
  | (?P<num>[0-9]+)(?:(?P<ord>st|nd|rd|th)(?![^\W\d_]))?
  | (?P<word>[^\W\d_]+)
  | (?P<dash>-+)
  | (?P<slash>/)
  | (?P<comma>,)
  | (?P<dot>\.)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.X | re.S)

_RANGE_WORDS = frozenset({"to", "until", "till", "til", "through", "thru"})
_FILLERS = frozenset({"on", "in", "during", "from", "between", "at", "around"})


@dataclass
class _Tok:
    kind: str          # iso num word dash slash comma dot other
    text: str
    start: int         # offsets in the normalized text
    end: int
    value: object = None
    ordinal: bool = False


@dataclass
class _P:
    """One end of a date as written: any part may be missing."""

    year: int | None
    month: int | None
    day: int | None
    has_year: bool
    bare_month_word: str = ""   # set when the point is only a month name
    ambiguous: bool = False     # 5/6/1937: day and month could be either way round


def _normalize(text: str) -> tuple[str, list[int]]:
    """Case-folded NFKC text with dashes unified and invisible characters dropped, plus for each
    character of it the offset of the original character it came from."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DASHES:
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
            out.append("-" if c in _DASHES else c)
            pos.append(i)
    return "".join(out), pos


def _tokens(norm: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(norm):
        if m.group("space") is not None:
            continue
        if m.group("iso") is not None:
            value = tuple(int(x) for x in m.group("iso").split("-"))
            toks.append(_Tok("iso", m.group(), m.start(), m.end(), value))
        elif m.group("num") is not None:
            digits = m.group("num")  # only 1-2 (day) and 4 (year) digits ever mean a date
            toks.append(_Tok("num", digits, m.start(), m.end(),
                             int(digits) if len(digits) <= 4 else -1,
                             ordinal=m.group("ord") is not None))
        else:
            toks.append(_Tok(m.lastgroup or "other", m.group(), m.start(), m.end()))
    return toks


class _Parser:
    """Recursive descent over tokens. ``strict``: inside a longer text, accept fewer forms."""

    def __init__(self, toks: list[_Tok], strict: bool):
        self.toks = toks
        self.strict = strict

    def tok(self, i: int) -> _Tok | None:
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
        m = _MONTHS.get(w)
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

    def point(self, i: int) -> tuple[_P, int] | None:
        t = self.tok(i)
        if t is None:
            return None
        if t.kind == "iso":
            parts = list(t.value) + [None] * (3 - len(t.value))  # type: ignore[arg-type]
            return _P(parts[0], parts[1], parts[2], True), i + 1
        numeric = self.numeric(i)
        if numeric is not None:
            return numeric
        j = i + 1 if self.word(i) == "the" else i
        d = self.day(j)
        if d is not None:  # 13 December [1937], the 13th of Dec
            k = d[1] + 1 if self.word(d[1]) == "of" else d[1]
            m = self.month(k)
            if m is not None:
                y = self.year(self.skip(m[1], "comma"))
                if y is not None:
                    return _P(y[0], m[0], d[0], True), y[1]
                return _P(None, m[0], d[0], False), m[1]
        if j != i:
            return None
        m = self.month(i)
        if m is not None:  # Dec 13[, 1937] / December[,] 1937 / December
            k = self.skip(m[1], "comma")
            d = self.day(k)
            if d is not None:
                y = self.year(self.skip(d[1], "comma"))
                if y is not None:
                    return _P(y[0], m[0], d[0], True), y[1]
                return _P(None, m[0], d[0], False), d[1]
            y = self.year(k)
            if y is not None:
                return _P(y[0], m[0], None, True), y[1]
            return _P(None, m[0], None, False, bare_month_word=m[2]), m[1]
        y = self.year(i)
        if y is not None:  # 1937 [December [13]] / 1937
            m = self.month(y[1])
            if m is not None:
                d = self.day(m[1])
                if d is not None:
                    return _P(y[0], m[0], d[0], True), d[1]
                return _P(y[0], m[0], None, True), m[1]
            return _P(y[0], None, None, True), y[1]
        return None

    def numeric(self, i: int) -> tuple[_P, int] | None:
        """All-number dates written without spaces: 1937/12/13, 1937.12.13, 13.12.1937,
        13-12-1937, 12/13/1937 (month first or day first, whichever is possible), 12/1937."""
        toks = self.toks[i:i + 5]
        if len(toks) < 3 or any(t.kind not in ("num", "slash", "dot", "dash") for t in toks[:3]):
            return None
        if any(a.end != b.start for a, b in zip(toks, toks[1:])):
            toks = toks[:next(n for n, (a, b) in enumerate(zip(toks, toks[1:]), 1)
                              if a.end != b.start)]
        kinds = [t.kind for t in toks]
        if len(toks) >= 5 and kinds[0] == kinds[2] == kinds[4] == "num" and kinds[1] == kinds[3] \
                and kinds[1] in ("slash", "dot", "dash") and not any(t.ordinal for t in toks[::2]):
            a, b, c = (t.text for t in toks[::2])
            x, y, z = (int(v) for v in (a, b, c))
            if len(a) == 4 and len(b) <= 2 and len(c) <= 2 and kinds[1] != "dash":
                return _P(x, y, z, True), i + 5
            if len(c) == 4 and len(a) <= 2 and len(b) <= 2:
                if kinds[1] != "slash" or x > 12 or x == y:
                    return _P(z, y, x, True), i + 5               # day first
                if y > 12:
                    return _P(z, x, y, True), i + 5               # month first
                return _P(z, x, y, True, ambiguous=True), i + 5
            return None
        if kinds[:3] == ["num", "slash", "num"] and len(toks[0].text) <= 2 \
                and len(toks[2].text) == 4 and not toks[0].ordinal:
            if len(toks) > 3 and toks[3].kind in ("slash", "dot", "dash", "num"):
                return None
            return _P(int(toks[2].text), int(toks[0].text), None, True), i + 3  # 12/1937
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

    def bare_day_then_year(self, i: int) -> tuple[_P, int] | None:
        d = self.day(i)
        if d is None:
            return None
        y = self.year(self.skip(d[1], "comma"))
        if y is not None:
            return _P(y[0], None, d[0], True), y[1]
        return _P(None, None, d[0], False), d[1]

    def range_(self, i: int) -> tuple[_P, _P | None, int, int] | None:
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
            first, bare_start = (_P(None, None, d[0], False), d[1]), True
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


def _check_md(p: _P, text: str) -> None:
    if p.month is not None and not 1 <= p.month <= 12:
        raise InvalidDate(text, f"there is no month {p.month}")
    if p.day is not None:
        if p.day < 1:
            raise InvalidDate(text, f"there is no day {p.day}")
        if p.month is not None and p.year is None:
            most = _month_len(YEARLESS_YEAR, p.month)
            if p.day > most:
                name = MONTH_NAMES[p.month - 1]
                raise InvalidDate(text, f"{name} has at most {most} days" if p.month == 2
                                  else f"{name} has {most} days")


def _precision(p: _P) -> str:
    return DAY if p.day is not None else MONTH if p.month is not None else YEAR


def _first(p: _P, year: int, text: str) -> date:
    return _unit(year, p.month, p.day, text)[0]


def _last(p: _P, year: int, text: str) -> date:
    return _unit(year, p.month, p.day, text)[1]


def _build(p1: _P, p2: _P | None, text: str) -> DateQuery | None:
    """Two points as written -> DateQuery; None if they do not make a date; InvalidDate."""
    for p in (p1, p2):
        if p is not None and p.ambiguous:
            raise InvalidDate(text, "the day and the month could be either way round; "
                                    "write the month as a word, like 13 December 1937")
    p2 = p2 if p2 is not None else _P(p1.year, p1.month, p1.day, p1.has_year)
    p1 = _P(p1.year, p1.month, p1.day, p1.has_year)
    if p1.month is None and p1.day is not None:      # "14–21 December 1937"
        if p2.month is None:
            return None
        p1.month = p2.month
        if p1.year is None:
            p1.year = p2.year
    if p2.month is None and p2.day is not None:      # "Dec 14-21"
        if p1.month is None:
            return None
        p2.month = p1.month
        if p2.year is None:
            p2.year = p1.year
    _check_md(p1, text)
    _check_md(p2, text)
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
    if p1.year is None or p2.year is None:           # a time of year: placeholder years
        assert p1.month is not None and p2.month is not None
        start_md = (p1.month, p1.day or 1)
        end_md = (p2.month, p2.day or _month_len(YEARLESS_YEAR, p2.month))
        y1 = y2 = YEARLESS_YEAR
        if end_md < start_md:
            if p2.month >= p1.month:
                raise InvalidDate(text, "it ends before it starts")
            y1, y2 = (YEARLESS_YEAR, YEARLESS_YEAR + 1) if start_md == (2, 29) \
                else (YEARLESS_YEAR - 1, YEARLESS_YEAR)
        start, end = _first(p1, y1, text), _last(p2, y2, text)
    else:
        start, end = _first(p1, p1.year, text), _last(p2, p2.year, text)
        if end < start:
            raise InvalidDate(text, "it ends before it starts")
    return DateQuery(start, end, _precision(p1), p1.has_year, p2.has_year, _precision(p2), text)


def _original_span(pos: list[int], toks: list[_Tok], i: int, j: int) -> tuple[int, int]:
    return pos[toks[i].start], pos[toks[j - 1].end - 1] + 1


def _is_edge_punct(t: _Tok) -> bool:
    if t.kind in ("comma", "dot", "dash"):
        return True
    return t.kind == "other" and unicodedata.category(t.text[0]).startswith("P")


def parse_date_query(text: str) -> DateQuery | None:
    """The whole of ``text`` as a date or range, ``None`` if it is not one.

    Raises ``InvalidDate`` when it looks like a date but is impossible (``Feb 30``, ``1937-13``,
    ``Dec 32``, a range ending before it starts). A leading ``on``/``in``/``during``/``from``/
    ``between`` and punctuation around the date are allowed.
    """
    if not isinstance(text, str) or not text:
        return None
    norm, pos = _normalize(text)
    toks = _tokens(norm)
    lo, hi = 0, len(toks)
    while lo < hi and _is_edge_punct(toks[lo]):
        lo += 1
    while hi > lo and _is_edge_punct(toks[hi - 1]):
        hi -= 1
    toks = toks[lo:hi]
    if not toks:
        return None
    parser = _Parser(toks, strict=False)
    found = parser.range_(0)
    if (found is None or found[3] != len(toks)) and parser.word(0) in _FILLERS:
        found = parser.range_(1)
    if found is None or found[3] != len(toks):
        return None
    p1, p2, i, j = found
    a, b = _original_span(pos, toks, i, j)
    return _build(p1, p2, text[a:b])


def _plausible_year(p: _P) -> bool:
    return p.month is not None or p.year is None or 1800 <= p.year <= 2199


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
    norm, pos = _normalize(text)
    toks = _tokens(norm)
    parser = _Parser(toks, strict=True)
    for i, t in enumerate(toks):
        if t.kind == "word" and t.text not in _MONTHS and t.text not in ("between", "from", "the"):
            continue
        if t.kind not in ("word", "num", "iso"):
            continue
        found = parser.range_(i)
        if found is None:
            continue
        p1, p2, a, b = found
        if p2 is None and p1.bare_month_word and (
                p1.bare_month_word in _AMBIGUOUS_MONTH_WORDS
                or p1.bare_month_word != MONTH_NAMES[p1.month - 1].lower()):  # type: ignore[index]
            continue
        if not (_plausible_year(p1) and (p2 is None or _plausible_year(p2))):
            continue
        start, end = _original_span(pos, toks, a, b)
        query = _build(p1, p2, text[start:end])
        if query is None:
            continue
        return DateMatch(query, start, end)
    return None


# --------------------------------------------------------------------------- formatting


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
    if sp == ep and _unit_start(start, sp) == _unit_start(end, ep):
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
