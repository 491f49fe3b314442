"""Discord rendering: embeds within Discord's limits, quoted text escaped so it pings nobody."""
from __future__ import annotations

import re

import discord

from bot.answering.answers import Answer, Quote
from bot.render.highlight import highlight
from bot.render.labels import date_label, flat
from index.corpus.model import Source, TimelineEntry

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
CONTENT_MAX = 2000
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
FIELD_NAME_MAX = 256
TITLE_MAX = 256
FOOTER_MAX = 2048
EMBEDS_TOTAL_MAX = 6000
MAX_NOTES = 5            # context notes shown under one quote (fields per embed: 25)

# Markdown Discord renders anywhere in a line, and only at a line's start (quote, heading, list).
_MD_CHARS = re.compile(r"[\\*_~`|\[\]]")
_MD_LINE_START = re.compile(r"^([^\S\n]*)([>#-])", re.M)
# Discord's (and discord.utils') URL pattern: no markdown inside a URL.
_URL = re.compile(r"<[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")

COLOR_QUOTE = discord.Colour(0x4F6D7A)
COLOR_INFO = discord.Colour(0x95A5A6)

# Bidirectional controls (embeddings, overrides, isolates, marks) reorder what follows them on
# screen (U+202E shows "txt.exe" as "exe.txt"): removed from everything the bot sends.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def defuse(text: str) -> str:
    """No mention can form: every "@" gets a zero-width space after it, so no "@everyone",
    "@here", "<@id>" or "<@&id>", and "<#" is split too; bidirectional control characters are
    removed. For plain-text places that render no markdown (embed footers), where a markdown
    escape would show as a backslash."""
    return _BIDI.sub("", text).replace("@", "@\u200b").replace("<#", "<\u200b#")


def escape(text: str) -> str:
    """Escape markdown and every kind of mention: the text renders literally and pings nobody
    (``defuse`` works even when highlighting splits the text into separately escaped pieces).

    Every markdown character gets its backslash, one by one: ``discord.utils.escape_markdown``
    escapes only the first "[" of anything shaped like a masked link, so "[a *b* c](x)" kept
    its italics. URLs are left whole, as Discord renders no markdown inside them.
    """
    out, pos = [], 0
    for url in _URL.finditer(text):
        out += [_md_escape(text[pos:url.start()]), url.group()]
        pos = url.end()
    out.append(_md_escape(text[pos:]))
    return defuse("".join(out))


def _md_escape(text: str) -> str:
    return _MD_LINE_START.sub(r"\1\\\2", _MD_CHARS.sub(r"\\\g<0>", text))


def code(text: str) -> str:
    """Text for an inline code span: shown as is (no escapes inside code), no backtick to end it."""
    return "`" + defuse(text.replace("`", "ˋ")) + "`"


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
        rendered = f"“{flat(body)}”"
        if len(rendered) <= limit:
            return rendered
        keep = min(keep - 1, keep * limit // len(rendered) - 4)
    return cut("“…”", limit)


def _head(text: str, keep: int) -> str:
    """``text[:keep]`` back to the last space, unless that loses more than half of it."""
    head = text[:keep]
    space = head.rfind(" ")
    return (head[:space] if space > keep // 2 else head).rstrip()


def _date_label(quote: Quote) -> str | None:
    if not (quote.date and quote.date_text):
        return None
    return date_label(quote.date_text, quote.date, quote.year_inferred)


def quote_embed(quote: Quote, budget: int) -> discord.Embed:
    """One embed for one quote: the quote, its attribution, its context notes, all of it within
    ``budget`` characters (title and footer a quarter each at most, the notes half)."""
    label = _date_label(quote)
    share = max(40, budget // 4)
    title = cut(escape(label), min(TITLE_MAX, share)) if label else None
    footer = cut("— " + defuse(flat(quote.attribution)), min(FOOTER_MAX, share))
    context = quote.context[:MAX_NOTES]
    per_note = min(FIELD_VALUE_MAX, budget // 2 // max(1, len(context)) - len("Note"))
    notes = [cut(escape(flat(n)), max(20, per_note)) for n in context]
    fixed = len(title or "") + len(footer) + sum(len("Note") + len(n) for n in notes)
    description = quote_markdown(quote, max(40, min(DESCRIPTION_MAX, budget - fixed)))
    embed = discord.Embed(title=title, description=description, colour=COLOR_QUOTE)
    embed.set_footer(text=footer)
    for note in notes:
        embed.add_field(name="Note", value=note, inline=False)
    return embed


def answer_embeds(answer: Answer, quotes: list[Quote]) -> list[discord.Embed]:
    """Embeds for one page of an answer; their total, "Also" note included, stays under 6000."""
    if not quotes:
        return []
    notes = answer.general_notes
    also = cut(escape(" ".join(notes)), FIELD_VALUE_MAX) if notes else None
    budget = (EMBEDS_TOTAL_MAX - 200 - (len("Also") + len(also) if also else 0)) // len(quotes)
    embeds = [quote_embed(q, budget) for q in quotes]
    if also:
        embeds[-1].add_field(name="Also", value=also, inline=False)
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
    """Up to 25 sources, one field each, sharing the embed's 6000 characters."""
    embed = discord.Embed(title="My sources", colour=COLOR_INFO,
                          description="I answer only by quoting these documents.")
    shown = sources[:25]
    per = (EMBEDS_TOTAL_MAX - 200) // max(1, len(shown))
    for s in shown:
        name = cut(escape(flat(s.title)), min(FIELD_NAME_MAX, per // 4))
        room = min(FIELD_VALUE_MAX, per - len(name))
        value = cut(f"{escape(flat(s.kind))} · {escape(flat(s.publisher))}", max(20, room // 3))
        if s.context and room - len(value) - 3 >= 20:
            value += f"\n*{cut(escape(flat(s.context)), room - len(value) - 3)}*"
        embed.add_field(name=name, value=value, inline=False)
    if len(sources) > 25:
        embed.set_footer(text=f"…and {len(sources) - 25} more")
    return embed


def timeline_heading(query: str | None) -> str:
    """The title of a timeline reply; the user's query shown escaped."""
    return f"Timeline: {cut(escape(flat(query)), 200)}" if query and query.strip() else "Timeline"


def embeds_size(embeds: list[discord.Embed]) -> int:
    """Characters Discord counts toward the 6000 total (title, description, fields, footer, author)."""
    total = 0
    for e in embeds:
        total += len(e.title or "") + len(e.description or "")
        total += len(e.footer.text or "") if e.footer else 0
        total += len(e.author.name or "") if e.author else 0
        total += sum(len(f.name or "") + len(f.value or "") for f in e.fields)
    return total
