"""The connection to Redis, with short timeouts, and whether it is up: a lost Redis is logged
once (not once per message), found again once, and while it is down nobody waits on it."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1.0  # one Redis call at most; on loopback or a LAN one takes well under a millisecond
ERRORS = (RedisError, OSError, TimeoutError)


class LinkDown(Exception):
    """Redis is unreachable: use local state."""


def where(url: str) -> str:
    """host:port/db of a Redis URL, never its password."""
    parts = urlsplit(url)
    try:
        port = parts.port or 6379
    except ValueError:
        port = "?"
    return f"{parts.hostname or 'localhost'}:{port}{parts.path or '/0'}"


class RedisLink:
    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS):
        self.timeout = timeout
        self.where = where(url)
        # no retries inside redis-py: a failed call falls back to local state at once
        self.client = aioredis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                              retry=Retry(NoBackoff(), 0), decode_responses=True)
        self.up = False
        self._seen = False  # connected once: a later loss is "lost", the first failure "unreachable"
        self._lost_logged = False

    async def call(self, make: Callable[[], Awaitable[Any]]) -> Any:
        """``await make()`` within the timeout; raises LinkDown (and marks the link down) on any
        Redis or network fault, or at once while the link is known to be down."""
        if not self.up:
            raise LinkDown()
        try:
            return await asyncio.wait_for(make(), self.timeout)
        except ERRORS as exc:
            self.lost(exc)
            raise LinkDown() from exc

    async def ping(self) -> None:
        """Raises one of ERRORS when Redis does not answer (used to find it again). After a loss,
        the pooled connections to the Redis that went away are dropped first."""
        if self._seen and not self.up:
            with contextlib.suppress(*ERRORS):
                await asyncio.wait_for(self.client.connection_pool.disconnect(), self.timeout)
        await asyncio.wait_for(self.client.ping(), self.timeout)

    def lost(self, exc: BaseException) -> None:
        if self.up or not self._lost_logged:
            what = "lost" if self._seen else "unreachable"
            log.warning("Redis at %s %s (%s): answering with this process's own index and cooldowns "
                        "until it returns", self.where, what, type(exc).__name__)
            self._lost_logged = True
        self.up = False

    def found(self) -> None:
        if not self.up:
            if self._seen:
                log.warning("Redis at %s reachable again: resynchronising", self.where)
            else:
                log.info("coordinating with the other processes through Redis at %s", self.where)
        self.up, self._seen, self._lost_logged = True, True, False

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.client.aclose(), self.timeout)
        except ERRORS:
            pass
