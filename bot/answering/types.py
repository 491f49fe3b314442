"""Answers as data: ranked verbatim quotes with their attribution, or an honest "not in my sources".

Built without Discord; ``bot.render`` turns an Answer into console text, JSON or embeds.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quote:
    rank: int
    text: str                         # verbatim source text
    source_id: str
    source_title: str
    attribution: str
    section: str | None
    score: float
    passage_id: str
    start: int = 0                    # span of ``text`` in the source's text, for tracing
    end: int = 0
    highlights: tuple[tuple[int, int], ...] = ()   # matched words, spans in ``text``
    date: str | None = None           # normalized date of a timeline entry
    date_text: str | None = None      # the date as the source writes it
    year_inferred: bool = False
    context: tuple[str, ...] = ()     # context notes of the source and section


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())   # titles of the corpus' first sources, for "not found"
    more_sources: int = 0                          # how many sources there are beyond those
    confidence: float | None = None   # the decision model's P(the sources answer this)
    chat: bool = False                # a greeting, thanks or "help": the reply says what the bot does

    @property
    def general_notes(self) -> list[str]:
        """Notes not already shown under a quote as its source's context."""
        shown = {note for q in self.quotes for note in q.context}
        return [n for n in self.notes if n not in shown]

    def notes_for(self, quote: Quote, shown: tuple[Quote, ...] | list[Quote] | None = None) -> tuple[str, ...]:
        """The quote's context notes, less those already shown under an earlier quote of ``shown``
        (the quotes shown together: a page; default all of the answer's): a long note appears
        once per page, under the first quote from its source, not under every one."""
        earlier: set[str] = set()
        for q in (self.quotes if shown is None else shown):
            if q is quote or q.rank >= quote.rank:
                break
            earlier.update(q.context)
        return tuple(n for n in quote.context if n not in earlier)
