"""Running a real discord.py client against the fake Discord.

``start_bot(fake, bot)`` (also ``fake.start_bot`` / ``fake.run_bot`` and the
``start_bot`` fixture):

* sets ``discord.http.Route.BASE`` (REST, also used by interaction webhooks) and
  ``DiscordWebSocket.DEFAULT_GATEWAY`` (a ``yarl.URL`` in 2.7) to the fake and
  restores them when the last running bot stops; non-sharded clients never
  call ``/gateway/bot``, they connect to ``DEFAULT_GATEWAY`` directly;
* installs an aiohttp trace hook that fails any request to a non-loopback host;
* shortens ``guild_ready_timeout`` (discord.py waits that long after the last
  GUILD_CREATE before ``on_ready``; default 2 s) and removes the 5 s sleep
  ``Client.before_identify_hook`` does before every re-IDENTIFY;
* runs ``bot.start(token)`` as a task and waits for ``bot.is_ready()``;
* captures ERROR records of the ``discord`` loggers (exceptions in commands,
  views, events) in ``RunningBot.errors``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

if TYPE_CHECKING:  # pragma: no cover
    from tests.support.fake_discord.server import FakeDiscord


async def start_bot(fake: FakeDiscord, bot: discord.Client, *, ready_timeout: float = 10.0, guild_ready_timeout: float | None = 0.05,
                    fast_reidentify: bool = True, token: str | None = None) -> RunningBot:
    """Point ``bot`` at this fake, start ``bot.start(token)`` as a task and
    wait until it is ready (READY + all GUILD_CREATEs handled).

    ``guild_ready_timeout`` overrides the bot's (discord.py waits that long
    after the last GUILD_CREATE before ``on_ready``; default 2 s).
    ``fast_reidentify`` removes discord.py's 5 s sleep before re-IDENTIFY.
    """
    _patch_endpoints(fake)
    running = RunningBot(bot=bot, fake=fake)
    try:
        if guild_ready_timeout is not None:
            bot._connection.guild_ready_timeout = guild_ready_timeout
        if fast_reidentify:
            bot.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]
        _install_loopback_guard(bot)
        running._start_capture()
        running.task = asyncio.create_task(bot.start(token or fake.token or "fake-token"), name="fake-discord-bot")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ready_timeout
        while not bot.is_ready():
            if running.task.done():
                exc = running.task.exception()
                raise RuntimeError(f"bot stopped before becoming ready: {exc!r}") from exc
            if loop.time() > deadline:
                raise AssertionError(f"bot not ready after {ready_timeout}s; requests: {fake.rest.requests}")
            await asyncio.sleep(0.01)
    except BaseException:
        await running.stop()
        raise
    return running


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces Client.before_identify_hook (which sleeps 5 s on re-IDENTIFY)."""


_patch_state: dict[str, Any] = {"count": 0}


def _patch_endpoints(fake: FakeDiscord) -> None:
    if _patch_state["count"] == 0:
        _patch_state["saved"] = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    elif discord.http.Route.BASE != fake.api_base:
        raise RuntimeError("another FakeDiscord is already patched into discord.py")
    _patch_state["count"] += 1
    discord.http.Route.BASE = fake.api_base
    # discord.py 2.7 keeps DEFAULT_GATEWAY as a yarl.URL and calls .with_query() on it.
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)


def _unpatch_endpoints() -> None:
    _patch_state["count"] -= 1
    if _patch_state["count"] == 0:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = _patch_state.pop("saved")


def _is_loopback(host: str | None) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _install_loopback_guard(bot: discord.Client) -> None:
    """Make every HTTP/websocket request of the bot's session fail unless it goes to loopback."""

    async def guard(session: Any, ctx: Any, params: aiohttp.TraceRequestStartParams) -> None:
        if not _is_loopback(params.url.host):
            raise RuntimeError(f"test bot tried to reach a non-loopback address: {params.url}")

    trace = bot.http.http_trace
    if trace is None:
        trace = bot.http.http_trace = aiohttp.TraceConfig()
    if guard not in trace.on_request_start:
        trace.on_request_start.append(guard)


class _ErrorCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


TEARDOWN_SECONDS = 30.0


async def bounded(awaitable, what: str, seconds: float = TEARDOWN_SECONDS):
    """``awaitable`` within ``seconds``, or a failure that says what hung and where every task
    was: a teardown that never ends would hold CI to its time limit (one did, rarely, after
    two gateway closes and a reload; not reproduced since)."""
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if done:
        return task.result()
    where = pending_tasks()   # before the cancel: the hung step's own stack is among them
    task.cancel()
    raise AssertionError(f"{what} did not finish in {seconds:.0f} s; tasks:\n{where}")


def pending_tasks() -> str:
    lines = []
    for task in asyncio.all_tasks():
        lines.append(f"- {task.get_name()}: {task.get_coro()!r}")
        lines += [f"    {f.f_code.co_filename}:{f.f_lineno} {f.f_code.co_name}" for f in task.get_stack(limit=12)]
    return "\n".join(lines)


@dataclass
class RunningBot:
    """A bot started against the fake. ``errors`` are ERROR log records from
    discord.py's loggers (e.g. "Ignoring exception in command ...")."""

    bot: discord.Client
    fake: FakeDiscord
    task: asyncio.Task[None] | None = None
    _capture: _ErrorCapture = field(default_factory=_ErrorCapture)
    _stopped: bool = False

    @property
    def errors(self) -> list[logging.LogRecord]:
        return self._capture.records

    def _start_capture(self) -> None:
        logging.getLogger("discord").addHandler(self._capture)

    async def stop(self) -> BaseException | None:
        """Close the bot; returns the exception ``bot.start`` ended with, if any."""
        if self._stopped:
            return None
        self._stopped = True
        exc: BaseException | None = None
        try:
            if not self.bot.is_closed():
                await bounded(self.bot.close(), "bot.close()")
            if self.task is not None:
                try:
                    await asyncio.wait_for(self.task, 10)
                except asyncio.CancelledError:
                    pass
                except Exception as e:  # e.g. ConnectionClosed after a fatal close code
                    exc = e
        finally:
            logging.getLogger("discord").removeHandler(self._capture)
            _unpatch_endpoints()
        return exc
