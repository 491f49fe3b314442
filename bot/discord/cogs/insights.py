"""/insights (moderators, private): what people asked here, what the bot could not answer, which
answers they voted down and why, with a CSV export. This is how moderators decide what to add to
the corpus."""
from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.access import moderator
from bot.insights import DownVoted, Insights, compute, to_csv
from bot.render.discord_embeds import COLOR_INFO, cut, escape
from bot.store.records import REASONS
from index.engine import Index

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
DAY = 86400.0
PERIODS = [app_commands.Choice(name="last 24 hours", value=1), app_commands.Choice(name="last 7 days", value=7),
           app_commands.Choice(name="last 30 days", value=30), app_commands.Choice(name="everything kept", value=0)]


def _quote(index: Index, group: DownVoted) -> str:
    """The first quote as users saw it, and where it comes from (while the passage is in the corpus)."""
    if not group.passage_ids:
        return "(no quote: the bot declined)"
    passage = next((p for p in index.passages if p.id == group.passage_ids[0]), None)
    where = f" — {escape(passage.attribution)}" if passage else f" (`{group.passage_ids[0]}`, no longer in the corpus)"
    text = group.top_quote or (passage.text if passage else "")
    return f"“{cut(escape(' '.join(text.split())), 200)}”{where}"


def render(ins: Insights, index: Index, period: str) -> discord.Embed:
    names = {e.id: e.name for e in index.corpus.entities}
    embed = discord.Embed(title=f"Insights: {period}", colour=COLOR_INFO, description=(
        f"**{ins.asked}** questions, **{ins.share_answered:.0%}** answered "
        f"({ins.asked - ins.answered} declined). Question text kept for {ins.logged} of them."))
    if ins.declined:
        lines = [f"{n}× “{cut(escape(q), 150)}”" for q, n in ins.declined]
    elif ins.asked - ins.answered and not ins.logged:
        lines = ["Question logging is off here: turn it on with `/settings question_logging:True` to see them."]
    else:
        lines = ["None."]
    embed.add_field(name="Declined most often", value=cut("\n".join(lines), 1024), inline=False)
    lines = []
    for g in ins.down_voted:
        reasons = ", ".join(f"{REASONS.get(k, k)} ×{n}" for k, n in g.reasons.most_common())
        asked = f"\nasked: “{cut(escape(g.questions[0]), 100)}”" if g.questions else ""
        lines.append(f"👎 {g.down} / 👍 {g.up}{f' ({reasons})' if reasons else ''}: {_quote(index, g)}{asked}")
    embed.add_field(name="Voted down most often", value=cut("\n".join(lines) or "None.", 1024), inline=False)
    entities = ", ".join(f"{escape(names.get(e, e))} ({n})" for e, n in ins.entities)
    embed.add_field(name="Asked about most", value=cut(entities or "None.", 1024), inline=False)
    return embed


class InsightsCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="insights", description="Moderators: what was asked, declined and voted down here")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.describe(period="Which answers to look at")
    @app_commands.choices(period=PERIODS)
    async def insights(self, interaction: discord.Interaction, period: app_commands.Choice[int] | None = None) -> None:
        if interaction.guild is None or not moderator(interaction):
            await interaction.response.send_message("Sorry, /insights is for moderators only.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        period = period or PERIODS[1]
        await interaction.response.defer(ephemeral=True, thinking=True)
        since = self.bot.store.clock() - period.value * DAY if period.value else 0.0
        records = await self.bot.store.answers_since(interaction.guild.id, since)
        votes = await self.bot.store.votes_for([r.id for r in records]) if records is not None else None
        if records is None or votes is None:
            await interaction.followup.send("Sorry, I can't read the stored records right now.", ephemeral=True,
                                            allowed_mentions=NONE)
            return
        log.info("insights by user=%s guild=%s period=%s records=%d", interaction.user.id, interaction.guild.id,
                 period.value, len(records))
        embed = render(compute(records, votes), self.bot.live.current, period.name)
        csv_file = discord.File(io.BytesIO(to_csv(records, votes).encode("utf-8")), filename="insights.csv")
        await interaction.followup.send(embed=embed, file=csv_file, ephemeral=True, allowed_mentions=NONE)


async def setup(bot) -> None:
    await bot.add_cog(InsightsCog(bot))
