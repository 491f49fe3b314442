"""The Discord client: minimal intents, no mentions ever, cogs loaded one by one, explicit sync."""
from __future__ import annotations

import asyncio
import logging
import re
import signal

import aiohttp
import discord
from discord.ext import commands

from bot.answering.answers import warm_up
from bot.config import Config
from bot.conversation import ConversationMemory
from bot.discord.feedback import FeedbackButton, ReasonSelect
from bot.discord.guild_settings import GuildCooldowns, GuildSettingsCache
from bot.discord.replying import Replier
from bot.heartbeat import FOLDER as HEARTBEAT_FOLDER
from bot.heartbeat import Heartbeat
from bot.store import Store, store_url
from bot.store.guarded import GuardedStore
from index.live import LiveIndex, ReloadReport

log = logging.getLogger(__name__)

# On SIGTERM: in-flight interactions get this long to finish before the connection closes.
DRAIN_SECONDS = 5.0
# The tasks discord.py runs an interaction or a message in (slash commands, context menus, pager
# and feedback buttons, mentions).
_IN_FLIGHT = ("CommandTree-invoker", "discord-ui-view-dispatch", "discord-ui-modal-dispatch",
              "discord-ui-dynamic-item", "discord.py: on_message")
RESTARTING = "I'm restarting; please ask again in a minute."

EXTENSIONS = ("bot.discord.cogs.errors", "bot.discord.cogs.ask", "bot.discord.cogs.timeline", "bot.discord.cogs.info",
              "bot.discord.cogs.admin", "bot.discord.cogs.menu", "bot.discord.cogs.settings",
              "bot.discord.cogs.insights", "bot.discord.cogs.privacy", "bot.discord.cogs.corpus")


# Interaction and webhook tokens in a REST path: never logged.
_PATH_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/?]+")


async def _log_server_error(session, ctx, params: aiohttp.TraceRequestEndParams) -> None:
    """discord.py retries a 5xx without a word (or gives up on it); log each one once. 429s it
    logs itself."""
    if params.response.status >= 500:
        log.warning("Discord answered %s %s with HTTP %d", params.method,
                    _PATH_TOKEN.sub(r"\1<token>", params.url.path), params.response.status)


def _http_trace() -> aiohttp.TraceConfig:
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_log_server_error)
    return trace


