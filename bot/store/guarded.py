"""The store as the bot uses it: every call on a worker thread, and a storage fault (a read-only or
missing file, a database locked by another process, a server down) never stops an answer.

A failing operation returns its fallback and is logged once (a WARNING naming what could not be
stored and why), not on every call; the first success afterwards is logged at INFO. Nothing
already stored is touched: a fault never recreates, truncates or migrates data away.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.store.connect import describe, redact
from bot.store.records import AnswerRecord, GuildSettings, VoteRow
from bot.store.store import Store

log = logging.getLogger(__name__)
WORKERS = 2            # the store's own threads: a slow or locked database never holds up answers
READ_WITHIN = 0.5      # seconds: a setting needed to answer is read this fast, or the default is used


class GuardedStore:
    def __init__(self, store: Store):
        self.store = store
        self._failing: set[str] = set()   # what is failing now (logged once)
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="store")

    @property
    def clock(self) -> Callable[[], float]:
        return self.store.clock

    def _call(self, what: str, fallback: Any, fn: Callable, *args) -> Any:
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - any storage fault: keep answering
            if what not in self._failing:
                self._failing.add(what)
                log.warning("storage: could not %s (%s) in %s; the bot keeps answering without it",
                            what, describe(exc), redact(self.store.url))
            else:
                log.debug("storage: still cannot %s: %s", what, exc)
            return fallback
        if what in self._failing:
            self._failing.discard(what)
            log.info("storage: %s works again", what)
        return result

    async def _run(self, what: str, fallback: Any, fn: Callable, *args, within: float | None = None) -> Any:
        future = asyncio.get_running_loop().run_in_executor(self._pool, self._call, what, fallback, fn, *args)
        if within is None:
            return await future
        try:
            return await asyncio.wait_for(asyncio.shield(future), within)
        except TimeoutError:
            if what not in self._failing:
                self._failing.add(what)
                log.warning("storage: could not %s within %.1f s in %s; using the default", what, within,
                            redact(self.store.url))
            return fallback

    # ------------------------------------------------------------------ the operations
    async def open(self) -> bool:
        return await self._run("open the database", False, lambda: self.store.engine is not None)

    async def record_answer(self, rec: AnswerRecord) -> bool:
        return await self._run("store an answer record", False, lambda: self.store.record_answer(rec) or True)

    async def vote(self, answer_id: str, user_id: int, vote: int, reason: str | None = None) -> bool:
        return await self._run("store a vote", False,
                               lambda: self.store.vote(answer_id, user_id, vote, reason) or True)

    async def user_vote(self, answer_id: str, user_id: int) -> VoteRow | None:
        return await self._run("read a vote", None, self.store.user_vote, answer_id, user_id)

    async def settings(self, guild_id: int) -> GuildSettings:
        return await self._run("read server settings", GuildSettings(guild_id), self.store.settings, guild_id,
                               within=READ_WITHIN)

    async def save_settings(self, settings: GuildSettings) -> bool:
        return await self._run("store server settings", False, lambda: self.store.save_settings(settings) or True)

    async def answers_since(self, guild_id: int, since: float) -> list[AnswerRecord] | None:
        return await self._run("read answer records", None, self.store.answers_since, guild_id, since)

    async def votes_for(self, answer_ids: list[str]) -> list[VoteRow] | None:
        return await self._run("read votes", None, self.store.votes_for, answer_ids)

    async def user_counts(self, user_id: int) -> tuple[int, int] | None:
        return await self._run("read a user's data", None, self.store.user_counts, user_id)

    async def forget_user(self, user_id: int) -> tuple[int, int] | None:
        return await self._run("delete a user's data", None, self.store.forget_user, user_id)

    async def purge_expired(self) -> int | None:
        return await self._run("delete expired records", None, self.store.purge_expired)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool, self.store.close)
        self._pool.shutdown(wait=False)
