"""Per-server settings as the cogs read them: cached for a short while (several processes may
share one database), saved through the store; and each server's cooldown budget."""
from __future__ import annotations

import time
from collections.abc import Callable

from bot.discord.cooldowns import UserCooldowns
from bot.store.records import GuildSettings

CACHE_SECONDS = 30.0


class GuildSettingsCache:
    def __init__(self, store, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.store, self.ttl, self.clock = store, ttl, clock
        self._cache: dict[int, tuple[float, GuildSettings]] = {}

    async def get(self, guild_id: int | None) -> GuildSettings | None:
        """A server's settings (defaults when none are stored or the store fails); None in DMs."""
        if guild_id is None:
            return None
        hit = self._cache.get(guild_id)
        if hit is not None and self.clock() - hit[0] < self.ttl:
            return hit[1]
        settings = await self.store.settings(guild_id)
        self._cache[guild_id] = (self.clock(), settings)
        return settings

    async def save(self, settings: GuildSettings) -> bool:
        saved = await self.store.save_settings(settings)
        if saved:
            self._cache[settings.guild_id] = (self.clock(), settings)
        return saved


class GuildCooldowns:
    """The global per-user budget, or a server's own (stricter) one."""

    def __init__(self, rate: int, per: float):
        self.default = UserCooldowns(rate, per)
        self._by_guild: dict[int, UserCooldowns] = {}

    def for_guild(self, settings: GuildSettings | None) -> UserCooldowns:
        if settings is None or (settings.cooldown_rate is None and settings.cooldown_seconds is None):
            return self.default
        rate = settings.cooldown_rate or self.default.rate
        per = settings.cooldown_seconds if settings.cooldown_seconds is not None else self.default.per
        current = self._by_guild.get(settings.guild_id)
        if current is None or (current.rate, current.per) != (rate, per):
            current = self._by_guild[settings.guild_id] = UserCooldowns(rate, per)
        return current
