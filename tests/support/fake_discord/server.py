"""A fake Discord that the *real* discord.py client connects to (end-to-end tests).

``FakeDiscord`` is an aiohttp server on 127.0.0.1 (random port) serving

* the gateway websocket at ``/`` (resume URL ``/resume``) -- see ``fake_gateway.py``
* the REST API under ``/api/v10`` -- see ``fake_rest.py``

and a test-side API to play the Discord users: send slash commands,
autocomplete, button clicks, select choices, modal submits and messages as real
``INTERACTION_CREATE`` / ``MESSAGE_CREATE`` dispatches, then wait for and
inspect what the bot sent back.  ``run_bot``/``start_bot`` point a
``discord.Client``/``commands.Bot`` at the fake (``Route.BASE`` and
``DiscordWebSocket.DEFAULT_GATEWAY``, restored afterwards) and refuse any
non-loopback connection.

The default world (attributes of the fake): ``bot_user`` (application id ==
bot user id), ``guild`` "Test Guild" with text channel ``channel`` (#general),
roles @everyone and ``moderators_role`` ("Moderators": Manage Server + Manage
Messages), members ``member`` (ordinary), ``moderator`` and ``owner`` (guild
owner), plus the bot.  More guilds: ``add_guild``; DMs: ``dm_channel(user)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import discord
from aiohttp import web

from tests.support.fake_discord.events import _DEFAULT, CommandNotAvailable, EventSender, UserLike, _id
from tests.support.fake_discord.gateway import FakeGateway
from tests.support.fake_discord.payloads import (
    DM,
    FLAG_LOADING,
    KICK_MEMBERS,
    MANAGE_GUILD,
    MANAGE_MESSAGES,
    PUBLIC_THREAD,
    Channel,
    Guild,
    Member,
    Role,
    User,
    application_payload,
    make_guild,
    snowflake,
    snowflake_on_shard,
)
from tests.support.fake_discord.records import Callback, FaultRule, InteractionRecord, RecordedRequest, StoredMessage
from tests.support.fake_discord.rest import FakeRest
from tests.support.fake_discord.runner import RunningBot, bounded, start_bot

__all__ = ["FakeDiscord", "RunningBot", "CommandNotAvailable", "InteractionRecord", "StoredMessage", "Callback"]


class FakeDiscord(EventSender):
    """The fake Discord server, its world and the test-side API (see module docstring)."""

    def __init__(self, *, heartbeat_interval: float = 41.25, token: str | None = "fake-token") -> None:
        #: Token the bot must log in with (None: accept any).
        self.token = token
        #: The shard count GET /gateway/bot recommends (a bot with shard_count=None uses it).
        self.recommended_shards = 1
        #: The fixture fails the test if the bot hit a route the fake lacks, unless this is set.
        self.allow_unknown_routes = False
        self.bot_user = User.new("FakeBot", bot=True)
        self.application_id = self.bot_user.id
        self.app_owner = User.new("app-owner")
        self.owner = User.new("guild-owner")
        self.member = User.new("alice")
        self.moderator = User.new("moderator")
        self.moderators_role = Role(snowflake(), "Moderators", MANAGE_GUILD | MANAGE_MESSAGES | KICK_MEMBERS, position=1)
        self.guild = make_guild(
            "Test Guild",
            owner=self.owner,
            bot_user=self.bot_user,
            members=[Member(self.member), Member(self.moderator, roles=[self.moderators_role.id])],
            extra_roles=[self.moderators_role],
        )
        self.channel = self.guild.text_channel
        self.guilds: list[Guild] = [self.guild]
        self.dm_channels: dict[int, Channel] = {}  # user id -> DM channel
        self.users: dict[int, User] = {}  # extra users known to the fake (DMs, option values)
        #: Every MESSAGE_CREATE the test dispatched (as dispatched).
        self.user_messages: list[dict[str, Any]] = []
        self.gateway = FakeGateway(self, heartbeat_interval=heartbeat_interval)
        self.rest = FakeRest(self)
        self._waiters: list[asyncio.Future] = []
        self._consumed: set = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        #: Files the CDN route serves: attachment id -> (content type, bytes).
        self.cdn: dict[int, tuple] = {}

    # ================================================================== server lifecycle
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/resume", self.gateway.handle)
        app.router.add_get("/attachments/{id}/{name}", self._serve_attachment)  # the CDN
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)  # /api/v10/... and loud 404s
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    def add_attachment(self, filename: str, data: bytes, content_type: str = "text/plain; charset=utf-8",
                       size: int | None = None) -> dict[str, Any]:
        """A file a user uploads: its attachment payload (pass it as a slash-command option value);
        the CDN route serves its bytes. ``size`` overrides the size Discord declares."""
        att_id = snowflake()
        self.cdn[att_id] = (content_type, data)
        url = f"{self.http_url}/attachments/{att_id}/{filename}"
        return {"id": str(att_id), "filename": filename, "size": len(data) if size is None else size,
                "url": url, "proxy_url": url, "content_type": content_type}

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        found = self.cdn.get(int(request.match_info["id"])) if request.match_info["id"].isdigit() else None
        if found is None:
            return web.Response(status=404, text="no such attachment")
        return web.Response(body=found[1], headers={"Content-Type": found[0]})

    async def stop(self) -> None:
        await bounded(self.gateway.shutdown(), "the fake gateway's shutdown")
        if self._runner is not None:
            await bounded(self._runner.cleanup(), "the fake Discord's HTTP cleanup")
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"{self.http_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/resume"

    # ================================================================== the world
    def application_payload(self) -> dict[str, Any]:
        return application_payload(self.application_id, self.bot_user, self.app_owner)

    def add_guild(self, name: str, *, members: Sequence[UserLike] = (), owner: User | None = None,
                  channel_names: Sequence[str] = ("general",), roles: Sequence[Role] = (),
                  shard: tuple[int, int] | None = None) -> Guild:
        """Add a guild the bot is in. Call before the bot connects (it is sent in
        READY/GUILD_CREATE), or ``await fake.dispatch("GUILD_CREATE", ...)`` after.
        ``shard=(shard_id, shard_count)`` picks an id whose events that shard receives."""
        guild = make_guild(
            name,
            guild_id=snowflake_on_shard(*shard) if shard else None,
            owner=owner or User.new(f"{name}-owner"),
            bot_user=self.bot_user,
            members=[m if isinstance(m, Member) else Member(m) for m in members],
            extra_roles=roles,
            channel_names=channel_names,
        )
        self.guilds.append(guild)
        return guild

    def add_member(self, user: User, *, guild: Any = _DEFAULT, roles: Sequence[Any] = ()) -> Member:
        """Make ``user`` a member of ``guild`` (default guild) with role ids/Role objects."""
        g = self._guild(guild)
        member = Member(user, roles=[_id(r) for r in roles])  # type: ignore[misc]
        g.members = [m for m in g.members if m.id != user.id] + [member]
        return member

    def add_thread(self, name: str, parent: Channel | None = None, *, thread_id: int | None = None,
                   owner: User | None = None) -> Channel:
        """A public thread in ``parent`` (default ``channel``). Threads made before the bot
        connects are in GUILD_CREATE; after, ``await fake.dispatch("THREAD_CREATE", t.payload())``."""
        parent = parent or self.channel
        thread = Channel(id=thread_id or snowflake(), name=name, type=PUBLIC_THREAD, guild_id=parent.guild_id,
                         parent_id=parent.id, owner_id=(owner or self.member).id)
        self.get_guild(parent.guild_id).channels.append(thread)  # type: ignore[arg-type]
        return thread

    def find_guild(self, guild_id: int) -> Guild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def get_guild(self, guild_id: int) -> Guild:
        guild = self.find_guild(guild_id)
        if guild is None:
            raise KeyError(f"fake discord has no guild {guild_id}")
        return guild

    def find_channel(self, channel_id: int) -> Channel | None:
        for guild in self.guilds:
            for ch in guild.channels:
                if ch.id == channel_id:
                    return ch
        return next((c for c in self.dm_channels.values() if c.id == channel_id), None)

    def find_user(self, user_id: int) -> User | None:
        if user_id == self.bot_user.id:
            return self.bot_user
        for guild in self.guilds:
            member = guild.get_member(user_id)
            if member is not None:
                return member.user
        return self.users.get(user_id) or next((u for u in (self.app_owner,) if u.id == user_id), None)

    def dm_channel(self, user: UserLike) -> Channel:
        """The DM channel between ``user`` and the bot (created on first use)."""
        u = user.user if isinstance(user, Member) else user
        self.users.setdefault(u.id, u)
        if u.id not in self.dm_channels:
            self.dm_channels[u.id] = Channel(id=snowflake(), type=DM, recipient=u)
        return self.dm_channels[u.id]

    def _guild(self, guild: Any) -> Guild:
        return self.guild if guild is _DEFAULT else (guild if isinstance(guild, Guild) else self.get_guild(int(guild)))

    def _member(self, guild: Guild, user: UserLike, roles: Sequence[Any] | None) -> Member:
        if isinstance(user, Member):
            member = user
        else:
            member = guild.get_member(user.id) or Member(user)
        if roles is not None:
            member = Member(member.user, roles=[_id(r) for r in roles], nick=member.nick, joined_at=member.joined_at)  # type: ignore[misc]
        return member

    # ================================================================== waiting
    def _notify(self) -> None:
        """Wake every ``wait_for`` (called on any state change)."""
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, *, what: str = "condition") -> Any:
        """Wait until ``predicate()`` is truthy and return its value.

        Fails with an AssertionError listing the last requests on timeout.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(f"{r.method} {r.path} -> {r.status} {r.json!r:.200}" for r in self.rest.requests[-10:])
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; last requests:\n  {recent}")
            fut = loop.create_future()
            self._waiters.append(fut)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(fut, min(remaining, 0.05))  # also poll: predicates may read bot state

    def _ix(self, ix: InteractionRecord | int) -> InteractionRecord:
        return ix if isinstance(ix, InteractionRecord) else self.rest.interactions[int(ix)]

    async def wait_for_interaction_response(self, ix: InteractionRecord | int, timeout: float = 5.0) -> Callback:
        """The interaction callback (``.type``, ``.data``) once the bot acknowledged."""
        rec = self._ix(ix)
        return await self.wait_for(lambda: rec.response, timeout, what=f"a callback for interaction {rec.id}")

    async def wait_for_followup(self, ix: InteractionRecord | int, index: int = 0, timeout: float = 5.0) -> StoredMessage:
        """The ``index``-th follow-up message (after a defer, #0 is also the @original)."""
        rec = self._ix(ix)
        return await self.wait_for(lambda: len(rec.followups) > index and rec.followups[index], timeout,
                                   what=f"follow-up #{index} of interaction {rec.id}")

    async def wait_for_original(self, ix: InteractionRecord | int, predicate: Callable[[StoredMessage], bool] | None = None,
                                timeout: float = 5.0) -> StoredMessage:
        """The @original response once it is no longer "thinking" (and matches ``predicate``)."""
        rec = self._ix(ix)

        def ready() -> StoredMessage | None:
            msg = rec.original
            if msg is None or msg.flags & FLAG_LOADING:
                return None
            return msg if predicate is None or predicate(msg) else None

        return await self.wait_for(ready, timeout, what=f"the original response of interaction {rec.id}")

    def original(self, ix: InteractionRecord | int) -> StoredMessage | None:
        return self._ix(ix).original

    def followups(self, ix: InteractionRecord | int) -> list[StoredMessage]:
        return list(self._ix(ix).followups)

    async def wait_for_channel_message(self, channel_id: Any = None, timeout: float = 5.0,
                                       predicate: Callable[[StoredMessage], bool] | None = None) -> StoredMessage:
        """Next bot message POSTed to a channel (default: any channel) not yet
        returned by an earlier call. Interaction responses are not included."""
        cid = None if channel_id is None else str(_id(channel_id))

        def find() -> StoredMessage | None:
            for msg in self.rest.channel_posts:
                if msg.id in self._consumed or (cid is not None and msg["channel_id"] != cid):
                    continue
                if predicate is None or predicate(msg):
                    self._consumed.add(msg.id)
                    return msg
            return None

        return await self.wait_for(find, timeout, what=f"a bot message in channel {cid or '(any)'}")

    def channel_messages(self, channel_id: Any) -> list[StoredMessage]:
        """All bot messages POSTed to the channel so far."""
        cid = str(_id(channel_id))
        return [m for m in self.rest.channel_posts if m["channel_id"] == cid]

    async def wait_for_request(self, method: str, path_regex: str, timeout: float = 5.0,
                               predicate: Callable[[RecordedRequest], bool] | None = None) -> RecordedRequest:
        """First recorded request matching (answered or not)."""
        pattern = re.compile(path_regex)

        def find() -> RecordedRequest | None:
            return next((r for r in self.requests_matching(method, pattern) if predicate is None or predicate(r)), None)

        return await self.wait_for(find, timeout, what=f"request {method} {path_regex}")

    def requests_matching(self, method: str | None, path_regex: str | re.Pattern[str]) -> list[RecordedRequest]:
        pattern = re.compile(path_regex) if isinstance(path_regex, str) else path_regex
        return [r for r in self.rest.requests if method in (None, "*", r.method) and pattern.search(r.path)]

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.rest.requests

    # ================================================================== faults and gateway control
    def fail_next(self, method: str | None, path_regex: str, status: int = 429, *, retry_after: float | None = None,
                  times: int = 1, global_: bool = False, body: dict[str, Any] | None = None) -> FaultRule:
        """Answer the next ``times`` matching requests with ``status`` (429 with
        ``retry_after`` seconds and discord.py-compatible headers, or 5xx, ...).
        ``path_regex`` is searched in the API-relative path, e.g. ``r"^/webhooks/"``."""
        rule = FaultRule(method, re.compile(path_regex), status, retry_after, times, global_, body)
        self.rest.faults.append(rule)
        return rule

    async def close_gateway(self, code: int = 4000, *, reason: str = "", invalidate: bool | None = None) -> None:
        """Close the bot's gateway connection (see ``FakeGateway.close``)."""
        await self.gateway.close(code, reason=reason, invalidate=invalidate)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send any gateway dispatch (op 0) to the bot; returns the sequence number."""
        return await self.gateway.dispatch(event, data)

    # ================================================================== running a bot
    @contextlib.asynccontextmanager
    async def run_bot(self, bot: discord.Client, **kwargs: Any) -> AsyncIterator[RunningBot]:
        """``async with fake.run_bot(bot) as running:`` -- start, wait ready, close."""
        running = await self.start_bot(bot, **kwargs)
        try:
            yield running
        finally:
            await running.stop()

    async def start_bot(self, bot: discord.Client, **kwargs: Any) -> RunningBot:
        """Start ``bot`` against this fake and wait until ready (see ``fake_runner.start_bot``)."""
        return await start_bot(self, bot, **kwargs)
