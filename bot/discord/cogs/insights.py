"""/insights (moderators, private): what people asked here, what the bot could not answer, which
answers they voted down and why, with a CSV export. This is how moderators decide what to add to
the corpus."""
from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import moderator_only
from bot.insights import compute, to_csv
from bot.render.replies import RECORDS_UNREADABLE
from bot.render.stored import insights_embed

log = logging.getLogger(__name__)
DAY = 86400.0
PERIODS = [app_commands.Choice(name="last 24 hours", value=1), app_commands.Choice(name="last 7 days", value=7),
           app_commands.Choice(name="last 30 days", value=30), app_commands.Choice(name="everything kept", value=0)]


class InsightsCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="insights", description="Moderators: what was asked, declined and voted down here")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    @app_commands.describe(period="Which answers to look at")
    @app_commands.choices(period=PERIODS)
    async def insights(self, interaction: discord.Interaction, period: app_commands.Choice[int] | None = None) -> None:
        period = period or PERIODS[1]
        await interaction.response.defer(ephemeral=True, thinking=True)
        since = self.bot.store.clock() - period.value * DAY if period.value else 0.0
        records = await self.bot.store.answers_since(interaction.guild_id, since)
        votes = await self.bot.store.votes_for([r.id for r in records]) if records is not None else None
        if records is None or votes is None:
            await interaction.followup.send(RECORDS_UNREADABLE, ephemeral=True)
            return
        log.info("insights by user=%s guild=%s period=%s records=%d", interaction.user.id, interaction.guild_id,
                 period.value, len(records))
        embed = insights_embed(compute(records, votes), self.bot.live.current, period.name)
        csv_file = discord.File(io.BytesIO(to_csv(records, votes).encode("utf-8")), filename="insights.csv")
        await interaction.followup.send(embed=embed, file=csv_file, ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(InsightsCog(bot))
