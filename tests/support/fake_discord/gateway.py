"""The gateway (websocket) half of the fake Discord.

Speaks Discord gateway v10 with plain JSON *text* frames.  discord.py 2.7 asks
for ``compress=zlib-stream`` in the URL query and sets ``"compress": true`` in
IDENTIFY; both are accepted and ignored: ``DiscordWebSocket.received_message``
only runs the zlib decompressor on ``bytes`` frames, so uncompressed text frames
are parsed as-is.

Protocol implemented (https://discord.com/developers/docs/events/gateway):

* on connect -> HELLO (op 10) with ``heartbeat_interval``
* HEARTBEAT (op 1) -> HEARTBEAT_ACK (op 11); every beat is timestamped
* IDENTIFY (op 2) -> READY then one GUILD_CREATE per guild (op 0, seq 1..n);
  a wrong token closes with 4004
* RESUME (op 6) -> replay of missed dispatches, then RESUMED; an unknown or
  invalidated session gets INVALID_SESSION (op 9, d=false)
* REQUEST_GUILD_MEMBERS (op 8) -> one GUILD_MEMBERS_CHUNK
* dispatches sent while the bot is disconnected are kept and replayed on
  RESUME, like Discord does, so a test may fire events right after a close.
* sharding, as Discord does it: an IDENTIFY with ``"shard": [shard_id,
  shard_count]`` gets READY and GUILD_CREATE for the guilds of that shard only
  (``(guild_id >> 22) % shard_count``); every dispatch with a guild goes to the
  connection of its guild's shard, and a dispatch without one (DMs) to shard 0.
  Several connections (one per shard, from one process or several) at once;
  ``current`` stays the last session identified, for unsharded tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.support.fake_discord.payloads import INTENT_GUILD_MEMBERS

if TYPE_CHECKING:  # pragma: no cover
    from tests.support.fake_discord.server import FakeDiscord

log = logging.getLogger("fake_discord.gateway")

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

#: Close codes after which Discord will not accept a RESUME of the session.
NON_RESUMABLE_CODES = frozenset({4007, 4009})


@dataclass
class GatewaySession:
    """One IDENTIFY'd session; survives reconnects until invalidated."""

    session_id: str
    intents: int
    identify: dict[str, Any]
    seq: int = 0
    frames: list[dict[str, Any]] = field(default_factory=list)  # sent dispatches, for replay
    ws: web.WebSocketResponse | None = None
    invalidated: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def has_intent(self, bit: int) -> bool:
        return bool(self.intents & bit)

    @property
    def shard(self) -> tuple[int, int] | None:
        """(shard_id, shard_count) from IDENTIFY, None for an unsharded connection."""
        value = self.identify.get("shard")
        return (int(value[0]), int(value[1])) if value else None


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard Discord sends a guild's events on; events without a guild (DMs) go to shard 0."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


@dataclass
class GatewayConnection:
    """Record of one websocket connection (tests inspect ``fake.gateway.connections``)."""

    path: str
    query: dict[str, str]
    opened_at: float
    ws: web.WebSocketResponse
    transport: Any
    closed_at: float | None = None
    close_code: int | None = None  # the code the *client* closed with, if any
    server_close_code: int | None = None  # set by close_gateway()
    session_id: str | None = None
    received: list[dict[str, Any]] = field(default_factory=list)  # every frame the client sent


@dataclass
class Heartbeat:
    at: float  # time.monotonic()
    seq: int | None


