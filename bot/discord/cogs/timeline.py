"""/timeline: look dates up by date or words, with autocomplete; the whole timeline in pages."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.discord_embeds import cut, entry_line, escape, flat, timeline_embed, timeline_heading
from bot.discord.views import Pager

NONE = discord.AllowedMentions.none()
PER_PAGE = 10


class Timeline(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="timeline", description="Look up the timeline by date (Dec 13, 1937-12, 1946) or words (safety zone)")
    @app_commands.describe(query="A date, a range (Aug 1946 - Feb 1947) or words; leave empty for the whole timeline")
    async def timeline(self, interaction: discord.Interaction, query: str | None = None) -> None:
        index = self.bot.live.current
        result = index.timeline.search(query or "")
        titles = index.corpus.titles
        if not result.entries:
            lines = [escape(result.error) if result.error else
                     f"No timeline entry matches “{cut(escape(flat(query or '')), 200)}”."]
            if result.suggestions:
                lines.append("Nearest dates:")
                lines += [entry_line(e, titles[e.source_id]) for e in result.suggestions]
            lines.append("Try a date such as `Dec 13`, `December 1937`, `1946`, or words such as `safety zone`.")
            await interaction.response.send_message(cut("\n".join(lines), 2000), ephemeral=True, allowed_mentions=NONE)
            return
        lines = [entry_line(e, titles[e.source_id]) for e in result.entries]
        pages = [lines[i:i + PER_PAGE] for i in range(0, len(lines), PER_PAGE)]
        heading = timeline_heading(query)

        def render(n: int) -> list[discord.Embed]:
            footer = f"{len(lines)} entries · page {n + 1}/{len(pages)}" if len(pages) > 1 else f"{len(lines)} entries"
            return [timeline_embed(heading, pages[n], footer)]

        if len(pages) == 1:
            await interaction.response.send_message(embeds=render(0), allowed_mentions=NONE)
            return
        view = Pager(interaction.user.id, len(pages), render)
        view.interaction = interaction
        await interaction.response.send_message(embeds=render(0), view=view, allowed_mentions=NONE)

    @timeline.autocomplete("query")
    async def timeline_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        choices = self.bot.live.current.timeline.autocomplete(current, limit=25)
        return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in choices]


async def setup(bot) -> None:
    await bot.add_cog(Timeline(bot))
