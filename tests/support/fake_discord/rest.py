"""The REST half of the fake Discord: routes under ``/api/v10`` (``Route.BASE``).

Every request is recorded as a :class:`RecordedRequest` (method, API-relative
path, query, parsed JSON body -- for multipart requests the ``payload_json``
part -- and uploaded files).  Unknown routes answer 404 JSON, are logged at
ERROR level and collected in ``FakeRest.unknown_requests``; the
``fake_discord`` fixture fails the test if any were hit, so a route discord.py
starts using after an upgrade cannot go unnoticed.

Responses use the content type exactly ``application/json``: discord.py's
``json_or_text`` compares the header with ``==``, so aiohttp's default
``application/json; charset=utf-8`` would hand the library a *string*.

Message, interaction-callback and webhook routes live in ``fake_messages.py``;
the record types in ``fake_records.py``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from re import Pattern
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.support.fake_discord.messages import MessageRoutes
from tests.support.fake_discord.payloads import snowflake
from tests.support.fake_discord.records import (
    FaultRule,
    InteractionRecord,
    RecordedRequest,
    StoredMessage,
    UploadedFile,
    error_response,
    json_response,
    no_content,
)

if TYPE_CHECKING:  # pragma: no cover
    from tests.support.fake_discord.server import FakeDiscord

log = logging.getLogger("fake_discord.rest")

API_PREFIX = "/api/v10"

Handler = Callable[[RecordedRequest, "re.Match[str]"], Awaitable[web.Response]]

# ---------------------------------------------------------------------------- the REST app

class FakeRest(MessageRoutes):
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.requests: list[RecordedRequest] = []
        self.unknown_requests: list[RecordedRequest] = []
        self.handler_errors: list[tuple[RecordedRequest, Exception]] = []  # bugs in the fake
        self.faults: list[FaultRule] = []
        #: Seconds the bot has to answer an interaction (None: no limit).
        self.ack_timeout: float | None = 3.0
        self.messages: dict[int, StoredMessage] = {}  # every message the fake knows, by id
        self.channel_posts: list[StoredMessage] = []  # POST /channels/{id}/messages, in order
        self.deleted_messages: list[StoredMessage] = []
        self.reactions: list[tuple[int, int, str]] = []  # (channel_id, message_id, emoji) added by the bot
        self.typing: list[int] = []  # channel ids
        self.interactions: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self._routes: list[tuple[str, Pattern[str], Handler]] = []
        self._install_routes()

    # ------------------------------------------------------------------ routing
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Add (or override, routes added later win) a route; pattern is a regex on the API path."""
        self._routes.insert(0, (method, re.compile(f"^{pattern}$"), handler))

    def _install_routes(self) -> None:
        app = r"(?P<app>\d+)"
        guild = r"(?P<guild>\d+)"
        chan = r"/channels/(?P<channel>\d+)"
        msg = r"(?P<message>\d+)"
        wh = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        for method, pattern, handler in [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/users/(?P<user>\d+)", self._get_user),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway),
            # application commands
            ("GET", rf"/applications/{app}/commands", self._list_commands),
            ("PUT", rf"/applications/{app}/commands", self._bulk_commands),
            ("POST", rf"/applications/{app}/commands", self._upsert_command),
            ("GET", rf"/applications/{app}/commands/(?P<cmd>\d+)", self._get_command),
            ("PATCH", rf"/applications/{app}/commands/(?P<cmd>\d+)", self._edit_command),
            ("DELETE", rf"/applications/{app}/commands/(?P<cmd>\d+)", self._delete_command),
            ("GET", rf"/applications/{app}/guilds/{guild}/commands", self._list_commands),
            ("PUT", rf"/applications/{app}/guilds/{guild}/commands", self._bulk_commands),
            ("POST", rf"/applications/{app}/guilds/{guild}/commands", self._upsert_command),
            ("GET", rf"/applications/{app}/guilds/{guild}/commands/(?P<cmd>\d+)", self._get_command),
            ("PATCH", rf"/applications/{app}/guilds/{guild}/commands/(?P<cmd>\d+)", self._edit_command),
            ("DELETE", rf"/applications/{app}/guilds/{guild}/commands/(?P<cmd>\d+)", self._delete_command),
            # interactions
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._interaction_callback),
            ("POST", wh, self._followup),
            ("GET", rf"{wh}/messages/(?P<message>@original|\d+)", self._get_webhook_message),
            ("PATCH", rf"{wh}/messages/(?P<message>@original|\d+)", self._edit_webhook_message),
            ("DELETE", rf"{wh}/messages/(?P<message>@original|\d+)", self._delete_webhook_message),
            # channels
            ("GET", chan, self._get_channel),
            ("POST", rf"{chan}/messages", self._post_channel_message),
            ("GET", rf"{chan}/messages", self._history),
            ("GET", rf"{chan}/messages/{msg}", self._get_channel_message),
            ("PATCH", rf"{chan}/messages/{msg}", self._edit_channel_message),
            ("DELETE", rf"{chan}/messages/{msg}", self._delete_channel_message),
            ("PUT", rf"{chan}/messages/{msg}/reactions/(?P<emoji>[^/]+)/@me", self._add_reaction),
            ("DELETE", rf"{chan}/messages/{msg}/reactions/(?P<emoji>[^/]+)/@me", self._remove_reaction),
            ("POST", rf"{chan}/typing", self._typing),
            ("POST", rf"{chan}/messages/{msg}/threads", self._start_thread),
            # guilds
            ("GET", rf"/guilds/{guild}", self._get_guild),
            ("GET", rf"/guilds/{guild}/channels", self._get_guild_channels),
            ("GET", rf"/guilds/{guild}/roles", self._get_guild_roles),
            ("GET", rf"/guilds/{guild}/members/(?P<user>\d+)", self._get_member),
        ]:
            self._routes.append((method, re.compile(f"^{pattern}$"), handler))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        rec = await self._record(request)
        try:
            response = self._fault_for(rec) or await self._dispatch(rec)
        except Exception as exc:
            # A bug in the fake itself: answer 400 (a 5xx would make discord.py
            # retry for ~25 s) and let the fixture fail the test.
            log.exception("FAKE DISCORD crashed handling %s %s", rec.method, rec.path)
            self.handler_errors.append((rec, exc))
            response = error_response(400, f"fake discord crashed: {exc!r}", 0)
        rec.status = response.status
        self.fake._notify()
        return response

    async def _record(self, request: web.Request) -> RecordedRequest:
        path = request.path
        path = path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path
        body: Any = None
        files: list[UploadedFile] = []
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if hasattr(value, "file"):  # aiohttp FileField
                    files.append(UploadedFile(name, value.filename, value.content_type, value.file.read()))
                elif name == "payload_json":
                    body = json.loads(value if isinstance(value, str) else value.decode())
        else:
            raw = await request.read()
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            files=files,
            headers=dict(request.headers),
            at=time.monotonic(),
        )
        self.requests.append(rec)
        return rec

    def _fault_for(self, rec: RecordedRequest) -> web.Response | None:
        for rule in self.faults:
            if rule.hits >= rule.times:
                continue
            if rule.method not in (None, "*", rec.method) or not rule.path.search(rec.path):
                continue
            rule.hits += 1
            log.info("fake discord: injecting %s for %s %s", rule.status, rec.method, rec.path)
            if rule.status == 429:
                retry_after = 0.05 if rule.retry_after is None else rule.retry_after
                body = rule.body or {"message": "You are being rate limited.", "retry_after": retry_after, "global": rule.global_}
                headers = {
                    # discord.py treats a 429 *without* a Via header as a Cloudflare ban and raises.
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(retry_after))),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Bucket": "fake-bucket",
                    "X-RateLimit-Scope": "global" if rule.global_ else "user",
                }
                if rule.global_:
                    headers["X-RateLimit-Global"] = "true"
                return json_response(body, status=429, headers=headers)
            return json_response(rule.body or {"message": "Internal Server Error", "code": 0}, status=rule.status)
        return None

    async def _dispatch(self, rec: RecordedRequest) -> web.Response:
        for method, pattern, handler in self._routes:
            match = pattern.match(rec.path)
            if match and method == rec.method:
                return await handler(rec, match)
        self.unknown_requests.append(rec)
        log.error("FAKE DISCORD: no route for %s %s (body=%r) -- add it to tests/discord/fake_rest.py", rec.method, rec.path, rec.json)
        return error_response(404, f"Fake Discord has no route for {rec.method} {rec.path}", 0)

    # ------------------------------------------------------------------ users / app / gateway
    async def _get_me(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        if self.fake.token is not None and rec.headers.get("Authorization") != f"Bot {self.fake.token}":
            return error_response(401, "401: Unauthorized", 0)
        return json_response({**self.fake.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None})

    async def _get_user(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        user = self.fake.find_user(int(m["user"]))
        return json_response(user.payload()) if user else error_response(404, "Unknown User", 10013)

    async def _create_dm(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        user = self.fake.find_user(int(rec.json["recipient_id"]))
        if user is None:
            return error_response(400, "Invalid Recipient(s)", 50033)
        return json_response(self.fake.dm_channel(user).payload())

    async def _get_application(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response(self.fake.application_payload())

    async def _get_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        data: dict[str, Any] = {"url": self.fake.gateway_url.rstrip("/")}
        if rec.path.endswith("/bot"):
            data["shards"] = self.fake.recommended_shards
            data["session_start_limit"] = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response(data)

    # ------------------------------------------------------------------ application commands
    def _command_list(self, m: re.Match[str]) -> list[dict[str, Any]]:
        gid = m.groupdict().get("guild")
        if gid is None:
            return self.global_commands
        return self.guild_commands.setdefault(int(gid), [])

    def _stored_command(self, data: dict[str, Any], m: re.Match[str], existing: list[dict[str, Any]]) -> dict[str, Any]:
        # Discord keeps a command's id stable across re-syncs (same name and type).
        prev = next((c for c in existing if c["name"] == data["name"] and c.get("type", 1) == data.get("type", 1)), None)
        cmd = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **data,
            "id": prev["id"] if prev else str(snowflake()),
            "application_id": str(self.fake.application_id),
            "version": str(snowflake()),
        }
        if m.groupdict().get("guild"):
            cmd["guild_id"] = m["guild"]
        return cmd

    async def _list_commands(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        return json_response(self._command_list(m))

    async def _bulk_commands(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        existing = self._command_list(m)
        new = [self._stored_command(c, m, existing) for c in rec.json]
        existing[:] = new
        return json_response(new)

    async def _upsert_command(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        existing = self._command_list(m)
        cmd = self._stored_command(rec.json, m, existing)
        existing[:] = [c for c in existing if c["id"] != cmd["id"]] + [cmd]
        return json_response(cmd, status=201)

    def _find_command(self, m: re.Match[str]) -> dict[str, Any] | None:
        return next((c for c in self._command_list(m) if c["id"] == m["cmd"]), None)

    async def _get_command(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cmd = self._find_command(m)
        return json_response(cmd) if cmd else error_response(404, "Unknown application command", 10063)

    async def _edit_command(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cmd = self._find_command(m)
        if cmd is None:
            return error_response(404, "Unknown application command", 10063)
        cmd.update(rec.json or {})
        return json_response(cmd)

    async def _delete_command(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        cmds = self._command_list(m)
        cmds[:] = [c for c in cmds if c["id"] != m["cmd"]]
        return no_content()

    # ------------------------------------------------------------------ guilds
    async def _get_guild(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        guild = self.fake.find_guild(int(m["guild"]))
        if guild is None:
            return error_response(404, "Unknown Guild", 10004)
        data = guild.payload()
        for key in ("members", "channels", "threads", "presences", "voice_states", "joined_at", "large", "member_count"):
            data.pop(key, None)  # REST guild objects lack the GUILD_CREATE-only fields
        return json_response(data)

    async def _get_guild_channels(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        guild = self.fake.find_guild(int(m["guild"]))
        if guild is None:
            return error_response(404, "Unknown Guild", 10004)
        return json_response([c.payload() for c in guild.channels])

    async def _get_guild_roles(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        guild = self.fake.find_guild(int(m["guild"]))
        if guild is None:
            return error_response(404, "Unknown Guild", 10004)
        return json_response([r.payload() for r in guild.roles])

    async def _get_member(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        guild = self.fake.find_guild(int(m["guild"]))
        member = guild.get_member(int(m["user"])) if guild else None
        return json_response(member.payload()) if member else error_response(404, "Unknown Member", 10007)
