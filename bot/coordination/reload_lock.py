"""One reload at a time across all processes: a Redis lock with an expiry, so that two moderators
reloading in two processes at once build one index version (the second finds it published and
only loads it). Redis down, or a holder that takes too long: the reload goes ahead unlocked (a
second build costs time, never correctness: versions are immutable and published atomically)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator

from bot.coordination.link import LinkDown, RedisLink

log = logging.getLogger(__name__)

KEY = "nanking-bot:reload-lock"
HOLD_SECONDS = 600.0  # a holder that died frees the lock after this long
WAIT_SECONDS = 300.0  # a /reload waits this long for another process's reload at most
POLL_SECONDS = 0.1

# KEYS[1] the lock; ARGV[1] the holder's token: released only by its holder.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class ReloadLock:
    def __init__(self, link: RedisLink):
        self.link = link
        self._release = link.client.register_script(RELEASE)

    async def _acquire(self, token: str) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        waited = False
        while True:
            try:
                if await self.link.call(lambda: self.link.client.set(KEY, token, nx=True, px=int(HOLD_SECONDS * 1000))):
                    return True
            except LinkDown:
                return False
            if loop.time() >= deadline:
                log.warning("another process's reload held the lock for %.0f s; reloading anyway", WAIT_SECONDS)
                return False
            if not waited:
                log.info("waiting for another process's reload to finish")
                waited = True
            await asyncio.sleep(POLL_SECONDS)

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[bool]:
        """Held for the body when Redis is there (yields whether it was taken)."""
        token = secrets.token_hex(16)
        taken = await self._acquire(token)
        try:
            yield taken
        finally:
            if taken:
                with contextlib.suppress(LinkDown):
                    await self.link.call(lambda: self._release(keys=[KEY], args=[token]))
