"""Per-user cooldowns shared by every process: one Redis key per user and budget, counted and
given its expiry in one atomic script. The same rule as bot.discord.cooldowns.UserCooldowns: a
window opens with a user's first question and lasts ``per`` seconds; ``rate`` questions pass in
it; the first one over gets a warning, the rest silence."""
from __future__ import annotations

from bot.coordination.link import LinkDown, RedisLink

PREFIX = "nanking-bot:cooldown"

# KEYS[1] the user's counter; ARGV rate, window in ms. Returns {ms left, warn (1/0)}; 0 ms: go ahead.
HIT = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if used <= tonumber(ARGV[1]) then return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if used == tonumber(ARGV[1]) + 1 then return {ttl, 1} end
return {ttl, 0}
"""


class SharedCooldowns:
    def __init__(self, link: RedisLink):
        self.link = link
        self._hit = link.client.register_script(HIT)

    async def hit(self, scope: str, user_id: int, rate: int, per: float) -> tuple[float, bool] | None:
        """(seconds to wait, whether to warn), or None when Redis is down (count locally)."""
        if per <= 0:
            return 0.0, False
        window_ms = max(1, round(per * 1000))
        key = f"{PREFIX}:{scope}:{rate}:{window_ms}:{user_id}"
        try:
            left_ms, warn = await self.link.call(lambda: self._hit(keys=[key], args=[rate, window_ms]))
        except LinkDown:
            return None
        if not left_ms:
            return 0.0, False
        return max(0.1, int(left_ms) / 1000), bool(warn)
