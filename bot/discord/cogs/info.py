"""/sources and /help."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.discord_embeds import help_embed, sources_embed


class Info(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="sources", description="The documents the bot quotes")
    async def sources(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=sources_embed(self.bot.live.current.corpus.sources))

    @app_commands.command(name="help", description="What this bot does and how to ask it")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=help_embed(), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Info(bot))
