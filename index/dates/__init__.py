"""Dates: the corpus' normalized ISO dates and the dates people type. Pure functions, no I/O.

Two kinds of values:

* ``DateSpan`` -- an inclusive range of real days, what a timeline entry's normalized ``date``
  (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those) means. ``read_iso``.
* ``DateQuery`` -- what a user typed (``Dec 13``, ``13 December 1937``, ``Aug 1946 - Feb 1947``,
  ``between Nov 12 and Dec 13``, ``1946–1948``, ``Sept 1972``, ``1937-12-13``, ``13.12.1937``,
  ``12/13/1937`` ...), in any case, with ordinals, commas, and any dash. ``parse_date_query``
  for a whole string, ``extract_date_query`` for a date inside a longer question.

Errors, consistently: text that is not a date at all gives ``None``; text that *looks like* a
date but cannot be one (``Feb 30``, ``1937-13``, ``Dec 32``, a range that ends before it starts,
``5/6/1937`` whose day and month could be either way round) raises ``InvalidDate`` (a
``ValueError``) whose message says why, e.g.
``“Feb 30” is not a valid date: February has at most 29 days``.

A query may leave out the year (``Dec 13``, ``Jan 28 to Feb 3``): it then asks about a time of
year and matches entries on those month/days in any year. Such a query only matches entries that
pin down a time of year themselves: an entry no longer than the query (or than a month) is
compared whole; a longer one (``May 1946 – Nov 1948``) only through its first and last day or
month; a year-only entry (``1931``) never. Queries with a year compare plain date ranges.

This module is the import point; the work is done by ``units`` (calendar basics,
``InvalidDate``), ``spans`` (``DateSpan``, the corpus' date format: ``read_iso``, ``parse_iso``),
``overlap`` (matching and distance), ``values`` (``DateQuery``, ``DateMatch``, ``format_date``),
``tokens`` and ``grammar`` (reading what people type) and ``parser`` (``parse_date_query``,
``extract_date_query``).
"""
from __future__ import annotations

from index.dates.parser import extract_date_query, parse_date_query
from index.dates.spans import DateSpan, parse_iso, read_iso
from index.dates.units import DAY, MONTH, MONTH_NAMES, NO_DISTANCE, YEAR, YEARLESS_YEAR, InvalidDate
from index.dates.values import DateMatch, DateQuery, format_date

__all__ = [
    "DAY", "MONTH", "YEAR", "MONTH_NAMES", "NO_DISTANCE", "YEARLESS_YEAR",
    "DateSpan", "DateQuery", "DateMatch", "InvalidDate",
    "read_iso", "parse_iso", "parse_date_query", "extract_date_query", "format_date",
]
