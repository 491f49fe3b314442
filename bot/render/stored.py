"""What the bot stores, shown: the moderators' /insights and everyone's /privacy, as embeds."""
from __future__ import annotations

import discord

from bot.insights import DownVoted, Insights
from bot.render.discord_embeds import COLOR_INFO
from bot.render.limits import FIELD_VALUE_MAX, TITLE_MAX
from bot.render.safe_text import code, escape, safe
from bot.store.records import DEFAULT_RETENTION_DAYS, REASONS
from index.engine import Index
from index.text.cut import cut

QUOTE_SHOWN = 200          # characters of a voted-down quote
DECLINED_SHOWN = 150       # ... of a declined question
ASKED_SHOWN = 100          # ... of a question under a voted-down quote

PRIVACY_TEXT = (
    "**Every answer** is recorded without your name: when, the server and channel, which passages "
    "were quoted, the corpus version, whether I declined, and the names (people, films, places) asked about.\n"
    "**Your 👍/👎 votes** are stored with your user id, so you can change them, and with the reason you pick.\n"
    "**Your questions** are stored (text and user id) only in servers whose moderators turned question "
    "logging on{logging}; never in DMs.\n"
    "**Conversations**: to understand follow-ups I remember the names a conversation was about and its "
    "last question (for “tell me more”), in memory only, for {minutes:g} minutes after its last question.\n"
    "**How long**: everything above is deleted after the server's retention ({days} days here; "
    f"{DEFAULT_RETENTION_DAYS} days in DMs and by default).\n"
    "**/forget-me** deletes your votes and logged questions now."
)


def _quote(index: Index, group: DownVoted) -> str:
    """The first quote as users saw it, and where it comes from (while the passage is in the corpus)."""
    if not group.passage_ids:
        return "(no quote: the bot declined)"
    passage = index.passage(group.passage_ids[0])
    if passage is not None:
        where = f" — {escape(passage.attribution)}"
    else:
        where = f" ({code(cut(group.passage_ids[0], 100))}, no longer in the corpus)"
    text = group.top_quote or (passage.text if passage else "")
    return f"“{safe(text, QUOTE_SHOWN)}”{where}"


def _field(embed: discord.Embed, name: str, lines: list[str]) -> None:
    embed.add_field(name=name, value=cut("\n".join(lines) or "None.", FIELD_VALUE_MAX), inline=False)


def insights_embed(ins: Insights, index: Index, period: str) -> discord.Embed:
    """A period's questions, declines, down-votes and topics; names and quotes from ``index``."""
    embed = discord.Embed(title=cut(f"Insights: {period}", TITLE_MAX), colour=COLOR_INFO, description=(
        f"**{ins.asked}** questions, **{ins.share_answered:.0%}** answered "
        f"({ins.asked - ins.answered} declined). Question text kept for {ins.logged} of them."))
    if ins.declined:
        declined = [f"{n}× “{safe(q, DECLINED_SHOWN)}”" for q, n in ins.declined]
    elif ins.asked - ins.answered and not ins.logged:
        declined = ["Question logging is off here: turn it on with `/settings question_logging:True` to see them."]
    else:
        declined = []
    _field(embed, "Declined most often", declined)
    voted = []
    for g in ins.down_voted:
        reasons = ", ".join(f"{REASONS.get(k, k)} ×{n}" for k, n in g.reasons.most_common())
        asked = f"\nasked: “{safe(g.questions[0], ASKED_SHOWN)}”" if g.questions else ""
        voted.append(f"👎 {g.down} / 👍 {g.up}{f' ({reasons})' if reasons else ''}: {_quote(index, g)}{asked}")
    _field(embed, "Voted down most often", voted)
    names = {e.id: e.name for e in index.corpus.entities}
    _field(embed, "Asked about most", [", ".join(f"{escape(names.get(e, e))} ({n})" for e, n in ins.entities)]
           if ins.entities else [])
    return embed


def privacy_embed(logging_on: bool | None, days: int, minutes: float, counts: tuple[int, int] | None) -> discord.Embed:
    """What is stored about the user; ``logging_on`` is None in DMs, ``counts`` None when unknown."""
    logging = "" if logging_on is None else f" (in this server it is **{'on' if logging_on else 'off'}**)"
    text = PRIVACY_TEXT.format(logging=logging, days=days, minutes=minutes)
    if counts is not None:
        text += f"\n\nStored about you right now: **{counts[0]}** votes, **{counts[1]}** logged questions."
    return discord.Embed(title="What I store", description=text, colour=COLOR_INFO)
