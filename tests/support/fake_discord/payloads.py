"""Discord API payload builders and the small object model of the fake Discord.

The fake server (``fake_discord.py``) keeps its world -- users, guilds, roles,
channels, members -- as the dataclasses below and turns them into the JSON
shapes discord.py 2.7 parses (``state.py``, ``guild.py``, ``member.py``,
``message.py``, ``interactions.py``).  Only the keys discord.py reads as
required (``data['x']``) are mandatory; we add the common optional ones so the
payloads look like what Discord really sends.

Tests use these helpers directly to build users and members::

    from tests.support.fake_discord.payloads import User, MANAGE_GUILD
    stranger = User.new("stranger")
    fake.add_member(stranger)                            # join the default guild
    ix = await fake.send_slash_command("ask", user=stranger, permissions=MANAGE_GUILD)
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

# --------------------------------------------------------------------------- snowflakes

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)
_counter_lock = threading.Lock()


def snowflake() -> int:
    """Return a new, unique, time-ordered snowflake (like Discord's ids)."""
    with _counter_lock:
        inc = next(_counter) & 0x3FFFFF
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    # The low 22 bits are worker/process/increment; a global counter is enough
    # to keep ids unique and increasing inside one test process.
    return (ms << 22) | inc


def snowflake_on_shard(shard_id: int, shard_count: int) -> int:
    """A new snowflake whose guild would be served by ``shard_id`` of ``shard_count``
    (Discord: ``(guild_id >> 22) % shard_count``)."""
    flake = snowflake()
    ms = flake >> 22
    return ((ms - ms % shard_count + shard_id) << 22) | (flake & 0x3FFFFF)


def iso_now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat()


# --------------------------------------------------------------------------- permissions

# Raw permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5  # "Manage Server"
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40

ALL_PERMISSIONS = discord.Permissions.all().value

#: What @everyone gets in the default guild: the usual "member" permissions.
DEFAULT_EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

# Gateway intents the fake honours when deciding what to deliver.
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

# Channel types.
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11

# Application command option types.
OPT_SUB_COMMAND = 1
OPT_SUB_COMMAND_GROUP = 2
OPT_STRING = 3
OPT_INTEGER = 4
OPT_BOOLEAN = 5
OPT_USER = 6
OPT_CHANNEL = 7
OPT_ROLE = 8
OPT_MENTIONABLE = 9
OPT_NUMBER = 10
OPT_ATTACHMENT = 11


# --------------------------------------------------------------------------- users

@dataclass
class User:
    """A Discord user. ``User.new("alice")`` gives one with a fresh id."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @classmethod
    def new(cls, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        return cls(id=snowflake(), username=username, global_name=global_name, bot=bot)

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class Member:
    """A user's membership of one guild (roles are role ids)."""

    user: User
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, permissions: int | None = None, with_user: bool = True) -> dict[str, Any]:
        """Member object; ``permissions`` is only present inside interactions."""
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


# --------------------------------------------------------------------------- channels and guilds

