"""One place for errors: log them, tell the user briefly, never leak internals or ping anyone."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
SORRY = "Something went wrong on my side; it has been logged. Please try again."


class Errors(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        bot.tree.on_error = self.on_app_command_error

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CheckFailure):
            message = "You can't use this command here."
        else:
            log.error("command %s failed", interaction.command.name if interaction.command else "?",
                      exc_info=error)
            message = SORRY
        try:
            if interaction.response.is_done():
                await interaction.followup.send(message, ephemeral=True, allowed_mentions=NONE)
            else:
                await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("could not report an error to the user")

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, (commands.CommandNotFound, commands.NotOwner, commands.CheckFailure)):
            return
        log.error("prefix command failed", exc_info=error)


async def setup(bot) -> None:
    await bot.add_cog(Errors(bot))
