"""The date labels every renderer shares (dates as the source writes them), and what a timeline
query can be."""
from __future__ import annotations

import re
from collections.abc import Callable

from bot.answering.answers import Quote
from index.dates import format_date

_ALNUM = re.compile(r"[^0-9a-z]+")


def date_label(date_text: str, iso: str, year_inferred: bool) -> str:
    """``August 13 (13 August 1937, year inferred)``; the normalized date only when it adds something."""
    normalized = format_date(iso)
    extra = [] if _ALNUM.sub("", date_text.lower()) == _ALNUM.sub("", normalized.lower()) else [normalized]
    if year_inferred:
        extra.append("year inferred")
    return f"{date_text} ({', '.join(extra)})" if extra else date_text


def quote_date_label(quote: Quote) -> str | None:
    """The date label of a quote from a timeline entry; None for a quote without a date."""
    if not (quote.date and quote.date_text):
        return None
    return date_label(quote.date_text, quote.date, quote.year_inferred)


def timeline_hint(mark: Callable[[str], str]) -> str:
    """What to try when a timeline query matched nothing, each example marked up by ``mark``."""
    dates = ", ".join(mark(d) for d in ("Dec 13", "December 1937", "1946"))
    return f"Try a date such as {dates}, or words such as {mark('safety zone')}"
