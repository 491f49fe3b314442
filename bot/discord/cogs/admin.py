"""Moderators' /reload, and the owner's explicit command sync."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import moderator_only
from bot.render.reload import reload_report
from bot.render.replies import synced_text

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="reload", description="Moderators: reload the corpus from disk")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.reload_index()  # serialized inside: two reloads run in turn
        log.info("reload by user=%s guild=%s ok=%s seconds=%.2f", interaction.user.id, interaction.guild_id,
                 report.ok, report.seconds)
        await interaction.followup.send(reload_report(report, markdown=True), ephemeral=True)

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, ctx: commands.Context, scope: str = "guild") -> None:
        """@bot sync [guild|global]: push the slash commands to Discord (owner only)."""
        names = await self.bot.sync_commands(scope, ctx.guild.id if ctx.guild else None)
        await ctx.reply(synced_text(names, scope), mention_author=False)


async def setup(bot) -> None:
    await bot.add_cog(Admin(bot))
