"""/timeline: look dates up by date or words, with autocomplete; the whole timeline in pages."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.views import first_page
from bot.render.discord_embeds import entry_line, timeline_heading, timeline_page
from bot.render.limits import CHOICE_CHARS_MAX, CHOICES_MAX, TIMELINE_PER_PAGE
from bot.render.pages import Pages
from bot.render.replies import timeline_not_found


class Timeline(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="timeline",
                          description="Look up the timeline by date (Dec 13, 1937-12, 1946) or words (safety zone)")
    @app_commands.describe(query="A date, a range (Aug 1946 - Feb 1947) or words; leave empty for the whole timeline")
    async def timeline(self, interaction: discord.Interaction, query: str | None = None) -> None:
        index = self.bot.live.current
        result = index.timeline.search(query or "")
        titles = index.corpus.titles
        if not result.entries:
            text = timeline_not_found(query, result.error, result.suggestions, titles.__getitem__)
            await interaction.response.send_message(text, ephemeral=True)
            return
        lines = [entry_line(e, titles[e.source_id]) for e in result.entries]
        heading = timeline_heading(query)
        pages = Pages(lines, TIMELINE_PER_PAGE, lambda chunk, page, count: timeline_page(heading, chunk, page, count,
                                                                                          len(lines)))
        embeds, view = first_page(interaction.user.id, pages)
        if view is None:
            await interaction.response.send_message(embeds=embeds)
            return
        view.interaction = interaction
        await interaction.response.send_message(embeds=embeds, view=view)

    @timeline.autocomplete("query")
    async def timeline_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[str]]:
        choices = self.bot.live.current.timeline.autocomplete(current, limit=CHOICES_MAX)
        return [app_commands.Choice(name=label[:CHOICE_CHARS_MAX], value=value[:CHOICE_CHARS_MAX])
                for label, value in choices]


async def setup(bot) -> None:
    await bot.add_cog(Timeline(bot))
