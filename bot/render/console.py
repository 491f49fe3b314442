"""Console text: each quote in quotation marks, then its attribution. Matched words are in
bold only when colour is on (a terminal); plain text carries no markup at all."""
from __future__ import annotations

from collections.abc import Sequence

from bot.answering.answers import Answer, Quote
from bot.asking_more import Asked
from bot.render.highlight import highlight
from bot.render.labels import date_label, quote_date_label, timeline_hint
from bot.render.limits import QUERY_SHOWN
from bot.timeline_steps import step_line
from index.corpus.errors import CorpusError
from index.corpus.model import Source, TimelineEntry
from index.dates.spans import DateSpan
from index.text.cut import cut
from index.text.verbatim import normalize_ws

BOLD, RESET = "\033[1m", "\033[0m"


def render_quote(quote: Quote, color: bool = False, notes: tuple[str, ...] | None = None) -> str:
    """A quote, its attribution and its context notes (``notes``: those not shown already)."""
    body = highlight(quote.text, quote.highlights, BOLD, RESET) if color else quote.text
    label = quote_date_label(quote)
    dated = f"{label}: " if label else ""
    lines = [f"{quote.rank}. {dated}“{normalize_ws(body)}”", f"   — {quote.attribution}"]
    lines += [f"   Note: {note}" for note in (quote.context if notes is None else notes)]
    return "\n".join(lines)


def render_answer(answer: Answer, color: bool = False) -> str:
    if not answer.answered:
        lines = [note for note in answer.notes]
        if answer.sources:
            more = f" and {answer.more_sources:,} more" if answer.more_sources else ""
            lines.append("My sources: " + "; ".join(answer.sources) + more + ".")
        lines.append("For dates, try: /timeline <date or words>")
        return "\n".join(lines)
    out = [render_quote(q, color, answer.notes_for(q)) for q in answer.quotes]
    out += answer.general_notes
    return "\n\n".join(out)


def topic_assumed(name: str) -> str:
    """The line above an answer to a follow-up: which topic was taken from the conversation."""
    return f"About {name} (from earlier in this conversation)."


def more_shown(asked: Asked) -> str:
    """The line above the next quotes of a question, shown for a request for more."""
    return f"More on “{cut(asked.question, QUERY_SHOWN)}”: its quotes after the first {asked.shown}."


def step_shown(direction: str, dates: Sequence[DateSpan]) -> str:
    """The line above a step along the timeline ("what happened next?")."""
    return step_line(direction, dates)


def render_entry(entry: TimelineEntry, source_title: str) -> str:
    label = date_label(entry.date_text, entry.date, entry.year_inferred)
    return f"{label} — {normalize_ws(entry.text)}  [{source_title}]"


def render_sources(sources: tuple[Source, ...]) -> str:
    blocks = []
    for s in sources:
        lines = [f"{s.title} — {s.kind}, {s.publisher} [{s.id}]"]
        if s.context:
            lines.append(f"   Note: {normalize_ws(s.context)}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def render_timeline(result, titles: dict[str, str]) -> str:
    """A timeline search result: entries, or why none and the nearest ones."""
    lines = [result.error] if result.error else []
    lines += [render_entry(e, titles[e.source_id]) for e in result.entries]
    if not result.entries:
        if not result.error:
            lines.append(f"No timeline entry matches “{cut(normalize_ws(result.query), QUERY_SHOWN)}”.")
        if result.suggestions:
            lines.append("Nearest dates:")
            lines += ["  " + render_entry(e, titles[e.source_id]) for e in result.suggestions]
        lines.append(timeline_hint(lambda example: f"“{example}”") + "; with no query, every entry is listed.")
    return "\n".join(lines)


def render_corpus_errors(exc: CorpusError) -> str:
    """Each ``file:line: message``, then the count."""
    return "\n".join([*(str(issue) for issue in exc.issues), f"{len(exc.issues)} error(s) in the corpus."])
