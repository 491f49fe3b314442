"""Who may use a command: ``app_commands`` checks the command trees share.

A check that refuses raises ``NotAllowed`` (an ``app_commands.CheckFailure``) whose message is
meant for the user; the error cog sends it privately. ``moderator_only()`` guards /reload and
/corpus.
"""
from __future__ import annotations

import discord
from discord import app_commands


class NotAllowed(app_commands.CheckFailure):
    """A check said no; ``str(error)`` tells the user why, without internals."""


def is_moderator(member: discord.Member, role_ids: frozenset[int]) -> bool:
    """Manage Server, or one of the configured moderator roles (by id: role names prove nothing)."""
    if member.guild_permissions.manage_guild:
        return True
    return any(role.id in role_ids for role in member.roles)


def moderates(interaction: discord.Interaction) -> bool:
    """``moderator_only``'s test as a yes or no, for what a check does not guard (buttons, autocomplete)."""
    user = interaction.user
    return (interaction.guild is not None and isinstance(user, discord.Member)
            and is_moderator(user, interaction.client.config.moderator_role_ids))


async def _moderator(interaction: discord.Interaction) -> bool:
    name = f"/{interaction.command.qualified_name}" if interaction.command else "This command"
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise NotAllowed(f"{name} works in a server, not in DMs.")
    if not moderates(interaction):
        raise NotAllowed(f"Sorry, {name} is for moderators only.")
    return True


def moderator_only():
    """Manage Server or a moderator role id from the config, checked by the bot on every call
    (``default_permissions`` only hides a command, and servers can change that)."""
    return app_commands.check(_moderator)
