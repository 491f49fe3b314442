"""One place for errors: log them, tell the user briefly and privately, never leak internals."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import NotAllowed
from bot.render.replies import NOT_HERE, SORRY

log = logging.getLogger(__name__)


class Errors(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        bot.tree.on_error = self.on_app_command_error

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.name if interaction.command else "?"
        if isinstance(error, NotAllowed):
            log.info("command %s refused to user=%s: %s", name, interaction.user.id, error)
            message = str(error)
        elif isinstance(error, app_commands.CheckFailure):
            message = NOT_HERE
        else:
            log.error("command %s failed", name, exc_info=error)
            message = SORRY
        try:
            if interaction.response.is_done():
                await interaction.followup.send(message, ephemeral=True)
            else:
                await interaction.response.send_message(message, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not report an error to the user")

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, (commands.CommandNotFound, commands.NotOwner, commands.CheckFailure)):
            return
        log.error("prefix command failed", exc_info=error)


async def setup(bot) -> None:
    await bot.add_cog(Errors(bot))
