"""Discord rendering: embeds within Discord's limits, quoted text escaped so it pings nobody."""
from __future__ import annotations

import discord

from bot.answers import Answer, Quote
from bot.render.highlight import highlight
from bot.render.labels import date_label, flat
from index.model import Source, TimelineEntry

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
CONTENT_MAX = 2000
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
FIELD_NAME_MAX = 256
TITLE_MAX = 256
FOOTER_MAX = 2048
EMBEDS_TOTAL_MAX = 6000

COLOR_QUOTE = discord.Colour(0x4F6D7A)
COLOR_INFO = discord.Colour(0x95A5A6)

def escape(text: str) -> str:
    """Escape markdown and every kind of mention: the text renders literally and pings nobody.

    Every "@" gets a zero-width space after it, so no "@everyone", "@here", "<@id>" or "<@&id>"
    can form, even when highlighting splits the text into separately escaped pieces.
    """
    text = discord.utils.escape_markdown(text)
    return text.replace("@", "@\u200b").replace("<#", "<\u200b#")


def cut(text: str, limit: int, ellipsis: str = " …") -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(ellipsis))
    head = text[:room]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return head.rstrip() + ellipsis


def quote_markdown(quote: Quote, limit: int) -> str:
    """“quote” with matched words in bold, escaped, cut at a word boundary to fit ``limit``."""
    text, spans = quote.text, quote.highlights
    while True:
        body = highlight(text, spans, "**", "**", escape)
        rendered = f"“{flat(body)}”"
        if len(rendered) <= limit:
            return rendered
        # shorten the raw text by the overflow (plus slack for escapes) at a word boundary
        target = max(1, len(text) - (len(rendered) - limit) - 8)
        shorter = cut(text, target, "")
        if len(shorter) >= len(text):
            shorter = text[: max(0, len(text) - 16)]
        text = shorter + " …"
        spans = [(s, e) for s, e in spans if e <= len(shorter)]
        if not shorter:
            return cut("“…”", limit)


def _date_label(quote: Quote) -> str | None:
    if not (quote.date and quote.date_text):
        return None
    return date_label(quote.date_text, quote.date, quote.year_inferred)


def quote_embed(quote: Quote, budget: int) -> discord.Embed:
    """One embed for one quote: the quote, its attribution, its context notes."""
    title = _date_label(quote)
    notes = [cut(escape(flat(n)), FIELD_VALUE_MAX) for n in quote.context]
    fixed = len(title or "") + len(quote.attribution) + sum(len(n) + 4 for n in notes) + 16
    description = quote_markdown(quote, max(40, min(DESCRIPTION_MAX, budget - fixed)))
    embed = discord.Embed(
        title=cut(escape(title), TITLE_MAX) if title else None, description=description,
        colour=COLOR_QUOTE,
    )
    embed.set_footer(text=cut("— " + flat(quote.attribution), FOOTER_MAX))
    for note in notes:
        embed.add_field(name="Note", value=note, inline=False)
    return embed


def answer_embeds(answer: Answer, quotes: list[Quote]) -> list[discord.Embed]:
    """Embeds for one page of an answer; their total stays under Discord's 6000."""
    if not quotes:
        return []
    budget = (EMBEDS_TOTAL_MAX - 200) // len(quotes)
    embeds = [quote_embed(q, budget) for q in quotes]
    notes = [n for n in answer.notes if not any(n in q.context for q in answer.quotes)]
    if notes:
        embeds[-1].add_field(name="Also", value=cut(escape(" ".join(notes)), FIELD_VALUE_MAX), inline=False)
    return embeds


def not_found_text(answer: Answer, question: str) -> str:
    lines = [f"**Not in my sources.** I found nothing that answers “{cut(escape(flat(question)), 300)}”."]
    lines += [escape(n) for n in answer.notes if not n.startswith("Not in my sources")]
    if answer.sources:
        lines.append("I know about: " + "; ".join(f"*{escape(t)}*" for t in answer.sources) + ".")
    lines.append("Ask about the people, places, events and films in them, or look dates up with `/timeline`.")
    return cut("\n".join(lines), CONTENT_MAX)


def entry_line(entry: TimelineEntry, source_title: str) -> str:
    return (f"**{escape(date_label(entry.date_text, entry.date, entry.year_inferred))}** — "
            f"{escape(flat(entry.text))} · *{escape(source_title)}*")


def timeline_embed(title: str, lines: list[str], footer: str | None = None) -> discord.Embed:
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


def sources_embed(sources: tuple[Source, ...]) -> discord.Embed:
    embed = discord.Embed(title="My sources", colour=COLOR_INFO,
                          description="I answer only by quoting these documents.")
    for s in sources[:25]:
        value = f"{escape(s.kind)} · {escape(s.publisher)}"
        if s.context:
            value += f"\n*{escape(flat(s.context))}*"
        embed.add_field(name=cut(escape(s.title), FIELD_NAME_MAX), value=cut(value, FIELD_VALUE_MAX), inline=False)
    if len(sources) > 25:
        embed.set_footer(text=f"…and {len(sources) - 25} more")
    return embed


def embeds_size(embeds: list[discord.Embed]) -> int:
    """Characters Discord counts toward the 6000 total (title, description, fields, footer, author)."""
    total = 0
    for e in embeds:
        total += len(e.title or "") + len(e.description or "")
        total += len(e.footer.text or "") if e.footer else 0
        total += len(e.author.name or "") if e.author else 0
        total += sum(len(f.name or "") + len(f.value or "") for f in e.fields)
    return total
