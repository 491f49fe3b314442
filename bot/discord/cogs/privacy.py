"""/privacy (anyone: what is stored about them, and for how long), /forget-me (delete their votes
and logged questions at once), and the periodic task that enforces each server's retention."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.render.replies import FORGET_FAILED, forgotten_text
from bot.render.stored import privacy_embed
from bot.store.records import DEFAULT_RETENTION_DAYS

log = logging.getLogger(__name__)
RETENTION_EVERY_MINUTES = 60


class Privacy(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    async def cog_load(self) -> None:
        self.retention.start()

    async def cog_unload(self) -> None:
        self.retention.cancel()

    @tasks.loop(minutes=RETENTION_EVERY_MINUTES)
    async def retention(self) -> None:
        await self.enforce_retention()

    async def enforce_retention(self) -> int | None:
        """Delete every record older than its server's retention; returns how many answers went."""
        deleted = await self.bot.store.purge_expired()
        if deleted:
            log.info("retention: deleted %d expired answer records with their votes and questions", deleted)
        return deleted

    @app_commands.command(name="privacy", description="What the bot stores about you, and for how long")
    async def privacy(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # the store may be slow
        settings = await self.bot.guild_settings.get(interaction.guild_id)
        days = settings.retention_days if settings else DEFAULT_RETENTION_DAYS
        counts = await self.bot.store.user_counts(interaction.user.id)
        embed = privacy_embed(settings.log_questions if settings else None, days,
                              self.bot.config.conversation_minutes, counts)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="forget-me", description="Delete your votes and logged questions now")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        deleted = await self.bot.store.forget_user(interaction.user.id)
        if interaction.guild_id is None:
            self.bot.conversations.forget(f"dm:{interaction.channel_id}")
        if deleted is None:
            await interaction.followup.send(FORGET_FAILED, ephemeral=True)
            return
        log.info("forget-me: deleted %d votes and %d questions of a user", *deleted)
        await interaction.followup.send(forgotten_text(*deleted), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Privacy(bot))
