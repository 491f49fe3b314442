"""/ask and chat (an @mention in a channel, or any DM): quoted answers with a "More results" pager."""
from __future__ import annotations

import asyncio
import logging
import re
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering.answers import Answer, build_answer
from bot.render.discord_embeds import answer_embeds, not_found_text
from bot.discord.views import Pager

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
PAGES = 3               # an answer holds up to this many pages of quotes
DEFER_AFTER = 1.0       # seconds: answer directly if the search is quicker, defer otherwise
_MENTION_PREFIX = re.compile(r"<@!?\d+>")


class Ask(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    async def answer(self, question: str) -> Answer:
        """Search on a worker thread, on the snapshot current when the question arrived."""
        index = self.bot.live.current
        k = self.bot.config.quotes_per_answer * PAGES
        return await asyncio.to_thread(build_answer, index, question, k)

    def pager(self, owner_id: int, answer: Answer) -> tuple[list[discord.Embed], Pager | None]:
        per = self.bot.config.quotes_per_answer
        pages = [list(answer.quotes[i:i + per]) for i in range(0, len(answer.quotes), per)]
        render = lambda n: answer_embeds(answer, pages[n])  # noqa: E731
        if len(pages) < 2:
            return render(0), None
        return render(0), Pager(owner_id, len(pages), render)

    async def _cooldown_message(self, user_id: int) -> str | None:
        wait, warn = self.bot.cooldowns.hit(user_id)
        if not wait:
            return None
        return f"You're asking quickly. Try again in {wait:.0f} s." if warn else ""

    @app_commands.command(name="ask", description="Ask about the Nanking Massacre, the films and people; answers quote the sources")
    @app_commands.describe(question="Your question, e.g. Who was John Rabe?")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        cooldown = await self._cooldown_message(interaction.user.id)
        if cooldown is not None:
            await interaction.response.send_message(cooldown or "Still cooling down.", ephemeral=True, allowed_mentions=NONE)
            return
        if not question.strip():
            await interaction.response.send_message("Please ask a question, e.g. `/ask Who was John Rabe?`",
                                                    ephemeral=True, allowed_mentions=NONE)
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
            text = not_found_text(answer, question)
            if deferred:  # a deferred reply is public; replace it with a private one
                await interaction.delete_original_response()
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)
            else:
                await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)
            return
        embeds, view = self.pager(interaction.user.id, answer)
        kwargs = {"embeds": embeds, "allowed_mentions": NONE}
        if view is not None:
            kwargs["view"] = view
            view.interaction = interaction
        if deferred:
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        in_dm = message.guild is None
        if not in_dm and self.bot.user not in message.mentions:
            return
        question = _MENTION_PREFIX.sub(" ", message.content).strip()
        first = question.split(maxsplit=1)[0].lower() if question else ""
        if not in_dm and first in self.bot.all_commands:
            return  # a prefix command such as "@bot sync": commands.Bot handles it
        cooldown = await self._cooldown_message(message.author.id)
        if cooldown is not None:
            if cooldown:
                await message.reply(cooldown, mention_author=False, allowed_mentions=NONE)
            return
        if not question:
            await message.reply("Ask me a question about the Nanking Massacre, e.g. “Who was John Rabe?”. "
                                "Type `/help` for commands.", mention_author=False, allowed_mentions=NONE)
            return
        started = time.perf_counter()
        async with message.channel.typing():
            answer = await self.answer(question)
        self._log(message.guild.id if message.guild else None, "dm" if in_dm else "mention", answer, started)
        if not answer.answered:
            await message.reply(not_found_text(answer, question), mention_author=False, allowed_mentions=NONE)
            return
        embeds, view = self.pager(message.author.id, answer)
        kwargs = {"embeds": embeds, "mention_author": False, "allowed_mentions": NONE}
        if view is not None:
            kwargs["view"] = view
        sent = await message.reply(**kwargs)
        if view is not None:
            view.message = sent

    @staticmethod
    def _log(guild_id: int | None, path: str, answer: Answer, started: float) -> None:
        # never the question itself at info level: it is the user's content
        log.info("question guild=%s via=%s answered=%s quotes=%d latency_ms=%.0f",
                 guild_id or "dm", path, answer.answered, len(answer.quotes), (time.perf_counter() - started) * 1000)


async def setup(bot) -> None:
    await bot.add_cog(Ask(bot))
