"""Moderators' /reload, and the owner's explicit command sync."""
from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.discord_embeds import code, cut

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()


def is_moderator(interaction: discord.Interaction, role_ids: frozenset[int]) -> bool:
    """Manage Server, or one of the configured moderator roles (by id: role names prove nothing)."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    return any(role.id in role_ids for role in member.roles)


def _counts(c: dict[str, int]) -> str:
    return f"{c.get('sources', 0)} sources, {c.get('passages', 0)} passages, {c.get('timeline', 0)} timeline entries"


class Admin(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @app_commands.command(name="reload", description="Moderators: reload the corpus from disk")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        if interaction.guild is None:
            await interaction.response.send_message("/reload works in a server, not in DMs.", ephemeral=True, allowed_mentions=NONE)
            return
        if not is_moderator(interaction, self.bot.config.moderator_role_ids):
            await interaction.response.send_message("Sorry, /reload is for moderators only.", ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.live.reload_async()  # serialized inside: two reloads run in turn
        log.info("reload by user=%s guild=%s ok=%s seconds=%.2f", interaction.user.id, interaction.guild_id, report.ok, report.seconds)
        if report.ok:
            text = (f"Reloaded in {report.seconds:.2f} s.\nBefore: {_counts(report.before)}\n"
                    f"After: {_counts(report.after)}")
        else:
            errors = "\n".join(code(e) for e in report.errors[:20])
            more = f"\n…and {len(report.errors) - 20} more" if len(report.errors) > 20 else ""
            text = cut(f"**Reload failed; still serving the previous corpus** ({_counts(report.before)}).\n{errors}{more}", 2000)
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, ctx: commands.Context, scope: str = "guild") -> None:
        """@bot sync [guild|global]: push the slash commands to Discord (owner only)."""
        names = await self.bot.sync_commands(scope, ctx.guild.id if ctx.guild else None)
        await ctx.reply(f"Synced {len(names)} commands ({scope}).", mention_author=False, allowed_mentions=NONE)


async def setup(bot) -> None:
    await bot.add_cog(Admin(bot))
