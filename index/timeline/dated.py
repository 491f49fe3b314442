"""Timeline entries a question names by date ("dec 14-21 what happened", "aug 13 what happened").

Used by the answer builder: a question that names a date is answered from the entries of that
date, best fit first. Only dates the question names; words go through retrieval.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.model import TimelineEntry
from index.dates import DateQuery, InvalidDate, extract_date_query, format_date
from index.timeline.search import TimelineSearch


@dataclass(frozen=True)
class DatedEntries:
    query: DateQuery | None        # the date the question names (None: it names none)
    span: tuple[int, int] = (0, 0) # where in the question
    entries: tuple[TimelineEntry, ...] = ()   # entries of that date, best fit first
    error: str | None = None       # the question holds an impossible date ("Feb 30")
    # a bare year that names a thing ("the 2007 documentary"), not when something happened
    qualifies: bool = False

    @property
    def label(self) -> str:
        return format_date(self.query) if self.query else ""


def _fit(query: DateQuery, span) -> float:
    """How well an entry's dates fit the asked dates: shared days over all days (1 = same span)."""
    asked = query.asked_for(span)
    if asked is None:
        return 0.0
    q_start, q_end = asked
    shared = (min(q_end, span.end) - max(q_start, span.start)).days + 1
    total = (max(q_end, span.end) - min(q_start, span.start)).days + 1
    return max(0, shared) / total


# A date that bounds what is asked ("did they restore ties before 1980", "vor 1980", "1980年以前")
# is not the date asked about: the words decide, and no entry need be dated then.
_BOUND_BEFORE = re.compile(r"\b(?:before|after|since|until|till|by|prior to|earlier than|later than"
                           r"|vor|nach|seit|bis|antes de|despu[ée]s de|desde|hasta)"
                           r"\s+(?:the\s+|dem\s+|el\s+)?(?:year\s+|jahr\s+|año\s+)?$", re.I)
_BOUND_AFTER = re.compile(r"\s*年?(?:以前|之前|以后|以後|之后|之後|前|后|後|より前|以降|まで)")
# A bare year that names a thing by it: "the 2007 documentary", "Nanking (2007)", "el documental
# de 2007", "der Film von 2007", "2007年のドキュメンタリー". The entries of that year are of other
# things that year ("who directed the 2007 documentary": a reader's comment of 2007 is no answer).
_YEAR = re.compile(r"\d{4}\s*年?")
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|his|her|their)\s+$", re.I)
_WORD_AFTER = re.compile(r"\s+\w")
_OF_BEFORE = re.compile(r"(?:\b(?:de|del|von|aus)\s+|\(\s*)$", re.I)
_OF_AFTER = re.compile(r"\s*年?(?:の|的)")


def _qualifies(question: str, start: int, end: int) -> bool:
    if not _YEAR.fullmatch(question[start:end].strip()):
        return False
    return bool(_ARTICLE_BEFORE.search(question, 0, start) and _WORD_AFTER.match(question, end)
                or _OF_BEFORE.search(question, 0, start) or _OF_AFTER.match(question, end))


def dated_entries(timeline: TimelineSearch, question: str) -> DatedEntries:
    try:
        found = extract_date_query(question)
    except InvalidDate as exc:
        return DatedEntries(None, error=str(exc))
    if not found or _BOUND_BEFORE.search(question, 0, found.start) or _BOUND_AFTER.match(question, found.end):
        return DatedEntries(None)
    fits = []
    for entry in timeline.all():
        span = timeline.span(entry)
        if found.query.matches(span):
            fits.append((-_fit(found.query, span), span.start, entry))
    ordered = tuple(entry for _, _, entry in sorted(fits, key=lambda f: (f[0], f[1])))
    return DatedEntries(found.query, (found.start, found.end), ordered,
                        qualifies=_qualifies(question, found.start, found.end))
