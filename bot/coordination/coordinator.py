"""One process's part in a group of bot processes sharing a Redis: it publishes the index version
it reloaded to, swaps to the versions others publish (told at once through a channel, and checked
every ``sync_seconds`` and whenever Redis comes back), and counts cooldowns in Redis. Redis down:
the process goes on with its own index and cooldowns, tries again every ``RETRY_SECONDS`` and
resynchronises when it returns. Every Redis call has a short timeout; index loads run on a thread."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time

from bot.coordination.cooldowns import SharedCooldowns
from bot.coordination.link import ERRORS, LinkDown, RedisLink
from bot.coordination.reload_lock import ReloadLock
from bot.coordination.versions import CHANNEL, VersionBoard, VersionRecord
from index.live import LiveIndex

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class Coordination:
    def __init__(self, url: str, live: LiveIndex, sync_seconds: float = 30.0, label: str | None = None):
        self.live, self.sync_seconds = live, sync_seconds
        self.label = label or f"{socket.gethostname()}:{os.getpid()}"
        self.link = RedisLink(url)
        self.board = VersionBoard(self.link.client)
        self.cooldowns = SharedCooldowns(self.link)
        self.reload_lock = ReloadLock(self.link)
        # what this process serves, as a record: published when Redis holds an older one (or none)
        self.mine = VersionRecord(live.current.corpus.content_hash, time.time(), self.label)
        self._refused: str | None = None  # an announced corpus this process could not load
        self._task: asyncio.Task | None = None
        self._pubsub = None
        self.swaps = 0

    async def start(self) -> None:
        """Connect, resynchronise and keep listening; Redis down is logged, never fatal."""
        with contextlib.suppress(LinkDown, *ERRORS):
            await self._connect()
        self._task = asyncio.create_task(self._run(), name="redis-coordination")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._drop_pubsub()
        await self.link.close()

    async def cooldown(self, scope: str, user_id: int, rate: int, per: float) -> tuple[float, bool] | None:
        return await self.cooldowns.hit(scope, user_id, rate, per)

    async def published(self) -> None:
        """This process reloaded: announce the version it serves now (later, if Redis is down now)."""
        self.mine = VersionRecord(self.live.current.corpus.content_hash, time.time(), self.label)
        with contextlib.suppress(LinkDown):  # else published by the resynchronisation when Redis returns
            await self._publish_mine()

    async def _publish_mine(self) -> None:
        """Store and announce this process's version, unless Redis holds a newer one (raises LinkDown)."""
        if await self.link.call(lambda: self.board.publish(self.mine)):
            log.info("published index version %s", self.mine.corpus_hash[:12])

    # -- the background loop -------------------------------------------------------------------

    async def _run(self) -> None:
        next_check = asyncio.get_running_loop().time() + self.sync_seconds
        while True:
            try:
                if not self.link.up or self._pubsub is None:
                    await self._connect()
                loop = asyncio.get_running_loop()
                wait = max(0.0, min(RETRY_SECONDS, next_check - loop.time()))
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=wait)
                if message is not None or loop.time() >= next_check:
                    next_check = loop.time() + self.sync_seconds
                    await self.check()
            except Exception as exc:  # Redis gone (the link logs it once) or a bug: never ends the loop
                if isinstance(exc, ERRORS):
                    self.link.lost(exc)
                elif not isinstance(exc, LinkDown):
                    log.exception("index version coordination failed; retrying")
                await self._drop_pubsub()
                await asyncio.sleep(RETRY_SECONDS)

    async def _connect(self) -> None:
        """Reach Redis, subscribe to announcements, then resynchronise (raises one of ERRORS)."""
        await self._drop_pubsub()
        try:
            await self.link.ping()
            pubsub = self.link.client.pubsub()
            await asyncio.wait_for(pubsub.subscribe(CHANNEL), self.link.timeout)
        except ERRORS as exc:
            self.link.lost(exc)
            raise
        self._pubsub = pubsub
        self.link.found()
        await self.check()

    async def _drop_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(*ERRORS):
                await asyncio.wait_for(pubsub.aclose(), self.link.timeout)

    async def check(self) -> None:
        """Publish this process's version if Redis holds an older one, else swap to the one it holds."""
        record = await self.link.call(self.board.read)
        serving = self.live.current.corpus.content_hash
        if record is None or (record.corpus_hash != self.mine.corpus_hash and record.at < self.mine.at):
            await self._publish_mine()
            return
        if record.corpus_hash in (serving, self._refused):
            return
        await self._adopt(record)

    async def _adopt(self, record: VersionRecord) -> None:
        report = await self.live.adopt_async(record.corpus_hash)
        if not report.ok:
            self._refused = record.corpus_hash
            log.warning("cannot swap to index version %s published by %s: %s", record.corpus_hash[:12],
                        record.by, "; ".join(report.errors[:3]))
            return
        self._refused = None
        self.mine = record
        self.swaps += 1
        log.info("swapped to index version %s published by %s (%d passages, %.2f s)", record.corpus_hash[:12],
                 record.by, report.after.get("passages", 0), report.seconds)

