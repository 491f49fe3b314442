"""Discord rendering: embeds within Discord's limits, quoted text escaped so it pings nobody."""
from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.answering.answers import Answer, Quote
from bot.answering.reasons import DECLINED, NOTHING
from bot.render.highlight import highlight
from bot.render.labels import date_label, quote_date_label
from bot.render.limits import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBEDS_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    NOTES_PER_QUOTE,
    QUERY_SHOWN,
    QUESTION_SHOWN,
    TITLE_MAX,
)
from bot.render.safe_text import defuse, escape, safe
from index.corpus.model import Source, TimelineEntry
from index.text.cut import cut
from index.text.verbatim import normalize_ws

COLOR_QUOTE = discord.Colour(0x4F6D7A)
COLOR_INFO = discord.Colour(0x95A5A6)

HELP_TEXT = (
    "I answer questions about the 1937 Nanking Massacre, the films made about it and the people "
    "involved, **only by quoting my sources word for word**, each quote with who said it. "
    "If my sources don't answer, I say so.\n\n"
    "**/ask** `question` — ask; or @mention me in a channel, or write to me in a DM.\n"
    "**/timeline** `query` — dates and events: `Dec 13`, `December 1937`, `Aug 1946 - Feb 1947`, `safety zone`.\n"
    "**/sources** — the documents I quote, with notes on each.\n"
    "**/reload** — moderators: reload the corpus from disk.\n"
    "Follow-ups in a DM, a thread or a reply to my answer keep the topic (“why did he leave?”); "
    "I say which topic I assumed. “Tell me more” there shows the next quotes. Rate answers with 👍/👎.\n"
    "**Ask about this message** — right-click a message › Apps: a private answer to its text.\n"
    "**/privacy** — what I store about you; **/forget-me** deletes it.\n"
    "**/settings**, **/insights** — moderators: where I answer, question logging; what was asked and voted down.\n"
    "**/corpus** `add` · `replace` · `remove` · `history` · `diff` · `rollback` — moderators: change the "
    "corpus from Discord, previewed first, every version kept.\n"
)


