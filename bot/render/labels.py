"""The date labels every renderer shares: dates as the source writes them."""
from __future__ import annotations

import re

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