@dataclass
class Channel:
    """A guild text channel (``guild_id`` set) or a DM channel (``recipient`` set)."""

    id: int
    name: str = ""
    type: int = GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    recipient: User | None = None
    topic: str | None = None
    parent_id: int | None = None    # threads: the channel they are in
    owner_id: int | None = None     # threads: who started them

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> dict[str, Any]:
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.payload()] if self.recipient else [],
            }
        if self.type == PUBLIC_THREAD:
            return {
                "id": str(self.id), "type": PUBLIC_THREAD, "guild_id": str(self.guild_id), "name": self.name,
                "parent_id": str(self.parent_id), "owner_id": str(self.owner_id), "last_message_id": None,
                "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
                "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": iso_now(),
                                    "locked": False},
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: list[Role] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    # -- lookups
    @property
    def everyone(self) -> Role:
        return self.role(self.id)

    @property
    def text_channel(self) -> Channel:
        """The first text channel (the default target for events)."""
        return next(c for c in self.channels if c.type == GUILD_TEXT)

    def role(self, role_id_or_name: Any) -> Role:
        for role in self.roles:
            if role.id == role_id_or_name or role.name == role_id_or_name:
                return role
        raise KeyError(f"no role {role_id_or_name!r} in guild {self.name!r}")

    def channel(self, channel_id_or_name: Any) -> Channel:
        for ch in self.channels:
            if ch.id == channel_id_or_name or ch.name == channel_id_or_name:
                return ch
        raise KeyError(f"no channel {channel_id_or_name!r} in guild {self.name!r}")

    def get_member(self, user_id: int) -> Member | None:
        return next((m for m in self.members if m.id == user_id), None)

    def permissions_for(self, member: Member, roles: Sequence[int] | None = None) -> int:
        """Guild-level permissions (no channel overwrites): owner/admin get everything."""
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        perms = self.everyone.permissions
        role_ids = member.roles if roles is None else roles
        for role in self.roles:
            if role.id in role_ids:
                perms |= role.permissions
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    # -- payloads
    def payload(self, *, member_ids: Sequence[int] | None = None) -> dict[str, Any]:
        """GUILD_CREATE payload; ``member_ids`` limits the member list (intents)."""
        members = [m for m in self.members if member_ids is None or m.id in member_ids]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [r.payload() for r in self.roles],
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [m.payload() for m in members],
            "channels": [{k: v for k, v in c.payload().items() if k != "guild_id"} for c in self.channels
                         if c.type != PUBLIC_THREAD],
            "threads": [c.payload() for c in self.channels if c.type == PUBLIC_THREAD],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "premium_progress_bar_enabled": False,
        }


def make_guild(
    name: str,
    *,
    owner: User,
    bot_user: User,
    members: Sequence[Member] = (),
    extra_roles: Sequence[Role] = (),
    channel_names: Sequence[str] = ("general",),
    everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
    guild_id: int | None = None,
) -> Guild:
    """A guild with @everyone (id == guild id), the given roles, text channels,
    the owner, the bot and ``members`` as members."""
    gid = guild_id or snowflake()
    guild = Guild(id=gid, name=name, owner_id=owner.id)
    guild.roles.append(Role(id=gid, name="@everyone", permissions=everyone_permissions, position=0))
    guild.roles.extend(extra_roles)
    for pos, ch_name in enumerate(channel_names):
        guild.channels.append(Channel(id=snowflake(), name=ch_name, guild_id=gid, position=pos))
    guild.members.append(Member(owner))
    guild.members.append(Member(bot_user))
    guild.members.extend(members)
    return guild


# --------------------------------------------------------------------------- applications

def application_payload(app_id: int, bot_user: User, owner: User) -> dict[str, Any]:
    """GET /oauth2/applications/@me (discord.AppInfo requires these keys)."""
    return {
        "id": str(app_id),
        "name": bot_user.username,
        "icon": None,
        "description": "Fake application for end-to-end tests",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "bot": bot_user.payload(),
        "owner": owner.payload(),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,  # non-None makes discord.py warn: no gateway interactions
        "approximate_guild_count": 1,
        "integration_types_config": {"0": {}},
    }


# --------------------------------------------------------------------------- messages and components

MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


def walk_components(components: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Depth-first walk over a message's (possibly nested, v2) components."""
    for comp in components or ():
        yield comp
        if "components" in comp:
            yield from walk_components(comp["components"])
        if "component" in comp:  # Label (type 18)
            yield from walk_components([comp["component"]])
        if "accessory" in comp:  # Section (type 9)
            yield from walk_components([comp["accessory"]])


def find_component(
    message: dict[str, Any], *, custom_id: str | None = None, label: str | None = None, type: int | None = None
) -> dict[str, Any]:
    """Find a component in a message payload by custom_id and/or label and/or type."""
    for comp in walk_components(message.get("components", [])):
        if comp.get("type") in (1, 9, 17, 18) and type not in (1, 9, 17, 18):
            continue  # containers are only returned when asked for explicitly
        if custom_id is not None and comp.get("custom_id") != custom_id:
            continue
        if label is not None and comp.get("label") != label:
            continue
        if type is not None and comp.get("type") != type:
            continue
        return comp
    raise LookupError(
        f"no component custom_id={custom_id!r} label={label!r} type={type!r} in message {message.get('id')}: "
        f"{message.get('components')!r}"
    )
