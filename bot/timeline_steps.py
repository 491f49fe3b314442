"""A step along the timeline from the last answer: "what happened next?", "and before that?",
"Was geschah danach?", "¿Y antes?", "然后呢？", "その前は？".

After an answer whose first quote is dated (a timeline entry, or a passage holding dated entries
of the timeline: "By November 12th, Shanghai had fallen and by December 13th, ..."), such a
message means the sources' events after (or before) that date, not a search of its own few words
("what happened next" found nothing: "they never mention “next”"). The reply quotes the
timeline's entries dated after the latest date of that quote, in order (before: the entries
dated before its earliest, the latest first), each verbatim with its attribution, like any
answer. A further step, or "tell me more", goes on from the entries shown.

Recognised is a whole message of such words, in the languages the bot reads; one that says what
it asks about ("what happened after the war?", "what happened next to Rabe?") is a question, and
an answer with no date to go on leaves the message to be read as one ("その後どうなった？" after
"who was Minnie Vautrin?" asks what became of her).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answering.answers import SOURCES_IN_ENGLISH, Answer, unanswered
from bot.answering.language import cjk_run
from bot.answering.quotes import context_notes
from bot.answering.types import Quote
from bot.referring import language
from index.dates.spans import DateSpan
from index.dates.values import format_date
from index.retrieval.protocol import Candidate

if TYPE_CHECKING:
    from bot.asking_more import Asked
    from index.corpus.model import TimelineEntry
    from index.engine import Index

AFTER, BEFORE = "after", "before"

_LEAD = (r"(?:(?:ok|okay|oh|so|and|alright|right|hmm|cool|thanks|great|interesting|und|also|gut|danke"
         r"|y|vale|bien|gracias)[,!.]?\s+)*")
_TAIL = r"(?:[\s,]+(?:please|pls|bitte|por\s+favor))?[\s?.!]*"
_PAST = r"(?:happened|happens|came|comes|followed|occurred|took\s+place|was)"
_ENGLISH = {
    AFTER: r"(?:and\s+)?then(?:\s+what)?|(?:and\s+)?(?:after\s+(?:that|this)|afterwards?)"
           rf"|what\s+{_PAST}\s+(?:next|then|afterwards?|after(?:\s+(?:that|this))?|later(?:\s+on)?|subsequently)"
           r"|what\s+followed|what\s+did\s+happen\s+(?:next|then|after\s+that)|how\s+did\s+it\s+(?:go\s+on|continue)",
    BEFORE: r"(?:and\s+)?before\s+(?:that|this)|(?:and\s+)?earlier"
            rf"|what\s+{_PAST}\s+(?:before(?:\s+(?:that|this))?|earlier|previously|prior(?:\s+to\s+(?:that|this))?)"
            r"|what\s+led\s+up\s+to\s+(?:that|this|it)",
}
_GERMAN_PAST = r"(?:geschah|passierte|passiert|kam|folgte|ereignete\s+sich|war)"
_GERMAN = {
    AFTER: r"(?:und\s+)?(?:dann|danach|anschließend|später)"
           rf"|(?:und\s+)?was\s+{_GERMAN_PAST}\s+(?:dann|danach|anschließend|als\s+nächstes|später|darauf)"
           r"|was\s+ist\s+(?:dann|danach|als\s+nächstes|später)\s+(?:passiert|geschehen)|wie\s+ging\s+es\s+weiter"
           r"|was\s+folgte\s+darauf",
    BEFORE: r"(?:und\s+)?(?:davor|vorher|zuvor)"
            rf"|(?:und\s+)?was\s+{_GERMAN_PAST}\s+(?:davor|vorher|zuvor)"
            r"|was\s+ist\s+(?:davor|vorher|zuvor)\s+(?:passiert|geschehen)",
}
_SPANISH_PAST = r"(?:pas[óo]|ocurri[óo]|sucedi[óo]|vino|sigui[óo]|hubo)"
_SPANISH = {
    AFTER: r"(?:y\s+)?(?:despu[ée]s|luego)(?:\s+de\s+(?:eso|esto))?(?:\s+qu[ée])?|y\s+entonces"
           rf"|(?:y\s+)?qu[ée]\s+{_SPANISH_PAST}\s+(?:despu[ée]s(?:\s+de\s+(?:eso|esto))?|luego|a\s+continuaci[óo]n"
           r"|m[áa]s\s+tarde|entonces)|(?:y\s+)?c[óo]mo\s+sigui[óo]",
    BEFORE: r"(?:y\s+)?antes(?:\s+de\s+(?:eso|esto))?"
            rf"|(?:y\s+)?qu[ée]\s+{_SPANISH_PAST}\s+antes(?:\s+de\s+(?:eso|esto))?",
}
_STEPS = {direction: re.compile(
    rf"^[¿¡\s]*{_LEAD}(?:{_ENGLISH[direction]}|{_GERMAN[direction]}|{_SPANISH[direction]}){_TAIL}$", re.IGNORECASE)
    for direction in (AFTER, BEFORE)}
# Chinese and Japanese, the whole message without its spaces and marks
_CJK_HAPPENED = r"(?:又)?(?:发生了什么事?|發生了什麼事?|怎么样了?|怎麼樣了?|怎样了?|如何)?(?:呢|吗|嗎)?"
_JA_HAPPENED = (r"(?:は|に)?(?:どうなった|どうなりました|何が(?:起き|起こり|起こっ|あり|あっ)(?:た|ました)|何があった)?"
                r"(?:の|か|のですか)?")
_ZH_AFTER = r"(?:之后|之後|以后|以後|然后|然後|后来|後來|接下来|接下來|接着|接著|此后|此後)"
_CJK_STEPS = {
    AFTER: re.compile(rf"(?:那么|那麼|那|在那)?{_ZH_AFTER}{_CJK_HAPPENED}"
                      rf"|(?:それで|で)?(?:その後|そのあと|それから|その次){_JA_HAPPENED}"),
    BEFORE: re.compile(rf"(?:那么|那麼|那|在那)?(?:之前|以前|此前|在此之前){_CJK_HAPPENED}"
                       rf"|(?:その前|それ以前|それより前){_JA_HAPPENED}"),
}


def asks_for_step(message: str) -> str | None:
    """``AFTER`` or ``BEFORE`` when ``message`` asks only what happened after (before) the last
    answer; None for any other message."""
    text = " ".join(message.split())
    if not text:
        return None
    if (run := cjk_run(text)) is not None:
        return next((d for d, pattern in _CJK_STEPS.items() if pattern.fullmatch(run)), None)
    return next((d for d, pattern in _STEPS.items() if pattern.match(text)), None)


def quoted_dates(index: Index, answer: Answer, page: int, walked: bool) -> tuple[DateSpan, ...]:
    """The dates a step after ``answer`` goes on from: the timeline entries quoted by its first
    quote (a step's reply: by its first ``page`` quotes, each an entry), as their spans. A timeline
    entry is quoted when its text lies inside the quote's span of its source."""
    if not answer.answered or answer.chat or not answer.quotes:
        return ()
    quotes = answer.quotes[:page] if walked else answer.quotes[:1]
    return tuple(entry.span for entry in index.timeline.all()
                 if any(q.source_id == entry.source_id and q.start <= entry.text_start and entry.text_end <= q.end
                        for q in quotes))


def anchor(dates: Sequence[DateSpan], direction: str) -> DateSpan:
    """The date a step goes on from: the latest of ``dates`` (before: the earliest)."""
    key = lambda span: (span.start, span.end)   # noqa: E731
    return max(dates, key=key) if direction == AFTER else min(dates, key=key)


def step_line(direction: str, dates: Sequence[DateSpan]) -> str:
    """The words above a step's quotes from the ``dates`` last quoted (plain text; the renderers
    format it)."""
    since = anchor(dates, direction)
    if direction == AFTER:
        # "from": entries inside a month or a period quoted come after its start ("December 8" of "December 1937")
        return f"Next on the timeline from {format_date(since)}, the latest date I quoted, in order:"
    return f"Earlier on the timeline than {format_date(since)}, the earliest date I quoted, the latest first:"


def _steps(index: Index, since: DateSpan, direction: str) -> list[TimelineEntry]:
    entries = index.timeline.all()   # in order of date
    if direction == AFTER:
        return [e for e in entries if e.span.start > since.start]
    return [e for e in reversed(entries) if e.span.start < since.start]


def _quote(index: Index, entry: TimelineEntry, rank: int) -> Quote:
    p = index.timeline_passage(entry)
    source = index.source(p.source_id)
    return Quote(rank=rank, text=p.text, source_id=source.id, source_title=source.title, attribution=p.attribution,
                 section=p.section, score=0.0, passage_id=p.id, start=p.start, end=p.end, date=p.date,
                 date_text=p.date_text, year_inferred=p.year_inferred, context=context_notes(index, Candidate(p)))


def answer_step(index: Index, request: str, last: Asked, direction: str, k: int) -> Answer:
    """Up to ``k`` timeline entries after (before) the dates ``last`` quoted. None left: a reply
    that says so, not counted as a question the sources could not answer (``chat``)."""
    since = anchor(last.dates, direction)
    entries = _steps(index, since, direction)[:k]
    if not entries:
        return unanswered(index, request, [f"Nothing in my sources is dated {direction} {format_date(since)}."],
                          chat=True)
    notes = () if language(request) == "en" else (SOURCES_IN_ENGLISH,)
    return Answer(request, True, tuple(_quote(index, e, n) for n, e in enumerate(entries, 1)), notes=notes)
