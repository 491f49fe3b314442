"""Records of what the bot did, as the fake Discord stores them, plus JSON helpers.

* :class:`RecordedRequest` -- every REST request (``fake.requests``)
* :class:`StoredMessage` -- a message object (a ``dict``) with the request bodies
  that created/edited it
* :class:`InteractionRecord` / :class:`Callback` -- an interaction a test sent
  and the bot's callback, @original and follow-ups
* :class:`FaultRule` -- an injected failure (``fake.fail_next``)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from re import Pattern
from typing import Any

from aiohttp import web

from tests.support.fake_discord.payloads import FLAG_EPHEMERAL

# Interaction callback types.
CB_PONG = 1
CB_CHANNEL_MESSAGE = 4
CB_DEFERRED_CHANNEL_MESSAGE = 5
CB_DEFERRED_UPDATE_MESSAGE = 6
CB_UPDATE_MESSAGE = 7
CB_AUTOCOMPLETE_RESULT = 8
CB_MODAL = 9

# Message types.
MSG_DEFAULT = 0
MSG_REPLY = 19
MSG_CHAT_INPUT_COMMAND = 20


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON response with the content type *exactly* ``application/json``."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(status: int, message: str, code: int = 0) -> web.Response:
    return json_response({"message": message, "code": code}, status=status)


def no_content() -> web.Response:
    return web.Response(status=204)


# ---------------------------------------------------------------------------- records

@dataclass
class UploadedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    method: str
    path: str  # relative to /api/v10, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body (payload_json for multipart), None if no body
    files: list[UploadedFile]
    headers: dict[str, str]
    at: float  # time.monotonic()
    status: int | None = None  # filled in once answered

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


class StoredMessage(dict):
    """A message object exactly as the fake returns it to discord.py.

    It is a plain ``dict`` (the Discord JSON) plus ``bodies``: the JSON bodies
    of the requests that created and then edited it (``body`` is the last), so
    tests can assert on request-only keys like ``allowed_mentions``.
    """

    def __init__(self, data: dict[str, Any], body: dict[str, Any] | None = None) -> None:
        super().__init__(data)
        self.bodies: list[dict[str, Any]] = [body] if body is not None else []
        self.deleted = False

    @property
    def body(self) -> dict[str, Any]:
        return self.bodies[-1] if self.bodies else {}

    @property
    def id(self) -> int:
        return int(self["id"])

    @property
    def content(self) -> str:
        return self.get("content", "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.get("embeds", [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.get("components", [])

    @property
    def flags(self) -> int:
        return self.get("flags", 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)


@dataclass
class Callback:
    type: int
    data: dict[str, Any]
    at: float


@dataclass
class InteractionRecord:
    """One interaction the test sent, and everything the bot did with it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]  # the INTERACTION_CREATE data dispatched
    created_at: float
    callbacks: list[Callback] = field(default_factory=list)
    original: StoredMessage | None = None
    followups: list[StoredMessage] = field(default_factory=list)

    @property
    def response(self) -> Callback | None:
        """The (first and only valid) interaction callback, or None yet."""
        return self.callbacks[0] if self.callbacks else None

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def guild_id(self) -> int | None:
        gid = self.payload.get("guild_id")
        return int(gid) if gid else None


@dataclass
class FaultRule:
    method: str | None
    path: Pattern[str]
    status: int
    retry_after: float | None
    times: int
    global_: bool
    body: dict[str, Any] | None
    hits: int = 0
