"""/privacy (anyone: what is stored about them, and for how long), /forget-me (delete their votes
and logged questions at once), and the periodic task that enforces each server's retention."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord.cogs.info import COLOR_INFO
from bot.store.records import DEFAULT_RETENTION_DAYS

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
RETENTION_EVERY_MINUTES = 60

PRIVACY_TEXT = (
    "**Every answer** is recorded without your name: when, the server and channel, which passages "
    "were quoted, the corpus version, whether I declined, and the names (people, films, places) asked about.\n"
    "**Your 👍/👎 votes** are stored with your user id, so you can change them, and with the reason you pick.\n"
    "**Your questions** are stored (text and user id) only in servers whose moderators turned question "
    "logging on{logging}; never in DMs.\n"
    "**Conversations**: to understand follow-ups I remember the names a conversation was about, in memory "
    "only, for {minutes:g} minutes after its last question.\n"
    "**How long**: everything above is deleted after the server's retention ({days} days here; "
    f"{DEFAULT_RETENTION_DAYS} days in DMs and by default).\n"
    "**/forget-me** deletes your votes and logged questions now."
)


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
        logging_here = "" if settings is None else f" (in this server it is **{'on' if settings.log_questions else 'off'}**)"
        days = settings.retention_days if settings else DEFAULT_RETENTION_DAYS
        text = PRIVACY_TEXT.format(logging=logging_here, days=days, minutes=self.bot.config.conversation_minutes)
        counts = await self.bot.store.user_counts(interaction.user.id)
        if counts is not None:
            text += f"\n\nStored about you right now: **{counts[0]}** votes, **{counts[1]}** logged questions."
        embed = discord.Embed(title="What I store", description=text, colour=COLOR_INFO)
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="forget-me", description="Delete your votes and logged questions now")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        deleted = await self.bot.store.forget_user(interaction.user.id)
        if interaction.guild_id is None:
            self.bot.conversations.forget(f"dm:{interaction.channel_id}")
        if deleted is None:
            await interaction.followup.send("Sorry, I couldn't delete your data right now; please try again later.",
                                            ephemeral=True, allowed_mentions=NONE)
            return
        log.info("forget-me: deleted %d votes and %d questions of a user", *deleted)
        await interaction.followup.send(f"Done: deleted {deleted[0]} votes and {deleted[1]} logged questions of yours.",
                                        ephemeral=True, allowed_mentions=NONE)


async def setup(bot) -> None:
    await bot.add_cog(Privacy(bot))
