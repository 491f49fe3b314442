"""Message, interaction-callback and webhook routes of the fake REST API.

A mixin of :class:`fake_rest.FakeRest` (it uses its stores: ``messages``,
``channel_posts``, ``interactions`` ...).  Interaction semantics emulated,
because they catch real bugs:

* a callback after ``ack_timeout`` seconds (3 s like Discord) -> 404 Unknown interaction (10062)
* a second callback -> 400 "Interaction has already been acknowledged." (40060)
* follow-ups / @original before any callback -> 404 Unknown Webhook (10015)
* after a deferred response (type 5) the first follow-up *replaces* the
  loading @original message (same id, ephemerality of the defer), like Discord
* for component interactions @original is the message carrying the component
* ``with_response=1`` callbacks (discord.py 2.7 always asks) get the
  ``{"interaction": ..., "resource": {"message": ...}}`` body
"""

from __future__ import annotations

import logging
import re
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.support.fake_discord.payloads import FLAG_EPHEMERAL, FLAG_LOADING, Channel, User, iso_now, snowflake
from tests.support.fake_discord.records import (
    CB_CHANNEL_MESSAGE,
    CB_DEFERRED_CHANNEL_MESSAGE,
    CB_DEFERRED_UPDATE_MESSAGE,
    CB_UPDATE_MESSAGE,
    MSG_CHAT_INPUT_COMMAND,
    MSG_DEFAULT,
    MSG_REPLY,
    Callback,
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


class MessageRoutes:
    """Handlers for messages, interaction callbacks and interaction webhooks."""

    fake: FakeDiscord
    ack_timeout: float | None
    messages: dict[int, StoredMessage]
    channel_posts: list[StoredMessage]
    deleted_messages: list[StoredMessage]
    reactions: list[tuple[int, int, str]]
    typing: list[int]
    interactions: dict[int, InteractionRecord]
    _by_token: dict[str, InteractionRecord]

    # ------------------------------------------------------------------ helpers
    def _channel(self, channel_id: int) -> Channel | None:
        return self.fake.find_channel(channel_id)

    def build_message(
        self,
        *,
        channel_id: int,
        body: dict[str, Any],
        author: User,
        files: list[UploadedFile] = (),  # type: ignore[assignment]
        msg_type: int = MSG_DEFAULT,
        flags: int | None = None,
        interaction: InteractionRecord | None = None,
    ) -> StoredMessage:
        """Message object for a bot-authored message created by ``body``."""
        channel = self._channel(channel_id)
        data: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": author.payload(),
            "content": body.get("content") or "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(files),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": msg_type,
            "flags": body.get("flags", 0) if flags is None else flags,
        }
        if channel is not None and channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        if body.get("poll"):
            data["poll"] = body["poll"]
        ref = body.get("message_reference")
        if ref:
            data["type"] = MSG_REPLY
            # discord.py sends the ids as ints; Discord answers with strings.
            ref = {k: str(v) if k.endswith("_id") and v is not None else v for k, v in ref.items()}
            data["message_reference"] = {"type": 0, "channel_id": str(channel_id), **ref}
            referenced = self.messages.get(int(ref["message_id"]))
            if referenced is not None:
                data["referenced_message"] = dict(referenced)
        if interaction is not None:
            data["webhook_id"] = str(self.fake.application_id)
            data["application_id"] = str(self.fake.application_id)
            data["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self.fake.interaction_user_payload(interaction),
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
            }
        msg = StoredMessage(data, body)
        self.messages[msg.id] = msg
        return msg

    def _attachments(self, files: list[UploadedFile], keep: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        out = []
        for index, f in enumerate(files):
            att_id = snowflake()
            self.fake.cdn[att_id] = (f.content_type, f.data)  # the bot's uploads are served too
            url = f"{self.fake.http_url}/attachments/{att_id}/{urllib.parse.quote(f.filename)}"
            meta = next((a for a in (keep or []) if str(a.get("id")) == str(index)), {})
            out.append({
                "id": str(att_id),
                "filename": f.filename,
                "size": len(f.data),
                "url": url,
                "proxy_url": url,
                "content_type": f.content_type,
                "description": meta.get("description"),
            })
        return out

    def edit_message(self, msg: StoredMessage, body: dict[str, Any], files: list[UploadedFile] = ()) -> StoredMessage:  # type: ignore[assignment]
        """Apply a PATCH body (only the keys present change), Discord-style."""
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = (msg.get("flags", 0) & FLAG_EPHEMERAL) | body["flags"]
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            msg["attachments"] = [a for a in msg.get("attachments", []) if a["id"] in kept_ids]
            msg["attachments"] += self._attachments(list(files), body.get("attachments"))
        msg["flags"] = msg.get("flags", 0) & ~FLAG_LOADING
        msg["edited_timestamp"] = iso_now()
        msg.bodies.append(body)
        return msg

    def _delete(self, msg: StoredMessage) -> None:
        msg.deleted = True
        self.messages.pop(msg.id, None)
        self.deleted_messages.append(msg)

    # ------------------------------------------------------------------ interactions
    def register_interaction(self, record: InteractionRecord) -> None:
        self.interactions[record.id] = record
        self._by_token[record.token] = record

    async def _interaction_callback(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        ix = self.interactions.get(int(m["id"]))
        if ix is None or ix.token != m["token"]:
            return error_response(404, "Unknown interaction", 10062)
        if ix.callbacks:
            return error_response(400, "Interaction has already been acknowledged.", 40060)
        if self.ack_timeout is not None and time.monotonic() - ix.created_at > self.ack_timeout:
            log.error("fake discord: interaction %s answered after %.2fs (> %ss)", ix.id, time.monotonic() - ix.created_at, self.ack_timeout)
            return error_response(404, "Unknown interaction", 10062)
        cb_type = rec.json["type"]
        data = rec.json.get("data") or {}
        ix.callbacks.append(Callback(cb_type, data, time.monotonic()))

        if cb_type == CB_CHANNEL_MESSAGE:
            msg_type = MSG_CHAT_INPUT_COMMAND if ix.type == 2 else MSG_DEFAULT
            ix.original = self.build_message(
                channel_id=ix.channel_id, body=data, author=self.fake.bot_user, files=rec.files, msg_type=msg_type, interaction=ix
            )
        elif cb_type == CB_DEFERRED_CHANNEL_MESSAGE:
            flags = FLAG_LOADING | (data.get("flags", 0) & FLAG_EPHEMERAL)
            msg_type = MSG_CHAT_INPUT_COMMAND if ix.type == 2 else MSG_DEFAULT
            ix.original = self.build_message(
                channel_id=ix.channel_id, body={}, author=self.fake.bot_user, msg_type=msg_type, flags=flags, interaction=ix
            )
        elif cb_type in (CB_DEFERRED_UPDATE_MESSAGE, CB_UPDATE_MESSAGE):
            ix.original = self._component_message(ix)
            if cb_type == CB_UPDATE_MESSAGE and ix.original is not None:
                self.edit_message(ix.original, data, rec.files)

        if rec.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        interaction: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        resource: dict[str, Any] = {"type": cb_type}
        if ix.original is not None and cb_type in (CB_CHANNEL_MESSAGE, CB_DEFERRED_CHANNEL_MESSAGE, CB_UPDATE_MESSAGE):
            interaction["response_message_id"] = str(ix.original.id)
            interaction["response_message_loading"] = cb_type == CB_DEFERRED_CHANNEL_MESSAGE
            interaction["response_message_ephemeral"] = ix.original.ephemeral
            resource["message"] = dict(ix.original)
        return json_response({"interaction": interaction, "resource": resource})

    def _component_message(self, ix: InteractionRecord) -> StoredMessage | None:
        raw = ix.payload.get("message")
        if raw is None:
            return None
        stored = self.messages.get(int(raw["id"]))
        if stored is None:  # a message the test made up: adopt it
            stored = StoredMessage(raw)
            self.messages[stored.id] = stored
        return stored

    def _webhook_interaction(self, m: re.Match[str]) -> InteractionRecord | None:
        ix = self._by_token.get(m["token"])
        if ix is None or int(m["app"]) != self.fake.application_id or not ix.callbacks:
            return None  # Discord: no webhook exists until the interaction is acknowledged
        return ix

    def _webhook_message(self, ix: InteractionRecord, message_id: str) -> StoredMessage | None:
        if message_id == "@original":
            msg = ix.original
        else:
            msg = next((f for f in ix.followups if f["id"] == message_id), None)
            if msg is None and ix.original is not None and ix.original["id"] == message_id:
                msg = ix.original
        return None if msg is None or msg.deleted else msg

    async def _followup(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        ix = self._webhook_interaction(m)
        if ix is None:
            return error_response(404, "Unknown Webhook", 10015)
        body = rec.json or {}
        original = ix.original
        if original is not None and not original.deleted and original.flags & FLAG_LOADING:
            # First follow-up after a defer fills the "thinking" message; the
            # defer's ephemeral flag wins over the follow-up's.
            body_no_flags = {k: v for k, v in body.items() if k != "flags"}
            msg = self.edit_message(original, body_no_flags, rec.files)
            msg["edited_timestamp"] = None
            msg.bodies[-1] = body
        else:
            msg = self.build_message(
                channel_id=ix.channel_id, body=body, author=self.fake.bot_user, files=rec.files, interaction=ix
            )
        ix.followups.append(msg)
        if rec.query.get("wait") in ("1", "true", "True"):
            return json_response(dict(msg))
        return no_content()

    async def _get_webhook_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        ix = self._webhook_interaction(m)
        msg = ix and self._webhook_message(ix, m["message"])
        return json_response(dict(msg)) if msg else error_response(404, "Unknown Message", 10008)

    async def _edit_webhook_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        ix = self._webhook_interaction(m)
        msg = ix and self._webhook_message(ix, m["message"])
        if not msg:
            return error_response(404, "Unknown Message", 10008)
        return json_response(dict(self.edit_message(msg, rec.json or {}, rec.files)))

    async def _delete_webhook_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        ix = self._webhook_interaction(m)
        msg = ix and self._webhook_message(ix, m["message"])
        if not msg:
            return error_response(404, "Unknown Message", 10008)
        self._delete(msg)
        return no_content()

    # ------------------------------------------------------------------ channels
    async def _get_channel(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        channel = self._channel(int(m["channel"]))
        return json_response(channel.payload()) if channel else error_response(404, "Unknown Channel", 10003)

    async def _post_channel_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        channel_id = int(m["channel"])
        if self._channel(channel_id) is None:
            return error_response(404, "Unknown Channel", 10003)
        body = rec.json or {}
        if not any(body.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll")) and not rec.files:
            return error_response(400, "Cannot send an empty message", 50006)
        msg = self.build_message(channel_id=channel_id, body=body, author=self.fake.bot_user, files=rec.files)
        self.channel_posts.append(msg)
        return json_response(dict(msg))

    async def _history(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        channel_id = m["channel"]
        limit = int(rec.query.get("limit", 50))
        msgs = sorted((x for x in self.messages.values() if x["channel_id"] == channel_id), key=lambda x: -x.id)
        return json_response([dict(x) for x in msgs[:limit]])

    def _channel_message(self, m: re.Match[str]) -> StoredMessage | None:
        msg = self.messages.get(int(m["message"]))
        return msg if msg is not None and msg["channel_id"] == m["channel"] else None

    async def _get_channel_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        msg = self._channel_message(m)
        return json_response(dict(msg)) if msg else error_response(404, "Unknown Message", 10008)

    async def _edit_channel_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        msg = self._channel_message(m)
        if msg is None:
            return error_response(404, "Unknown Message", 10008)
        if int(msg["author"]["id"]) != self.fake.bot_user.id:
            return error_response(403, "Cannot edit a message authored by another user", 50005)
        return json_response(dict(self.edit_message(msg, rec.json or {}, rec.files)))

    async def _delete_channel_message(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        msg = self._channel_message(m)
        if msg is None:
            return error_response(404, "Unknown Message", 10008)
        self._delete(msg)
        return no_content()

    async def _add_reaction(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        if self._channel_message(m) is None:
            return error_response(404, "Unknown Message", 10008)
        self.reactions.append((int(m["channel"]), int(m["message"]), urllib.parse.unquote(m["emoji"])))
        return no_content()

    async def _remove_reaction(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        key = (int(m["channel"]), int(m["message"]), urllib.parse.unquote(m["emoji"]))
        if key in self.reactions:
            self.reactions.remove(key)
        return no_content()

    async def _start_thread(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        """A public thread from a message: like Discord, its id is the message's id, and
        THREAD_CREATE follows."""
        parent = self._channel(int(m["channel"]))
        if self._channel_message(m) is None or parent is None or parent.guild_id is None:
            return error_response(404, "Unknown Message", 10008)
        name = str((rec.json or {}).get("name") or "")
        if not 1 <= len(name) <= 100:
            return error_response(400, "Invalid Form Body: name must be 1-100 characters", 50035)
        thread = self.fake.add_thread(name, parent, thread_id=int(m["message"]), owner=self.fake.bot_user)
        await self.fake.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return json_response(thread.payload())

    async def _typing(self, rec: RecordedRequest, m: re.Match[str]) -> web.Response:
        self.typing.append(int(m["channel"]))
        return no_content()
