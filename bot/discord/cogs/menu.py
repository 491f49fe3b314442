""""Ask about this message": a message context-menu command; the answer is private to the user."""
from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.render.replies import NO_TEXT_TO_ASK, cooldown_text

log = logging.getLogger(__name__)
MENU_NAME = "Ask about this message"
_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>")


class Menu(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.ask_about)
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def ask_about(self, interaction: discord.Interaction, message: discord.Message) -> None:
        question = _MENTION.sub(" ", message.content or "").strip()
        if not question:
            await interaction.response.send_message(NO_TEXT_TO_ASK, ephemeral=True)
            return
        settings = await self.bot.guild_settings.get(interaction.guild_id)
        wait, _warn = await self.bot.cooldown(interaction.user.id, settings)
        if wait:
            await interaction.response.send_message(cooldown_text(wait, warn=True), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.bot.replier.prepare(question, None)
        log.info("question guild=%s via=menu answered=%s quotes=%d", interaction.guild_id or "dm",
                 reply.answer.answered, len(reply.answer.quotes))
        kwargs, pager = self.bot.replier.message(reply, interaction.user.id)
        if pager is not None:
            pager.interaction = interaction
        await interaction.followup.send(ephemeral=True, **kwargs)
        await self.bot.replier.record(reply, via="menu", guild_id=interaction.guild_id,
                                      channel_id=interaction.channel_id, user_id=interaction.user.id, settings=settings)


async def setup(bot) -> None:
    await bot.add_cog(Menu(bot))
