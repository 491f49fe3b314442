"""Who may use the moderators' commands: the one place the cogs ask (Manage Server, or a
configured moderator role; see ``is_moderator``)."""
from __future__ import annotations

import discord

from bot.discord.cogs.admin import is_moderator


def moderator(interaction: discord.Interaction) -> bool:
    return is_moderator(interaction, interaction.client.config.moderator_role_ids)
