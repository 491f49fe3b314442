"""Cooldowns in Redis: the same rule as the local ones (rate per window, one warning per window),
shared by every process (here: two clients), and None (count locally) while Redis is down."""
import asyncio
import logging

from bot.coordination.cooldowns import SharedCooldowns
from bot.discord.cooldowns import UserCooldowns
from tests.support.redis_server import connected_link


async def _linked(url: str) -> SharedCooldowns:
    return SharedCooldowns(await connected_link(url))


async def test_rate_per_window_and_one_warning(redis_server):
    cd = await _linked(redis_server.url)
    try:
        results = [await cd.hit("default", 7, 3, 60) for _ in range(6)]
        assert results[:3] == [(0.0, False)] * 3
        (w4, warn4), (w5, warn5), (w6, warn6) = results[3:]
        assert warn4 and not warn5 and not warn6
        assert 0 < w6 <= w5 <= w4 <= 60
        assert await cd.hit("default", 8, 3, 60) == (0.0, False)  # another user has a budget of their own
        assert await cd.hit("123", 7, 3, 60) == (0.0, False)  # and so has a server with its own budget
    finally:
        await cd.link.close()


async def test_shared_by_two_processes(redis_server):
    a, b = await _linked(redis_server.url), await _linked(redis_server.url)
    try:
        assert await a.hit("default", 1, 2, 60) == (0.0, False)
        assert await b.hit("default", 1, 2, 60) == (0.0, False)
        wait, warn = await a.hit("default", 1, 2, 60)
        assert wait > 0 and warn
        wait, warn = await b.hit("default", 1, 2, 60)
        assert wait > 0 and not warn  # the warning was given once, by the other process
    finally:
        await a.link.close()
        await b.link.close()


async def test_window_ends_and_a_new_one_opens(redis_server):
    cd = await _linked(redis_server.url)
    try:
        assert (await cd.hit("default", 9, 1, 0.2))[0] == 0
        wait, warn = await cd.hit("default", 9, 1, 0.2)
        assert wait > 0 and warn
        for _ in range(100):  # the key expires in Redis: poll until the next window opens
            await asyncio.sleep(0.05)
            result = await cd.hit("default", 9, 1, 0.2)
            if result == (0.0, False):
                break
        else:
            raise AssertionError("the window never ended")
    finally:
        await cd.link.close()


async def test_agrees_with_the_local_rule(redis_server):
    local, cd = UserCooldowns(4, 60), await _linked(redis_server.url)
    try:
        for _ in range(9):
            shared = await cd.hit("default", 5, 4, 60)
            mine = local.hit(5)
            assert (shared[0] > 0, shared[1]) == (mine[0] > 0, mine[1])
    finally:
        await cd.link.close()


async def test_zero_window_never_limits(redis_server):
    cd = await _linked(redis_server.url)
    try:
        assert all([await cd.hit("default", 3, 1, 0) == (0.0, False) for _ in range(4)])
    finally:
        await cd.link.close()


async def test_redis_down_means_local_and_one_log_line(redis_server, caplog):
    cd = await _linked(redis_server.url)
    redis_server.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.coordination"):
            results = [await cd.hit("default", 1, 2, 60) for _ in range(20)]
        assert results == [None] * 20
        lines = [r for r in caplog.records if "Redis at" in r.getMessage()]
        assert len(lines) == 1 and "lost" in lines[0].getMessage()
        assert "answering with this process's own index and cooldowns" in lines[0].getMessage()
    finally:
        await cd.link.close()
