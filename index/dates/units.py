"""Calendar basics shared by the date modules: precisions, month names and lengths, the first
and last day of a year / month / day, and ``InvalidDate``. Pure functions, no I/O."""
from __future__ import annotations

import calendar
from datetime import date

from index.text.cut import cut

__all__ = [
    "DAY", "MONTH", "YEAR", "PRECISIONS", "MONTH_NAMES", "MONTHS", "DATE_MONTHS", "FULL_MONTH_WORDS", "NO_DISTANCE",
    "YEARLESS_YEAR",
    "InvalidDate", "month_len", "unit_start", "unit_end", "unit_bounds",
]

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Month words, in lower case, -> month number: the names and their usual abbreviations.
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
MONTHS.update({"jan": 1, "feb": 2, "febr": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
               "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
# The months of the other languages the bot reads (German, Spanish; Chinese and Japanese write
# 12月), for reading the dates people type: their full names, and abbreviations no other word
# shares. Not in MONTHS, which the tokenizer also reads words with: "mayo" and "Mai" in a
# question are no English "may".
FOREIGN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "marz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "dezember": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
DATE_MONTHS: dict[str, int] = {**MONTHS, **FOREIGN_MONTHS, "okt": 10, "dez": 12, "dic": 12}
# Month words written in full: alone inside a question ("events in december", "im Dezember")
# they name a month; an abbreviation alone ("dec", "dez") does not.
FULL_MONTH_WORDS = frozenset(name.lower() for name in MONTH_NAMES) | frozenset(FOREIGN_MONTHS)

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
        super().__init__(f"“{cut(text, _MAX_QUOTE)}” is not a valid date: {reason}")


def month_len(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def unit_end(d: date, precision: str) -> date:
    """The last day of the year / month / day ``d`` is in."""
    if precision == YEAR:
        return date(d.year, 12, 31)
    if precision == MONTH:
        return date(d.year, d.month, month_len(d.year, d.month))
    return d


def unit_start(d: date, precision: str) -> date:
    """The first day of the year / month / day ``d`` is in."""
    if precision == YEAR:
        return date(d.year, 1, 1)
    if precision == MONTH:
        return date(d.year, d.month, 1)
    return d


def unit_bounds(year: int, month: int | None, day: int | None, text: str) -> tuple[date, date, str]:
    """The first and last day of a year / month / day, or InvalidDate saying why not."""
    if not 1 <= year <= 9999:
        raise InvalidDate(text, f"year {year} is out of range (1-9999)")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), YEAR
    if not 1 <= month <= 12:
        raise InvalidDate(text, f"there is no month {month}")
    length = month_len(year, month)
    if day is None:
        return date(year, month, 1), date(year, month, length), MONTH
    if day < 1:
        raise InvalidDate(text, f"there is no day {day}")
    if day > length:
        raise InvalidDate(text, f"{MONTH_NAMES[month - 1]} {year} has {length} days")
    d = date(year, month, day)
    return d, d, DAY
