"""/ask and chat (an @mention in a channel, or any DM): quoted answers with a "More results" pager,
feedback buttons, follow-ups that remember the conversation's topic ("tell me more" too), and the
server's settings (where mentions are answered, thread mode, cooldowns). A request for what a
command shows ("show me the timeline", "what are your sources?") gets what the command shows.

Every send relies on the client's ``allowed_mentions`` (none), which discord.py applies to
interaction responses, follow-ups, replies and channel sends.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_requests import sources_asked, timeline_asked
from bot.discord.replying import Reply, conversation_key
from bot.discord.timeline_pages import timeline_message
from bot.discord.views import Pager
from bot.render.discord_embeds import sources_embed
from bot.render.limits import DEFER_AFTER
from bot.render.replies import ASK_EMPTY, MENTION_EMPTY, STILL_COOLING, cooldown_text, thread_name
from bot.store.records import GuildSettings

log = logging.getLogger(__name__)

_MENTION_PREFIX = re.compile(r"<@!?\d+>")


class Ask(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    async def _cooldown(self, user_id: int, settings: GuildSettings | None) -> str | None:
        """None: go ahead; else the warning to send ("" for silence)."""
        wait, warn = await self.bot.cooldown(user_id, settings)
        return cooldown_text(wait, warn) if wait else None

    @app_commands.command(name="ask",
                          description="Ask about the Nanking Massacre, the films and people; answers quote the sources")
    @app_commands.describe(question="Your question, e.g. Who was John Rabe?")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        settings = await self.bot.guild_settings.get(interaction.guild_id)
        cooldown = await self._cooldown(interaction.user.id, settings)
        if cooldown is not None:
            await interaction.response.send_message(cooldown or STILL_COOLING, ephemeral=True)
            return
        if not question.strip():
            await interaction.response.send_message(ASK_EMPTY, ephemeral=True)
            return
        if (command := self._as_a_command(question, interaction.user.id)) is not None:
            kwargs, pager, found = command
            if pager is not None:
                pager.interaction = interaction
            await interaction.response.send_message(ephemeral=not found, **kwargs)
            return
        started = time.perf_counter()
        key = conversation_key(interaction.channel, interaction.guild_id is None, None, self.bot.conversations)
        task = asyncio.ensure_future(self.bot.replier.prepare(question, key))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        deferred = not done
        if deferred:
            await interaction.response.defer(thinking=True)
        reply = await task
        self._log(interaction.guild_id, "slash", reply, started)
        kwargs, pager = self.bot.replier.message(reply, interaction.user.id)
        private = not reply.answer.answered
        if pager is not None:
            pager.interaction = interaction
        new_conversation = key is None
        key = key or f"ix:{interaction.id}"
        self.bot.replier.remember(reply, key)
        message_id = await self._send_slash(interaction, kwargs, deferred, private)
        if not private and new_conversation:
            thread_key = await self._thread_for_slash(interaction, settings, question)
            if thread_key:
                key = thread_key
                self.bot.replier.remember(reply, key)
        self.bot.replier.link(message_id, key)
        await self.bot.replier.record(reply, via="slash", guild_id=interaction.guild_id,
                                      channel_id=interaction.channel_id, user_id=interaction.user.id,
                                      settings=settings)

    def _as_a_command(self, question: str, user_id: int) -> tuple[dict, Pager | None, bool] | None:
        """A request for what a command shows, as the command shows it ("show me the timeline":
        /timeline's pages; "what are your sources?": /sources): the message's keyword arguments,
        its pager, and whether anything was found. None for a question."""
        index = self.bot.live.current
        if (query := timeline_asked(question)) is not None:
            return timeline_message(index, query, user_id)
        if sources_asked(question):
            return {"embed": sources_embed(index.corpus.sources)}, None, True
        return None

    @staticmethod
    async def _send_slash(interaction: discord.Interaction, kwargs: dict, deferred: bool,
                          private: bool) -> int | None:
        """Send the answer (a refusal privately); returns the message id when known."""
        if deferred:
            if private:  # a deferred reply is public; replace it with a private one
                await interaction.delete_original_response()
            sent = await interaction.followup.send(ephemeral=private, wait=True, **kwargs)
            return sent.id
        response = await interaction.response.send_message(ephemeral=private, **kwargs)
        return getattr(response, "message_id", None)

    @staticmethod
    async def _thread_for_slash(interaction: discord.Interaction, settings: GuildSettings | None,
                                question: str) -> str | None:
        """Thread mode: open a thread on the answer, where follow-ups keep the topic."""
        if settings is None or not settings.thread_mode or isinstance(interaction.channel, discord.Thread):
            return None
        try:
            message = await interaction.original_response()
            thread = await message.create_thread(name=thread_name(question))
        except (discord.HTTPException, ValueError) as exc:
            log.warning("could not open a thread for an answer in guild=%s: %s", interaction.guild_id, exc)
            return None
        return f"thread:{thread.id}"

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self._addressed(message)
        if question is None:
            return
        settings = await self.bot.guild_settings.get(message.guild.id if message.guild else None)
        parent_id = getattr(message.channel, "parent_id", None)
        if settings is not None and not settings.answers_in(message.channel.id, parent_id):
            return  # this server answers mentions in other channels only
        cooldown = await self._cooldown(message.author.id, settings)
        if cooldown is not None:
            if cooldown:
                await message.reply(cooldown, mention_author=False)
            return
        if not question:
            await message.reply(MENTION_EMPTY, mention_author=False)
            return
        await self._answer_message(message, question, settings)

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

    async def _answer_message(self, message: discord.Message, question: str, settings: GuildSettings | None) -> None:
        if (command := self._as_a_command(question, message.author.id)) is not None:
            kwargs, pager, _ = command
            sent = await message.reply(mention_author=False, **kwargs)
            if pager is not None:
                pager.message = sent
            return
        started = time.perf_counter()
        in_dm = message.guild is None
        referenced = message.reference.message_id if message.reference else None
        key = conversation_key(message.channel, in_dm, referenced, self.bot.conversations)
        async with message.channel.typing():
            reply = await self.bot.replier.prepare(question, key)
        via = "dm" if in_dm else "mention"
        self._log(None if in_dm else message.guild.id, via, reply, started)
        kwargs, pager = self.bot.replier.message(reply, message.author.id)
        thread = None
        if key is None and settings is not None and settings.thread_mode:
            try:
                thread = await message.create_thread(name=thread_name(question))
            except (discord.HTTPException, ValueError) as exc:
                log.warning("could not open a thread for a question in guild=%s: %s", settings.guild_id, exc)
        key = key or (f"thread:{thread.id}" if thread is not None else f"msg:{message.id}")
        self.bot.replier.remember(reply, key)
        if thread is not None:
            sent = await thread.send(**kwargs)
        else:
            sent = await message.reply(mention_author=False, **kwargs)
        if pager is not None:
            pager.message = sent
        self.bot.replier.link(sent.id, key)
        await self.bot.replier.record(reply, via=via, guild_id=None if in_dm else message.guild.id,
                                      channel_id=message.channel.id, user_id=message.author.id, settings=settings)

    @staticmethod
    def _log(guild_id: int | None, path: str, reply: Reply, started: float) -> None:
        # never the question itself at info level: it is the user's content
        topic = reply.resolution.topic
        log.info("question guild=%s via=%s answered=%s quotes=%d topic=%s latency_ms=%.0f",
                 guild_id or "dm", path, reply.answer.answered, len(reply.answer.quotes),
                 topic.id if topic else "-", (time.perf_counter() - started) * 1000)


async def setup(bot) -> None:
    await bot.add_cog(Ask(bot))
