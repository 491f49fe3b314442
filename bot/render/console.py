"""Console text: each quote in quotation marks, matched words highlighted, then its attribution."""
from __future__ import annotations

from bot.answering.answers import Answer, Quote
from bot.render.highlight import highlight
from bot.render.labels import date_label, flat
from index.corpus.errors import CorpusError
from index.corpus.model import Source, TimelineEntry

BOLD, RESET = "\033[1m", "\033[0m"


def _marks(color: bool) -> tuple[str, str]:
    return (BOLD, RESET) if color else ("*", "*")


def _date_label(quote: Quote) -> str:
    if not (quote.date_text and quote.date):
        return ""
    return date_label(quote.date_text, quote.date, quote.year_inferred) + ": "


def render_quote(quote: Quote, color: bool = False) -> str:
    before, after = _marks(color)
    body = highlight(quote.text, quote.highlights, before, after)
    lines = [f"{quote.rank}. {_date_label(quote)}“{flat(body)}”", f"   — {quote.attribution}"]
    lines += [f"   Note: {note}" for note in quote.context]
    return "\n".join(lines)


def render_answer(answer: Answer, color: bool = False) -> str:
    if not answer.answered:
        lines = [note for note in answer.notes]
        if answer.sources:
            lines.append("My sources: " + "; ".join(answer.sources) + ".")
        lines.append("For dates, try: /timeline <date or words>")
        return "\n".join(lines)
    out = [render_quote(q, color) for q in answer.quotes]
    out += answer.general_notes
    return "\n\n".join(out)


def render_entry(entry: TimelineEntry, source_title: str) -> str:
    return f"{date_label(entry.date_text, entry.date, entry.year_inferred)} — {flat(entry.text)}  [{source_title}]"


def render_sources(sources: tuple[Source, ...]) -> str:
    blocks = []
    for s in sources:
        lines = [f"{s.title} — {s.kind}, {s.publisher} [{s.id}]"]
        if s.context:
            lines.append(f"   Note: {flat(s.context)}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def render_timeline(result, titles: dict[str, str]) -> str:
    """A timeline search result: entries, or why none and the nearest ones."""
    lines = [result.error] if result.error else []
    lines += [render_entry(e, titles[e.source_id]) for e in result.entries]
    if not result.entries:
        lines.append("No timeline entry matches that.")
        if result.suggestions:
            lines.append("Nearest entries:")
            lines += ["  " + render_entry(e, titles[e.source_id]) for e in result.suggestions]
    return "\n".join(lines)


def render_corpus_errors(exc: CorpusError) -> str:
    """Each ``file:line: message``, then the count."""
    return "\n".join([*(str(issue) for issue in exc.issues), f"{len(exc.issues)} error(s) in the corpus."])
