"""/timeline: look dates up by date or words, with autocomplete; the whole timeline in pages."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.timeline_pages import timeline_message
from bot.render.limits import CHOICE_CHARS_MAX, CHOICES_MAX


class Timeline(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="timeline",
                          description="Look up the timeline by date (Dec 13, 1937-12, 1946) or words (safety zone)")
    @app_commands.describe(query="A date, a range (Aug 1946 - Feb 1947) or words; leave empty for the whole timeline")
    async def timeline(self, interaction: discord.Interaction, query: str | None = None) -> None:
        kwargs, pager, found = timeline_message(self.bot.live.current, query, interaction.user.id)
        if pager is not None:
            pager.interaction = interaction
        await interaction.response.send_message(ephemeral=not found, **kwargs)   # nothing found: to the asker

    @timeline.autocomplete("query")
    async def timeline_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[str]]:
        choices = self.bot.live.current.timeline.autocomplete(current, limit=CHOICES_MAX)
        return [app_commands.Choice(name=label[:CHOICE_CHARS_MAX], value=value[:CHOICE_CHARS_MAX])
                for label, value in choices]


async def setup(bot) -> None:
    await bot.add_cog(Timeline(bot))