class QuoteBot(commands.Bot):
    def __init__(self, live: LiveIndex, config: Config, sync: str | None = None, coordination=None, **kwargs):
        kwargs.setdefault("intents", discord.Intents.default())  # no privileged intents
        kwargs.setdefault("http_trace", _http_trace())
        super().__init__(command_prefix=commands.when_mentioned, allowed_mentions=discord.AllowedMentions.none(),
                         help_command=None, **kwargs)
        self.live, self.config, self.sync_scope = live, config, sync
        self._gateway_up = False  # READY or RESUMED since the last lost connection
        self.cooldowns = GuildCooldowns(config.cooldown_rate, config.cooldown_seconds)
        self.store = GuardedStore(Store(store_url(config.data_dir, config.database_url)))
        self.guild_settings = GuildSettingsCache(self.store)
        self.conversations = ConversationMemory(ttl=config.conversation_minutes * 60)
        self.replier = Replier(self)
        self.draining = False  # shutting down: new commands get a short "restarting" reply
        self.tree.interaction_check = self._accepting
        # several processes: a bot.coordination.Coordination (Redis); None runs alone, as always
        self.coordination = coordination
        # <data_dir>/heartbeat/: what `python -m bot health` reads (gateway up, event loop answering)
        self.heartbeat = Heartbeat(config.data_dir / HEARTBEAT_FOLDER, lambda: (self._gateway_up, self.live.current))

    async def cooldown(self, user_id: int, settings) -> tuple[float, bool]:
        """Count one question of ``user_id`` (server ``settings`` or None): (seconds to wait, whether
        to warn). Shared by every process through Redis when it is there, else this process's own."""
        local = self.cooldowns.for_guild(settings)
        if self.coordination is not None:
            scope = "default" if local is self.cooldowns.default else str(settings.guild_id)
            shared = await self.coordination.cooldown(scope, user_id, local.rate, local.per)
            if shared is not None:
                return shared
        return local.hit(user_id)

    async def reload_index(self) -> ReloadReport:
        """Reload the corpus (built once, in a child process); every other process then swaps to
        the version this one published."""
        if self.coordination is None:
            return await self.live.reload_async()
        async with self.coordination.reload_lock.held():  # one reload at a time across processes
            report = await self.live.reload_async()
            if report.ok:
                await self.coordination.published()
        return report

    async def _accepting(self, interaction: discord.Interaction) -> bool:
        if not self.draining:
            return True
        try:
            await interaction.response.send_message(RESTARTING, ephemeral=True,
                                                    allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            pass
        return False

    async def drain(self, seconds: float = DRAIN_SECONDS) -> int:
        """Stop taking new work, cancel a running reload build (its /reload is answered at once)
        and give interactions and messages in flight up to ``seconds`` to finish; returns how
        many were still running then."""
        self.draining = True
        self.live.cancel()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        me = asyncio.current_task()
        while True:
            pending = {t for t in asyncio.all_tasks() if t is not me and not t.done()
                       and t.get_name().startswith(_IN_FLIGHT)}
            left = deadline - loop.time()
            if not pending or left <= 0:
                return len(pending)
            await asyncio.wait(pending, timeout=left)

    async def setup_hook(self) -> None:
        self.heartbeat.start()
        await self.store.open()  # migrates to the last schema version; a fault is logged, answers go on
        if self.coordination is not None:
            await self.coordination.start()  # Redis down: logged once, answers go on with local state
        await asyncio.to_thread(warm_up)  # word frequencies for language detection: not on the first question
        self.add_dynamic_items(FeedbackButton, ReasonSelect)  # votes work on answers sent before a restart
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_scope:
            names = await self.sync_commands(self.sync_scope, self.config.dev_guild_id)
            log.info("synced %d commands (%s): %s", len(names), self.sync_scope, ", ".join(names))

    async def sync_commands(self, scope: str, guild_id: int | None) -> list[str]:
        if scope == "global":
            synced = await self.tree.sync()
        elif scope == "guild":
            if guild_id is None:
                raise ValueError("--sync guild needs dev_guild_id in the config (or BOT_DEV_GUILD_ID)")
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            raise ValueError(f"unknown sync scope {scope!r}: use guild or global")
        return [c.name for c in synced]

    async def close(self) -> None:
        await self.heartbeat.stop()
        await super().close()
        if self.coordination is not None:
            await self.coordination.close()
        await self.store.close()

    async def on_ready(self) -> None:
        self._gateway_up = True
        self.heartbeat.poke()
        log.info("connected as %s (id %s) to %d guilds", self.user, self.user.id if self.user else "?",
                 len(self.guilds))

    async def on_disconnect(self) -> None:
        # discord.py logs a lost gateway connection only at DEBUG, then reconnects (RESUME, or a
        # RESUME refused and a new IDENTIFY, each attempt dispatching "disconnect" again): one
        # line per loss, none for our own close
        if self._gateway_up and not self.is_closed():
            log.warning("lost the connection to the Discord gateway; reconnecting")
        self._gateway_up = False
        self.heartbeat.poke()

    async def on_resumed(self) -> None:
        self._gateway_up = True
        self.heartbeat.poke()
        log.info("gateway session resumed")


class ShardedQuoteBot(QuoteBot, commands.AutoShardedBot):
    """The same bot over several gateway shards in this process (discord.py's AutoShardedBot):
    ``shard_ids`` and ``shard_count`` as given, or no count for Discord's recommendation. Direct
    messages arrive on shard 0 only."""

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s ready", shard_id, self.shard_count)


def make_bot(live: LiveIndex, config: Config, sync: str | None, plan) -> QuoteBot:
    """One plain connection, or the shards of ``plan`` (a bot.coordination.shards.ShardPlan); with
    ``redis_url``, coordinated with the other processes (redis is imported only then)."""
    coordination = None
    if config.redis_url:
        from bot.coordination.coordinator import Coordination

        coordination = Coordination(config.redis_url, live, config.redis_sync_seconds)
    if not plan.sharded:
        return QuoteBot(live, config, sync=sync, coordination=coordination)
    log.info("gateway: %s", plan.describe())
    shards = {} if plan.count == 0 else {"shard_count": plan.count}
    if plan.ids is not None:
        shards["shard_ids"] = list(plan.ids)
    return ShardedQuoteBot(live, config, sync=sync, coordination=coordination, **shards)


async def run_bot(bot: QuoteBot, token: str) -> None:
    """Run until SIGTERM or Ctrl-C, then close the connection cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass  # not on the main thread / platform without signals: Ctrl-C still raises
    async with bot:
        runner = asyncio.create_task(bot.start(token))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            unfinished = await bot.drain()
            if unfinished:
                log.warning("%d interactions still running at shutdown", unfinished)
            await bot.close()
        stopper.cancel()
        await asyncio.gather(runner, return_exceptions=stopper in done)
