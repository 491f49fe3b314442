"""/settings (moderators): where mentions are answered, thread mode, question logging and its
retention, and a stricter cooldown; stored, not in memory."""
from __future__ import annotations

import dataclasses
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.access import moderator
from bot.store.records import GuildSettings

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
_CHANNEL = re.compile(r"<#(\d+)>|\b(\d{15,21})\b")


def parse_channels(text: str, guild: discord.Guild) -> tuple[frozenset[int] | None, str | None]:
    """("all" or channel mentions) -> (channel ids or None for all, an error message)."""
    if text.strip().casefold() in ("all", "everywhere", "*"):
        return None, None
    ids = [int(a or b) for a, b in _CHANNEL.findall(text)]
    if not ids:
        return None, "Name channels as #channel mentions (or `all` for every channel)."
    unknown = [i for i in ids if guild.get_channel(i) is None]
    if unknown:
        return None, f"These are not channels of this server: {', '.join(f'<#{i}>' for i in unknown)}"
    return frozenset(ids), None


def describe(s: GuildSettings, rate: int, per: float) -> str:
    channels = "every channel" if s.mention_channels is None else ", ".join(f"<#{c}>" for c in sorted(s.mention_channels))
    cooldown = f"{s.cooldown_rate or rate} questions per {s.cooldown_seconds if s.cooldown_seconds is not None else per:g} s"
    return (f"**Mentions answered in:** {channels}\n"
            f"**Thread mode** (answers open a thread for follow-ups): {'on' if s.thread_mode else 'off'}\n"
            f"**Question logging:** {'on' if s.log_questions else 'off'} (records kept {s.retention_days} days)\n"
            f"**Cooldown per user:** {cooldown} (global: {rate} per {per:g} s)")


class Settings(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="settings", description="Moderators: where and how the bot answers in this server")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
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
        if interaction.guild is None or not moderator(interaction):
            await interaction.response.send_message("Sorry, /settings is for moderators only.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # the store may be slow
        config = self.bot.config
        current = await self.bot.guild_settings.get(interaction.guild.id)
        changes: dict = {}
        if mention_channels is not None:
            channels, error = parse_channels(mention_channels, interaction.guild)
            if error:
                await interaction.followup.send(error, ephemeral=True, allowed_mentions=NONE)
                return
            changes["mention_channels"] = channels
        if cooldown_rate is not None and cooldown_rate > config.cooldown_rate or \
                cooldown_seconds is not None and cooldown_seconds < config.cooldown_seconds:
            await interaction.followup.send(
                f"A server's cooldown can only be stricter than the global one: at most {config.cooldown_rate} "
                f"questions per at least {config.cooldown_seconds:g} s.", ephemeral=True, allowed_mentions=NONE)
            return
        for name, value in (("thread_mode", thread_mode), ("log_questions", question_logging),
                            ("retention_days", retention_days), ("cooldown_rate", cooldown_rate),
                            ("cooldown_seconds", cooldown_seconds)):
            if value is not None:
                changes[name] = value
        if changes:
            updated = dataclasses.replace(current, **changes)
            if not await self.bot.guild_settings.save(updated):
                await interaction.followup.send("Sorry, I couldn't save the settings right now; nothing changed.",
                                                        ephemeral=True, allowed_mentions=NONE)
                return
            log.info("settings changed by user=%s guild=%s: %s", interaction.user.id, interaction.guild.id,
                     ", ".join(sorted(changes)))
            current = updated
        title = "Settings saved." if changes else "Settings of this server:"
        await interaction.followup.send(f"{title}\n{describe(current, config.cooldown_rate, config.cooldown_seconds)}",
                                                ephemeral=True, allowed_mentions=NONE)


async def setup(bot) -> None:
    await bot.add_cog(Settings(bot))
