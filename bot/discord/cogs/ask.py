"""/ask and chat (an @mention in a channel, or any DM): quoted answers with a "More results" pager.

Every send relies on the client's ``allowed_mentions`` (none), which discord.py applies to
interaction responses, follow-ups and replies.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.answers import Answer, build_answer
from bot.discord.views import Pager, first_page
from bot.render.discord_embeds import answer_embeds, not_found_text
from bot.render.limits import ANSWER_PAGES, DEFER_AFTER
from bot.render.pages import Pages
from bot.render.replies import ASK_EMPTY, MENTION_EMPTY, STILL_COOLING, cooldown_text

log = logging.getLogger(__name__)

_MENTION_PREFIX = re.compile(r"<@!?\d+>")


class Ask(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    async def answer(self, question: str) -> Answer:
        """Search on a worker thread, on the snapshot current when the question arrived."""
        index = self.bot.live.current
        k = self.bot.config.quotes_per_answer * ANSWER_PAGES
        return await asyncio.to_thread(build_answer, index, question, k)

    def pager(self, owner_id: int, answer: Answer) -> tuple[list[discord.Embed], Pager | None]:
        pages = Pages(answer.quotes, self.bot.config.quotes_per_answer,
                      lambda quotes, _page, _count: answer_embeds(answer, quotes))
        return first_page(owner_id, pages)

    def _cooldown(self, user_id: int) -> str | None:
        """None: go ahead; else the warning to send ("" for silence)."""
        wait, warn = self.bot.cooldowns.hit(user_id)
        return cooldown_text(wait, warn) if wait else None

    @app_commands.command(name="ask",
                          description="Ask about the Nanking Massacre, the films and people; answers quote the sources")
    @app_commands.describe(question="Your question, e.g. Who was John Rabe?")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        cooldown = self._cooldown(interaction.user.id)
        if cooldown is not None:
            await interaction.response.send_message(cooldown or STILL_COOLING, ephemeral=True)
            return
        if not question.strip():
            await interaction.response.send_message(ASK_EMPTY, ephemeral=True)
            return
        started = time.perf_counter()
        task = asyncio.ensure_future(self.answer(question))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        deferred = not done
        if deferred:
            await interaction.response.defer(thinking=True)
        answer = await task
        self._log(interaction.guild_id, "slash", answer, started)
        if not answer.answered:
            await self._not_found(interaction, not_found_text(answer, question), deferred)
            return
        embeds, view = self.pager(interaction.user.id, answer)
        kwargs = {"embeds": embeds} if view is None else {"embeds": embeds, "view": view}
        if view is not None:
            view.interaction = interaction
        if deferred:
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)

    @staticmethod
    async def _not_found(interaction: discord.Interaction, text: str, deferred: bool) -> None:
        if deferred:  # a deferred reply is public; replace it with a private one
            await interaction.delete_original_response()
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self._addressed(message)
        if question is None:
            return
        cooldown = self._cooldown(message.author.id)
        if cooldown is not None:
            if cooldown:
                await message.reply(cooldown, mention_author=False)
            return
        if not question:
            await message.reply(MENTION_EMPTY, mention_author=False)
            return
        started = time.perf_counter()
        async with message.channel.typing():
            answer = await self.answer(question)
        in_dm = message.guild is None
        self._log(None if in_dm else message.guild.id, "dm" if in_dm else "mention", answer, started)
        if not answer.answered:
            await message.reply(not_found_text(answer, question), mention_author=False)
            return
        embeds, view = self.pager(message.author.id, answer)
        kwargs = {"embeds": embeds} if view is None else {"embeds": embeds, "view": view}
        sent = await message.reply(**kwargs, mention_author=False)
        if view is not None:
            view.message = sent

    def _addressed(self, message: discord.Message) -> str | None:
        """The question of a DM or a message that mentions the bot; None when it is not for the
        Ask cog (another bot, no mention, or a prefix command such as "@bot sync")."""
        if message.author.bot or self.bot.user is None:
            return None
        in_dm = message.guild is None
        if not in_dm and self.bot.user not in message.mentions:
            return None
        question = _MENTION_PREFIX.sub(" ", message.content).strip()
        first = question.split(maxsplit=1)[0].lower() if question else ""
        if not in_dm and first in self.bot.all_commands:
            return None  # commands.Bot handles it
        return question

    @staticmethod
    def _log(guild_id: int | None, path: str, answer: Answer, started: float) -> None:
        # never the question itself at info level: it is the user's content
        log.info("question guild=%s via=%s answered=%s quotes=%d latency_ms=%.0f",
                 guild_id or "dm", path, answer.answered, len(answer.quotes), (time.perf_counter() - started) * 1000)


async def setup(bot) -> None:
    await bot.add_cog(Ask(bot))
