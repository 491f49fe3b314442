"""/settings (moderators): where mentions are answered, thread mode, question logging and its
retention, and a stricter cooldown; stored, not in memory."""
from __future__ import annotations

import dataclasses
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.discord.checks import moderator_only
from bot.render.replies import (
    NAME_CHANNELS,
    SETTINGS_NOT_SAVED,
    not_channels_text,
    settings_text,
    stricter_cooldown_text,
)

log = logging.getLogger(__name__)
_CHANNEL = re.compile(r"<#(\d+)>|\b(\d{15,21})\b")


def parse_channels(text: str, guild: discord.Guild) -> tuple[frozenset[int] | None, str | None]:
    """("all" or channel mentions) -> (channel ids or None for all, an error message)."""
    if text.strip().casefold() in ("all", "everywhere", "*"):
        return None, None
    ids = [int(a or b) for a, b in _CHANNEL.findall(text)]
    if not ids:
        return None, NAME_CHANNELS
    unknown = [i for i in ids if guild.get_channel(i) is None]
    if unknown:
        return None, not_channels_text(unknown)
    return frozenset(ids), None


def requested_changes(guild: discord.Guild, config: Config, mention_channels: str | None,
                      **values) -> tuple[dict, str | None]:
    """The settings to change (those given), or the reason they cannot be."""
    changes = {name: value for name, value in values.items() if value is not None}
    if mention_channels is not None:
        channels, error = parse_channels(mention_channels, guild)
        if error:
            return {}, error
        changes["mention_channels"] = channels
    rate, seconds = changes.get("cooldown_rate"), changes.get("cooldown_seconds")
    if rate is not None and rate > config.cooldown_rate or seconds is not None and seconds < config.cooldown_seconds:
        return {}, stricter_cooldown_text(config.cooldown_rate, config.cooldown_seconds)
    return changes, None


class Settings(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="settings", description="Moderators: where and how the bot answers in this server")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only()
    @app_commands.describe(
        mention_channels="Channels where @mentions are answered: #channel mentions, or all",
        thread_mode="Open a thread on each answer, where follow-up questions keep the topic",
        question_logging="Keep the text of questions asked here (for /insights); off by default",
        retention_days="Days answer records, votes and logged questions are kept (default 30)",
        cooldown_rate="Questions per user per cooldown window (at most the global number)",
        cooldown_seconds="Length of the cooldown window in seconds (at least the global length)")
    async def settings(self, interaction: discord.Interaction, mention_channels: str | None = None,
                       thread_mode: bool | None = None, question_logging: bool | None = None,
                       retention_days: app_commands.Range[int, 1, 365] | None = None,
                       cooldown_rate: app_commands.Range[int, 1, 1000] | None = None,
                       cooldown_seconds: app_commands.Range[float, 0, 3600] | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # the store may be slow
        config = self.bot.config
        changes, error = requested_changes(
            interaction.guild, config, mention_channels, thread_mode=thread_mode, log_questions=question_logging,
            retention_days=retention_days, cooldown_rate=cooldown_rate, cooldown_seconds=cooldown_seconds)
        if error:
            await interaction.followup.send(error, ephemeral=True)
            return
        current = await self.bot.guild_settings.get(interaction.guild_id)
        if changes:
            updated = dataclasses.replace(current, **changes)
            if not await self.bot.guild_settings.save(updated):
                await interaction.followup.send(SETTINGS_NOT_SAVED, ephemeral=True)
                return
            log.info("settings changed by user=%s guild=%s: %s", interaction.user.id, interaction.guild_id,
                     ", ".join(sorted(changes)))
            current = updated
        text = settings_text(current, config.cooldown_rate, config.cooldown_seconds, saved=bool(changes))
        await interaction.followup.send(text, ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Settings(bot))
