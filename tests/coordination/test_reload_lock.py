"""One reload at a time across processes; Redis down never holds a reload back."""
import asyncio
import logging

from bot.coordination.reload_lock import KEY, ReloadLock
from tests.support.redis_server import connected_link


async def _lock(url: str) -> ReloadLock:
    return ReloadLock(await connected_link(url))


async def test_two_processes_reload_one_after_the_other(redis_server, caplog):
    caplog.set_level(logging.INFO, logger="bot.coordination")
    a, b = await _lock(redis_server.url), await _lock(redis_server.url)
    order: list[str] = []
    first_in = asyncio.Event()

    async def reload(lock: ReloadLock, name: str, after: asyncio.Event | None) -> None:
        if after is not None:
            await after.wait()
        async with lock.held() as taken:
            assert taken
            order.append(f"{name} in")
            first_in.set()
            await asyncio.sleep(0.3)  # the other one is waiting meanwhile
            order.append(f"{name} out")

    try:
        await asyncio.gather(reload(a, "a", None), reload(b, "b", first_in))
        assert order == ["a in", "a out", "b in", "b out"]
        assert any("waiting for another process's reload" in r.getMessage() for r in caplog.records)
        assert await a.link.client.get(KEY) is None  # released
    finally:
        await a.link.close()
        await b.link.close()


async def test_only_the_holder_releases(redis_server):
    a, b = await _lock(redis_server.url), await _lock(redis_server.url)
    try:
        async with a.held():
            await b._release(keys=[KEY], args=["not-the-token"])
            assert await a.link.client.get(KEY) is not None
    finally:
        await a.link.close()
        await b.link.close()


async def test_redis_down_reloads_unlocked(redis_server):
    lock = await _lock(redis_server.url)
    redis_server.stop()
    try:
        async with lock.held() as taken:
            assert not taken
    finally:
        await lock.link.close()