class FakeGateway:
    """Websocket endpoint plus the session bookkeeping tests assert on."""

    def __init__(self, fake: FakeDiscord, *, heartbeat_interval: float) -> None:
        self.fake = fake
        #: Seconds; read at each HELLO, so changing it affects the next connection.
        self.heartbeat_interval = heartbeat_interval
        #: Set False to simulate a zombied connection (discord.py then reconnects).
        self.ack_heartbeats = True
        self.connections: list[GatewayConnection] = []
        self.sessions: dict[str, GatewaySession] = {}
        self.current: GatewaySession | None = None
        self.heartbeats: list[Heartbeat] = []
        self.identify_payloads: list[dict[str, Any]] = []
        self.resume_payloads: list[dict[str, Any]] = []
        self.resumed_count = 0  # successful RESUMEs
        self.presence_updates: list[dict[str, Any]] = []
        #: Sharded sessions: shard id -> the latest session IDENTIFY'd for it.
        self.shards: dict[int, GatewaySession] = {}

    # ------------------------------------------------------------------ counters
    @property
    def identify_count(self) -> int:
        return len(self.identify_payloads)

    @property
    def resume_count(self) -> int:
        """RESUME attempts (successful or not); see ``resumed_count``."""
        return len(self.resume_payloads)

    @property
    def heartbeat_times(self) -> list[float]:
        return [hb.at for hb in self.heartbeats]

    @property
    def heartbeat_gaps(self) -> list[float]:
        """Seconds between consecutive heartbeats; a gap much larger than the
        interval means the bot's event loop was blocked."""
        times = self.heartbeat_times
        return [b - a for a, b in itertools.pairwise(times)]

    @property
    def connected(self) -> bool:
        return self.current is not None and self.current.ws is not None and not self.current.ws.closed

    # ------------------------------------------------------------------ websocket handler
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = GatewayConnection(
            path=request.path,
            query=dict(request.query),
            opened_at=time.monotonic(),
            ws=ws,
            transport=request.transport,
        )
        self.connections.append(conn)
        log.debug("gateway connection %s %s", request.path, dict(request.query))
        session: GatewaySession | None = None
        try:
            await self._send(ws, {"op": OP_HELLO, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}})
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    payload = json.loads(msg.data)
                elif msg.type == WSMsgType.BINARY:  # discord.py never sends these with encoding=json
                    payload = json.loads(msg.data.decode())
                else:
                    break
                conn.received.append(payload)
                op, data = payload.get("op"), payload.get("d")
                if op == OP_HEARTBEAT:
                    self.heartbeats.append(Heartbeat(time.monotonic(), data))
                    if self.ack_heartbeats:
                        await self._send(ws, {"op": OP_HEARTBEAT_ACK})
                elif op == OP_IDENTIFY:
                    session = await self._identify(ws, conn, data)
                elif op == OP_RESUME:
                    session = await self._resume(ws, conn, data)
                elif op == OP_REQUEST_MEMBERS:
                    await self._request_members(session, data)
                elif op == OP_PRESENCE:
                    self.presence_updates.append(data)
                else:
                    log.warning("fake gateway: unhandled op %s: %r", op, payload)
                self.fake._notify()
        finally:
            conn.closed_at = time.monotonic()
            conn.close_code = ws.close_code
            if session is not None and session.ws is ws:
                session.ws = None
            self.fake._notify()
        return ws

    async def _send(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> bool:
        if ws.closed:
            return False
        try:
            await ws.send_str(json.dumps(payload))
            return True
        except (ConnectionError, RuntimeError) as exc:  # closing underneath us; replayed on RESUME
            log.debug("fake gateway: send failed: %s", exc)
            return False

    async def _identify(self, ws: web.WebSocketResponse, conn: GatewayConnection, data: dict[str, Any]) -> GatewaySession | None:
        self.identify_payloads.append(data)
        if self.fake.token is not None and data.get("token") != self.fake.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        session = GatewaySession(session_id=secrets.token_hex(16), intents=int(data.get("intents", 0)), identify=data)
        self.sessions[session.session_id] = session
        self.current = session
        if session.shard is not None:
            self.shards[session.shard[0]] = session
        guilds = [g for g in self.fake.guilds
                  if session.shard is None or shard_of(g.id, session.shard[1]) == session.shard[0]]
        conn.session_id = session.session_id
        session.ws = ws
        ready = {
            "v": 10,
            "user": {**self.fake.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.fake.resume_gateway_url,
            "application": {"id": str(self.fake.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready, session=session)
        for guild in guilds:
            await self.dispatch("GUILD_CREATE", self.guild_create_payload(guild, session), session=session)
        return session

    def guild_create_payload(self, guild: Any, session: GatewaySession) -> dict[str, Any]:
        # Without the GUILD_MEMBERS intent Discord only sends the bot's own member.
        if session.has_intent(INTENT_GUILD_MEMBERS):
            return guild.payload()
        return guild.payload(member_ids=[self.fake.bot_user.id])

    async def _resume(self, ws: web.WebSocketResponse, conn: GatewayConnection, data: dict[str, Any]) -> GatewaySession | None:
        self.resume_payloads.append(data)
        session = self.sessions.get(data.get("session_id"))
        if session is None or session.invalidated or data.get("token") != (self.fake.token or data.get("token")):
            await self._send(ws, {"op": OP_INVALID_SESSION, "d": False})
            return None
        conn.session_id = session.session_id
        last_seq = data.get("seq") or 0
        async with session.lock:
            session.ws = ws
            self.current = session
            if session.shard is not None:
                self.shards[session.shard[0]] = session
            for frame in session.frames:
                if frame["s"] > last_seq:
                    await self._send(ws, frame)
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]}, session=session)
        self.resumed_count += 1
        return session

    async def _request_members(self, session: GatewaySession | None, data: dict[str, Any]) -> None:
        guild = self.fake.get_guild(int(data["guild_id"]))
        query = (data.get("query") or "").lower()
        user_ids = {int(u) for u in (data.get("user_ids") or [])}
        members = [
            m for m in guild.members
            if (not user_ids or m.id in user_ids) and m.user.username.lower().startswith(query)
        ]
        limit = data.get("limit") or 0
        if limit:
            members = members[:limit]
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk, session=session)

    # ------------------------------------------------------------------ test-side API
    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        """The session Discord would send this guild's events (None: a DM's) on: the connection of
        the guild's shard when bots connected sharded, else the current session."""
        if not self.shards:
            return self.current
        count = next(iter(self.shards.values())).shard[1]  # type: ignore[index]
        shard = shard_of(guild_id, count)
        if shard not in self.shards:
            raise RuntimeError(f"no bot connection runs shard {shard} of {count} (guild {guild_id}); "
                               f"connected shards: {sorted(self.shards)}")
        return self.shards[shard]

    @staticmethod
    def _guild_of(event: str, data: dict[str, Any]) -> int | None:
        if data.get("guild_id"):
            return int(data["guild_id"])
        if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE") and data.get("id"):
            return int(data["id"])
        return None

    async def dispatch(self, event: str, data: dict[str, Any], *, session: GatewaySession | None = None) -> int:
        """Send an op-0 dispatch; returns its sequence number.

        Without ``session``, it goes where Discord would send it (``session_for`` its guild).
        If the bot is disconnected the event is kept and replayed on RESUME.
        """
        session = session or self.session_for(self._guild_of(event, data))
        if session is None:
            raise RuntimeError(f"cannot dispatch {event}: no bot has IDENTIFY'd with the fake gateway")
        async with session.lock:
            session.seq += 1
            frame = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}
            session.frames.append(frame)
            if session.ws is not None:
                await self._send(session.ws, frame)
            return session.seq

    async def close(self, code: int = 4000, *, reason: str = "", invalidate: bool | None = None,
                    shard: int | None = None) -> None:
        """Close the current gateway connection (or ``shard``'s) from the server side.

        * ``code=1006`` drops the TCP connection without a close frame.
        * ``invalidate`` (default: True for 4007/4009) makes the next RESUME
          fail with INVALID_SESSION so the bot re-IDENTIFYs.
        * 4004 (auth failed), 4010-4014 are fatal for discord.py: ``bot.start``
          raises ``discord.ConnectionClosed`` / ``PrivilegedIntentsRequired``.
        """
        session = self.current if shard is None else self.shards.get(shard)
        if session is None or session.ws is None:
            raise RuntimeError("no open gateway connection to close")
        ws = session.ws
        if invalidate is None:
            invalidate = code in NON_RESUMABLE_CODES
        async with session.lock:
            session.ws = None  # events from now on are queued for the RESUME
            session.invalidated = session.invalidated or invalidate
        conn = next(c for c in reversed(self.connections) if c.ws is ws)
        conn.server_close_code = code
        if code == 1006:
            conn.transport.abort()
        else:
            await ws.close(code=code, message=reason.encode())

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py closes and RESUMEs."""
        session = self.current
        if session is None or session.ws is None:
            raise RuntimeError("no open gateway connection")
        await self._send(session.ws, {"op": OP_RECONNECT, "d": None})

    async def send_invalid_session(self, resumable: bool = False) -> None:
        """Send op 9; with ``resumable=False`` the bot re-IDENTIFYs."""
        session = self.current
        if session is None or session.ws is None:
            raise RuntimeError("no open gateway connection")
        if not resumable:
            session.invalidated = True
        await self._send(session.ws, {"op": OP_INVALID_SESSION, "d": resumable})

    async def shutdown(self) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001, message=b"fake discord shutting down")
