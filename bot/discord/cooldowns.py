"""Per-user cooldowns shared by /ask and chat, with one friendly warning per cooldown window."""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    window_start: float
    used: int
    warned: bool = False


class UserCooldowns:
    """``rate`` questions per ``per`` seconds per user (a fixed window, like discord.py's)."""

    def __init__(self, rate: int, per: float, clock=time.monotonic):
        self.rate, self.per, self._clock = rate, per, clock
        self._buckets: dict[int, _Bucket] = {}
        self._last_sweep = clock()

    def hit(self, user_id: int) -> tuple[float, bool]:
        """Count one question. Returns (seconds to wait, whether to warn); 0 wait means go ahead.

        A user who floods gets one warning per window, then silence until the window ends.
        """
        now = self._clock()
        if now - self._last_sweep >= self.per:  # forget users whose window has passed, once a window
            self._buckets = {u: b for u, b in self._buckets.items() if now - b.window_start < self.per}
            self._last_sweep = now
        bucket = self._buckets.get(user_id)
        if bucket is None or now - bucket.window_start >= self.per:
            self._buckets[user_id] = _Bucket(now, 1)
            return 0.0, False
        if bucket.used < self.rate:
            bucket.used += 1
            return 0.0, False
        warn = not bucket.warned
        bucket.warned = True
        return max(0.1, self.per - (now - bucket.window_start)), warn
