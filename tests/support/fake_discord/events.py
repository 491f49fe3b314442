"""The test-side event API of the fake Discord (mixed into ``FakeDiscord``).

Tests play Discord users: slash commands, autocomplete, context menus, button
clicks, select menus, modal submits (real ``INTERACTION_CREATE`` dispatches)
and messages (``MESSAGE_CREATE``, intent-aware like Discord).

Command data notes:

discord.py's ``CommandTree._get_app_command_options`` finds the command by
``data.name`` (+ ``data.guild_id`` for guild commands, + ``type``) and walks
sub-command options (types 1/2); ``Namespace`` then converts each option by its
``type`` and looks User/Member/Role/Channel values up in ``data.resolved``.
``data.id`` is not validated, but we use the synced command's id when known.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from tests.support.fake_discord.payloads import (
    ADMINISTRATOR,
    DM,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    MENTION_RE,
    OPT_ATTACHMENT,
    OPT_BOOLEAN,
    OPT_CHANNEL,
    OPT_INTEGER,
    OPT_NUMBER,
    OPT_ROLE,
    OPT_STRING,
    OPT_SUB_COMMAND,
    OPT_SUB_COMMAND_GROUP,
    OPT_USER,
    ROLE_MENTION_RE,
    Channel,
    Guild,
    Member,
    Role,
    User,
    find_component,
    iso_now,
    snowflake,
)
from tests.support.fake_discord.records import CB_MODAL, InteractionRecord, StoredMessage

if TYPE_CHECKING:  # pragma: no cover
    from tests.support.fake_discord.server import FakeDiscord

log = logging.getLogger("fake_discord")


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):  # before int: bool is an int
        return OPT_BOOLEAN
    if isinstance(value, int):
        return OPT_INTEGER
    if isinstance(value, float):
        return OPT_NUMBER
    if isinstance(value, (User, Member)):
        return OPT_USER
    if isinstance(value, Role):
        return OPT_ROLE
    if isinstance(value, Channel):
        return OPT_CHANNEL
    if isinstance(value, dict) and "filename" in value:  # from FakeDiscord.add_attachment
        return OPT_ATTACHMENT
    return OPT_STRING


def resolved_for(fake: FakeDiscord, values: Sequence[Any], guild: Guild | None) -> dict[str, dict[str, Any]]:
    """``data.resolved`` for User/Member/Role/Channel objects."""
    resolved: dict[str, dict[str, Any]] = {}
    for value in values:
        if isinstance(value, (User, Member)):
            user = value.user if isinstance(value, Member) else value
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            member = value if isinstance(value, Member) else (guild.get_member(user.id) if guild else None)
            if member is not None and guild is not None:
                resolved.setdefault("members", {})[str(user.id)] = member.payload(
                    permissions=guild.permissions_for(member), with_user=False
                )
        elif isinstance(value, Role):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        elif isinstance(value, Channel):
            ch = {k: v for k, v in value.payload().items() if k in ("id", "name", "type", "parent_id", "guild_id")}
            resolved.setdefault("channels", {})[str(value.id)] = {**ch, "permissions": "0"}
    return resolved


def _build_options(
    fake: FakeDiscord, options: Any, schema: list[dict[str, Any]] | None, focused: str | None, guild: Guild | None
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    if options is None:
        return [], {}
    if isinstance(options, list):  # raw Discord options, passed through
        return options, {}
    built: list[dict[str, Any]] = []
    objects: list[Any] = []
    attachments: dict[str, dict[str, Any]] = {}
    for name, value in options.items():
        opt_type = _infer_type(value)
        if schema is not None:
            spec = next((o for o in schema if o["name"] == name), None)
            if spec is None:
                raise ValueError(f"option {name!r} is not in the synced command's options {[o['name'] for o in schema]}")
            opt_type = spec["type"]
        if isinstance(value, (User, Member, Role, Channel)):
            objects.append(value)
            raw: Any = str(value.id)
        elif isinstance(value, dict) and "filename" in value:  # an uploaded file: data.resolved.attachments
            attachments[value["id"]] = value
            raw = value["id"]
        else:
            raw = value
        opt: dict[str, Any] = {"name": name, "type": opt_type, "value": raw}
        if name == focused:
            opt["focused"] = True
            opt["value"] = str(raw)  # Discord sends the partial input as typed
        built.append(opt)
    resolved = resolved_for(fake, objects, guild)
    if attachments:
        resolved["attachments"] = attachments
    return built, resolved


def build_command_data(
    fake: FakeDiscord,
    name: str,
    options: Any,
    registered: dict[str, Any] | None,
    *,
    focused: str | None,
    guild: Guild | None,
) -> dict[str, Any]:
    """``data`` of a CHAT_INPUT interaction; ``name`` may be "cmd sub" or "cmd group sub"."""
    parts = name.split()
    schema: list[dict[str, Any]] | None = registered.get("options", []) if registered else None
    for part in parts[1:]:  # descend the synced schema along the sub-command path
        if schema is not None:
            node = next((o for o in schema if o["name"] == part), None)
            if node is None:
                raise ValueError(f"/{parts[0]} has no sub-command {part!r}")
            schema = node.get("options", [])
    leaf, resolved = _build_options(fake, options, schema, focused, guild)
    path = parts[1:]
    for depth in range(len(path) - 1, -1, -1):
        is_group = depth == 0 and len(path) == 2
        leaf = [{"type": OPT_SUB_COMMAND_GROUP if is_group else OPT_SUB_COMMAND, "name": path[depth], "options": leaf}]
    data: dict[str, Any] = {
        "id": registered["id"] if registered else str(snowflake()),
        "name": parts[0],
        "type": 1,
        "options": leaf,
    }
    if resolved:
        data["resolved"] = resolved
    return data


# ============================================================================ test-side event API

UserLike = User | Member
_DEFAULT: Any = object()  # "the default guild/channel" sentinel


class CommandNotAvailable(Exception):
    """Discord would not let this user run this command here (default_member_permissions / contexts)."""


def _id(obj: Any) -> int | None:
    if obj is None:
        return None
    return int(getattr(obj, "id", obj))


class EventSender:
    """Mixin of :class:`FakeDiscord`: play Discord users (interactions, messages)."""

    # provided by FakeDiscord
    application_id: int
    bot_user: User
    member: User
    rest: Any
    gateway: Any
    user_messages: list[dict[str, Any]]

    # ================================================================== interactions
    def interaction_user_payload(self, ix: InteractionRecord) -> dict[str, Any]:
        return ix.payload["member"]["user"] if "member" in ix.payload else ix.payload["user"]

    def _registered_command(self, name: str, cmd_type: int, guild_id: int | None) -> tuple:
        if guild_id is not None:
            for cmd in self.rest.guild_commands.get(guild_id, []):
                if cmd["name"] == name and cmd.get("type", 1) == cmd_type:
                    return cmd, guild_id
        for cmd in self.rest.global_commands:
            if cmd["name"] == name and cmd.get("type", 1) == cmd_type:
                return cmd, None
        return None, None

    async def _send_interaction(self, itype: int, data: dict[str, Any], *, user: UserLike | None, guild: Any, dm: bool,
                                channel: Any, permissions: int | None, roles: Sequence[Any] | None, locale: str,
                                message: dict[str, Any] | None = None, command: dict[str, Any] | None = None) -> InteractionRecord:
        user = user if user is not None else self.member
        ix_id = snowflake()
        payload: dict[str, Any] = {
            "id": str(ix_id),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": secrets.token_urlsafe(48),
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if dm:
            u = user.user if isinstance(user, Member) else user
            ch = self.find_channel(_id(channel)) if channel not in (None, _DEFAULT) else self.dm_channel(u)  # type: ignore[arg-type]
            payload.update(user=u.payload(), channel_id=str(ch.id), channel=ch.payload(), context=1,
                           authorizing_integration_owners={"0": "0"}, app_permissions=str(
                               discord.Permissions.all_channel().value))
            perms = None
        else:
            g = self._guild(guild)
            member = self._member(g, user, roles)
            ch = g.text_channel if channel in (None, _DEFAULT) else g.channel(_id(channel))
            perms = g.permissions_for(member) if permissions is None else permissions
            bot_perms = g.permissions_for(g.get_member(self.bot_user.id) or Member(self.bot_user))
            payload.update(
                guild_id=str(g.id),
                guild={"id": str(g.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member.payload(permissions=perms),
                channel_id=str(ch.id),
                channel={**ch.payload(), "permissions": str(perms)},
                context=0,
                authorizing_integration_owners={"0": str(g.id)},
                app_permissions=str(bot_perms),
            )
        if message is not None:
            payload["message"] = dict(message)
        if command is not None:
            self._check_command_available(command, perms, dm)
        rec = InteractionRecord(id=ix_id, token=payload["token"], type=itype, payload=payload, created_at=time.monotonic())
        self.rest.register_interaction(rec)
        await self.dispatch("INTERACTION_CREATE", payload)
        return rec

    @staticmethod
    def _check_command_available(command: dict[str, Any], perms: int | None, dm: bool) -> None:
        contexts = command.get("contexts")
        if contexts is not None and (1 if dm else 0) not in contexts:
            raise CommandNotAvailable(f"/{command['name']} is not available in {'DMs' if dm else 'guilds'} (contexts={contexts})")
        required = command.get("default_member_permissions")
        if required is not None and perms is not None and not perms & ADMINISTRATOR:
            if perms & int(required) != int(required):
                raise CommandNotAvailable(f"/{command['name']} needs permissions {required}, user has {perms}")

    async def send_slash_command(self, name: str, options: dict[str, Any] | list[dict[str, Any]] | None = None, *,
                                 user: UserLike | None = None, guild_id: Any = _DEFAULT, channel_id: Any = _DEFAULT,
                                 dm: bool = False, permissions: int | None = None, roles: Sequence[Any] | None = None,
                                 locale: str = "en-US", command_guild_id: Any = _DEFAULT,
                                 check_available: bool = True) -> InteractionRecord:
        """Dispatch an application-command interaction (type 2).

        ``name`` may be ``"group sub"``. ``options`` is ``{name: value}`` (types come
        from the synced command, else from the Python value; User/Member/Role/
        Channel values are resolved) or a raw Discord option list.
        The command is looked up in what the bot synced (guild first, then global)
        for its id and ``data.guild_id``; for commands never synced pass
        ``command_guild_id`` (a guild id, or None for global).  With
        ``check_available`` Discord's ``default_member_permissions``/``contexts``
        rules raise ``CommandNotAvailable`` instead of dispatching.
        """
        return await self._command_interaction(2, name, options, None, user=user, guild_id=guild_id, channel_id=channel_id, dm=dm,
                                               permissions=permissions, roles=roles, locale=locale,
                                               command_guild_id=command_guild_id, check_available=check_available)

    async def send_autocomplete(self, name: str, options: dict[str, Any] | None = None, *, focused: str,
                                user: UserLike | None = None, guild_id: Any = _DEFAULT, channel_id: Any = _DEFAULT,
                                dm: bool = False, permissions: int | None = None, roles: Sequence[Any] | None = None,
                                locale: str = "en-US", command_guild_id: Any = _DEFAULT) -> InteractionRecord:
        """Dispatch an autocomplete interaction (type 4); ``focused`` names the
        option being typed (its value in ``options``, default ""). The bot's answer
        is callback type 8 with ``data["choices"]``."""
        options = dict(options or {})
        options.setdefault(focused, "")
        return await self._command_interaction(4, name, options, focused, user=user, guild_id=guild_id, channel_id=channel_id,
                                               dm=dm, permissions=permissions, roles=roles, locale=locale,
                                               command_guild_id=command_guild_id, check_available=False)

    async def _command_interaction(self, itype: int, name: str, options: Any, focused: str | None, *, user: Any, guild_id: Any,
                                   channel_id: Any, dm: bool, permissions: Any, roles: Any, locale: str,
                                   command_guild_id: Any, check_available: bool) -> InteractionRecord:
        root = name.split()[0]
        guild = None if dm else self._guild(guild_id)
        if command_guild_id is _DEFAULT:
            registered, cmd_guild = self._registered_command(root, 1, guild.id if guild else None)
        else:
            registered, cmd_guild = None, _id(command_guild_id)
        data = build_command_data(self, name, options, registered, focused=focused, guild=guild)
        if cmd_guild is not None:
            data["guild_id"] = str(cmd_guild)
        return await self._send_interaction(itype, data, user=user, guild=guild_id, dm=dm, channel=channel_id,
                                            permissions=permissions, roles=roles, locale=locale,
                                            command=registered if check_available else None)

    async def send_context_menu(self, name: str, target: UserLike | dict[str, Any], *, user: UserLike | None = None,
                                guild_id: Any = _DEFAULT, channel_id: Any = _DEFAULT, dm: bool = False,
                                permissions: int | None = None, roles: Sequence[Any] | None = None) -> InteractionRecord:
        """User (target = User/Member) or message (target = message dict) context-menu command."""
        is_message = isinstance(target, dict)
        cmd_type = 3 if is_message else 2
        guild = None if dm else self._guild(guild_id)
        registered, cmd_guild = self._registered_command(name, cmd_type, guild.id if guild else None)
        data: dict[str, Any] = {"id": registered["id"] if registered else str(snowflake()), "name": name, "type": cmd_type}
        if is_message:
            data["target_id"] = target["id"]
            data["resolved"] = {"messages": {target["id"]: dict(target)}}
        else:
            data["target_id"] = str(_id(target))
            data["resolved"] = resolved_for(self, [target], guild)
        if cmd_guild is not None:
            data["guild_id"] = str(cmd_guild)
        return await self._send_interaction(2, data, user=user, guild=guild_id, dm=dm, channel=channel_id,
                                            permissions=permissions, roles=roles, locale="en-US")

    async def click_button(self, message: dict[str, Any], custom_id: str | None = None, *, label: str | None = None,
                           user: UserLike | None = None, permissions: int | None = None,
                           roles: Sequence[Any] | None = None) -> InteractionRecord:
        """Click a button (by custom_id or label) on a message payload the bot sent."""
        button = find_component(message, custom_id=custom_id, label=label, type=2)
        if button.get("disabled"):
            raise CommandNotAvailable(f"button {button.get('label')!r} is disabled")
        if "custom_id" not in button:
            raise ValueError(f"button {button.get('label')!r} is a link button")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._component_interaction(message, data, user, permissions, roles)

    async def choose_select(self, message: dict[str, Any], values: Sequence[str], custom_id: str | None = None, *,
                            user: UserLike | None = None, permissions: int | None = None,
                            roles: Sequence[Any] | None = None) -> InteractionRecord:
        """Pick ``values`` in a string select menu (first select if no custom_id)."""
        select = find_component(message, custom_id=custom_id, type=3)
        data = {"custom_id": select["custom_id"], "component_type": 3, "values": list(values)}
        return await self._component_interaction(message, data, user, permissions, roles)

    async def _component_interaction(self, message: dict[str, Any], data: dict[str, Any], user: Any, permissions: Any,
                                     roles: Any) -> InteractionRecord:
        channel = self.find_channel(int(message["channel_id"]))
        if channel is None:
            raise KeyError(f"message {message['id']} is in unknown channel {message['channel_id']}")
        dm = channel.type == DM
        return await self._send_interaction(3, data, user=user, guild=_DEFAULT if dm else channel.guild_id, dm=dm,
                                            channel=channel.id, permissions=permissions, roles=roles, locale="en-US",
                                            message=message)

    async def submit_modal(self, ix: InteractionRecord, values: dict[str, Any], *, user: UserLike | None = None) -> InteractionRecord:
        """Submit the modal the bot opened (callback type 9) on ``ix``; ``values``
        maps text-input custom_id -> text (or select custom_id -> list of values)."""
        cb = ix.response
        if cb is None or cb.type != CB_MODAL:
            raise ValueError(f"interaction {ix.id} was not answered with a modal: {cb!r}")

        def answer(comp: dict[str, Any]) -> dict[str, Any]:
            value = values.get(comp.get("custom_id"), "" if comp["type"] == 4 else [])
            return {"type": comp["type"], "custom_id": comp["custom_id"], ("value" if comp["type"] == 4 else "values"): value}

        components = []
        for top in cb.data.get("components", []):
            if top["type"] == 1:
                components.append({"type": 1, "components": [answer(c) for c in top["components"] if "custom_id" in c]})
            elif top["type"] == 18 and "custom_id" in top.get("component", {}):
                components.append({"type": 18, "component": answer(top["component"])})
        data = {"custom_id": cb.data["custom_id"], "components": components}
        user = user if user is not None else self.find_user(int(self.interaction_user_payload(ix)["id"]))
        dm = "guild_id" not in ix.payload
        return await self._send_interaction(5, data, user=user, guild=_DEFAULT if dm else ix.guild_id, dm=dm,
                                            channel=ix.channel_id, permissions=None, roles=None, locale="en-US")

    # ================================================================== messages
    async def send_message(self, content: str, *, author: UserLike | None = None, channel_id: Any = _DEFAULT,
                           guild_id: Any = _DEFAULT, dm: bool = False, mentions: Sequence[UserLike] | None = None,
                           mention_roles: Sequence[Any] = (), reference: dict[str, Any] | None = None,
                           embeds: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
        """Dispatch MESSAGE_CREATE from ``author`` (default: ``member``) in a guild
        channel, or in the author's DM with the bot when ``dm=True`` (or ``guild_id=None``).

        ``mentions`` defaults to the ``<@id>`` mentions found in ``content``.
        Like Discord, without the MESSAGE_CONTENT intent the bot gets empty
        content unless it is mentioned (or it is a DM); without GUILD_MESSAGES /
        DIRECT_MESSAGES the event is not delivered at all. Returns the payload
        as dispatched."""
        author = author if author is not None else self.member
        user = author.user if isinstance(author, Member) else author
        dm = dm or guild_id is None
        guild = None if dm else self._guild(guild_id)
        if dm:
            channel = self.dm_channel(user) if channel_id is _DEFAULT else self.find_channel(_id(channel_id))  # type: ignore[arg-type]
        else:
            channel = guild.text_channel if channel_id is _DEFAULT else guild.channel(_id(channel_id))  # type: ignore[union-attr]
        if mentions is None:
            found = (self.find_user(int(uid)) for uid in MENTION_RE.findall(content))
            mentioned: list[User] = list({u.id: u for u in found if u is not None}.values())
        else:
            mentioned = [m.user if isinstance(m, Member) else m for m in mentions]
        role_ids = [str(_id(r)) for r in mention_roles] or ROLE_MENTION_RE.findall(content)
        data: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel.id),  # type: ignore[union-attr]
            "author": user.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": [],
            "mention_roles": role_ids,
            "attachments": [],
            "embeds": list(embeds),
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "nonce": str(snowflake()),
        }
        for u in mentioned:
            entry = u.payload()
            member = guild.get_member(u.id) if guild else None
            if member is not None:
                entry["member"] = member.payload(with_user=False)
            data["mentions"].append(entry)
        if guild is not None:
            data["guild_id"] = str(guild.id)
            data["member"] = self._member(guild, author, None).payload(with_user=False)
        if reference is not None:
            data["type"] = 19
            data["message_reference"] = {"type": 0, "message_id": reference["id"], "channel_id": reference["channel_id"]}
            if guild is not None:
                data["message_reference"]["guild_id"] = str(guild.id)
            data["referenced_message"] = dict(reference)
        session = self.gateway.session_for(guild.id if guild is not None else None)
        if session is None:
            raise RuntimeError("no bot has connected to the fake gateway")
        self.rest.messages[int(data["id"])] = StoredMessage(data)  # so the bot can fetch / reply to it
        self.user_messages.append(data)
        if not session.has_intent(INTENT_DIRECT_MESSAGES if dm else INTENT_GUILD_MESSAGES):
            log.info("fake discord: MESSAGE_CREATE not delivered, bot lacks the %s intent", "dm_messages" if dm else "guild_messages")
            return data
        sent = data
        bot_mentioned = any(u.id == self.bot_user.id for u in mentioned)
        if not (dm or bot_mentioned or session.has_intent(INTENT_MESSAGE_CONTENT)):
            sent = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
        await self.dispatch("MESSAGE_CREATE", sent)
        return sent