def quote_markdown(quote: Quote, limit: int) -> str:
    """“quote” with matched words in bold, escaped, cut at a word boundary to fit ``limit``.

    Only the first ``4 * limit`` characters are ever rendered (escapes and bold marks only
    lengthen the text; flattening whitespace shortens it, rarely by more); each further try
    keeps the share of the text that fitted, at a word boundary (at a character for text
    without spaces), so a long quote takes a few short passes and keeps its start."""
    text, spans = quote.text, quote.highlights
    keep = min(len(text), 4 * limit)
    while keep > 0:
        head = text if keep >= len(text) else _head(text, keep)
        shown = head if head is text else head + " …"
        body = highlight(shown, [(s, e) for s, e in spans if e <= len(head)], "**", "**", escape)
        rendered = f"“{normalize_ws(body)}”"
        if len(rendered) <= limit:
            return rendered
        keep = min(keep - 1, keep * limit // len(rendered) - 4)
    return cut("“…”", limit)


def _head(text: str, keep: int) -> str:
    """``text[:keep]`` back to the last space, unless that loses more than half of it."""
    head = text[:keep]
    space = head.rfind(" ")
    return (head[:space] if space > keep // 2 else head).rstrip()


def quote_embed(quote: Quote, budget: int, notes: Sequence[str] | None = None) -> discord.Embed:
    """One embed for one quote: the quote, its attribution, its context notes (``notes``: those
    not shown under an earlier quote), all of it within ``budget`` characters (title and footer a
    quarter each at most, the notes half)."""
    label = quote_date_label(quote)
    share = max(40, budget // 4)
    title = cut(escape(label), min(TITLE_MAX, share)) if label else None
    footer = cut("— " + defuse(normalize_ws(quote.attribution)), min(FOOTER_MAX, share))
    context = tuple(quote.context if notes is None else notes)[:NOTES_PER_QUOTE]
    per_note = min(FIELD_VALUE_MAX, budget // 2 // max(1, len(context)) - len("Note"))
    # a note that is nothing once made safe (only bidi controls) is left out: Discord refuses empty fields
    notes = [note for n in context if (note := safe(n, max(20, per_note)).strip())]
    fixed = len(title or "") + len(footer) + sum(len("Note") + len(n) for n in notes)
    description = quote_markdown(quote, max(40, min(DESCRIPTION_MAX, budget - fixed)))
    embed = discord.Embed(title=title, description=description, colour=COLOR_QUOTE)
    embed.set_footer(text=footer)
    for note in notes:
        embed.add_field(name="Note", value=note, inline=False)
    return embed


def answer_embeds(answer: Answer, quotes: Sequence[Quote]) -> list[discord.Embed]:
    """Embeds for one page of an answer; their total, "Also" note included, stays under 6000."""
    if not quotes:
        return []
    notes = answer.general_notes
    also = cut(escape(" ".join(notes)), FIELD_VALUE_MAX) if notes else None
    budget = (EMBEDS_TOTAL_MAX - 200 - (len("Also") + len(also) if also else 0)) // len(quotes)
    embeds = [quote_embed(q, budget, answer.notes_for(q, quotes)) for q in quotes]
    if also:
        embeds[-1].add_field(name="Also", value=also, inline=False)
    return embeds


def _why(answer: Answer, question: str) -> str:
    """The decline's reason after the bold "Not in my sources." ("They never mention “x”.")."""
    reason = next((n for n in answer.notes if n.startswith(DECLINED)), NOTHING)
    why = reason[len(DECLINED):].lstrip(":. ")
    if reason == NOTHING or not why:
        return f"I found nothing that answers “{safe(question, QUESTION_SHOWN)}”."
    return escape(why[:1].upper() + why[1:])


def not_found_text(answer: Answer, question: str) -> str:
    if answer.chat:   # a greeting or thanks: what the bot does, no "not found"
        lines = [escape(n) for n in answer.notes]
    else:
        lines = [f"**Not in my sources.** {_why(answer, question)}"]
        lines += [escape(n) for n in answer.notes if not n.startswith(DECLINED)]
    if answer.sources:
        more = f" and {answer.more_sources:,} more" if answer.more_sources else ""
        lines.append("I know about: " + "; ".join(f"*{escape(t)}*" for t in answer.sources) + more + ".")
    lines.append("Ask about the people, places, events and films in them, or look dates up with `/timeline`.")
    return cut("\n".join(lines), CONTENT_MAX)


def entry_line(entry: TimelineEntry, source_title: str) -> str:
    return (f"**{escape(date_label(entry.date_text, entry.date, entry.year_inferred))}** — "
            f"{escape(normalize_ws(entry.text))} · *{escape(source_title)}*")


def timeline_embed(title: str, lines: Sequence[str], footer: str | None = None) -> discord.Embed:
    description = ""
    for line in lines:
        line = cut(line, 1000)
        if len(description) + len(line) + 1 > DESCRIPTION_MAX - 20:
            description += "\n…"
            break
        description += ("\n" if description else "") + line
    embed = discord.Embed(title=cut(title, TITLE_MAX), description=description or None, colour=COLOR_INFO)
    if footer:
        embed.set_footer(text=cut(footer, FOOTER_MAX))
    return embed


def timeline_heading(query: str | None) -> str:
    """The title of a timeline reply; the user's query shown escaped."""
    return f"Timeline: {safe(query, QUERY_SHOWN)}" if query and query.strip() else "Timeline"


def timeline_page(heading: str, lines: Sequence[str], page: int, pages: int, total: int) -> list[discord.Embed]:
    """One page of timeline entries (``lines`` from ``entry_line``), with the count in the footer."""
    footer = f"{total} entries · page {page + 1}/{pages}" if pages > 1 else f"{total} entries"
    return [timeline_embed(heading, lines, footer)]


def sources_embed(sources: Sequence[Source]) -> discord.Embed:
    """Up to 25 sources, one field each, sharing the embed's 6000 characters."""
    embed = discord.Embed(title="My sources", colour=COLOR_INFO,
                          description="I answer only by quoting these documents.")
    shown = sources[:FIELDS_MAX]
    per = (EMBEDS_TOTAL_MAX - 200) // max(1, len(shown))
    for s in shown:
        name = safe(s.title, min(FIELD_NAME_MAX, per // 4))
        room = min(FIELD_VALUE_MAX, per - len(name))
        value = cut(f"{escape(normalize_ws(s.kind))} · {escape(normalize_ws(s.publisher))}", max(20, room // 3))
        if s.context and room - len(value) - 3 >= 20:
            value += f"\n*{safe(s.context, room - len(value) - 3)}*"
        embed.add_field(name=name, value=value, inline=False)
    if len(sources) > FIELDS_MAX:
        embed.set_footer(text=f"…and {len(sources) - FIELDS_MAX} more")
    return embed


def help_embed() -> discord.Embed:
    return discord.Embed(title="Nanking sources bot", description=HELP_TEXT, colour=COLOR_INFO)
