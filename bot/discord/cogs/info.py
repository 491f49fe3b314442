"""/sources and /help."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.discord_embeds import COLOR_INFO, sources_embed

NONE = discord.AllowedMentions.none()

HELP_TEXT = (
    "I answer questions about the 1937 Nanking Massacre, the films made about it and the people "
    "involved, **only by quoting my sources word for word**, each quote with who said it. "
    "If my sources don't answer, I say so.\n\n"
    "**/ask** `question` — ask; or @mention me in a channel, or write to me in a DM.\n"
    "**/timeline** `query` — dates and events: `Dec 13`, `December 1937`, `Aug 1946 - Feb 1947`, `safety zone`.\n"
    "**/sources** — the documents I quote, with notes on each.\n"
    "**/reload** — moderators: reload the corpus from disk.\n"
    "Follow-ups in a DM, a thread or a reply to my answer keep the topic (“why did he leave?”); "
    "I say which topic I assumed. Rate answers with 👍/👎.\n"
    "**Ask about this message** — right-click a message › Apps: a private answer to its text.\n"
    "**/privacy** — what I store about you; **/forget-me** deletes it.\n"
    "**/settings**, **/insights** — moderators: where I answer, question logging; what was asked and voted down.\n"
)


class Info(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="sources", description="The documents the bot quotes")
    async def sources(self, interaction: discord.Interaction) -> None:
        embed = sources_embed(self.bot.live.current.corpus.sources)
        await interaction.response.send_message(embed=embed, allowed_mentions=NONE)

    @app_commands.command(name="help", description="What this bot does and how to ask it")
    async def help(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="Nanking sources bot", description=HELP_TEXT, colour=COLOR_INFO)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)


async def setup(bot) -> None:
    await bot.add_cog(Info(bot))
