"""Text pieces every renderer shares: dates as the source writes them, whitespace flattening."""
from __future__ import annotations

import re

from index.dates import format_date

_WS = re.compile(r"\s+")
_ALNUM = re.compile(r"[^0-9a-z]+")


def flat(text: str) -> str:
    """Quotes keep their words but not the source's line breaks (whitespace is not content)."""
    return _WS.sub(" ", text).strip()


def date_label(date_text: str, iso: str, year_inferred: bool) -> str:
    """``August 13 (13 August 1937, year inferred)``; the normalized date only when it adds something."""
    normalized = format_date(iso)
    extra = [] if _ALNUM.sub("", date_text.lower()) == _ALNUM.sub("", normalized.lower()) else [normalized]
    if year_inferred:
        extra.append("year inferred")
    return f"{date_text} ({', '.join(extra)})" if extra else date_text
