"""Two processes' coordination (here two Coordination objects over two live indexes sharing one
corpus and index folder): a reload in one is adopted by the other; Redis down and back: each goes
on alone, logs once, then catches up."""
import asyncio
import logging
import shutil
import time

import pytest

from bot.coordination import coordinator as coordinator_module
from bot.coordination.coordinator import Coordination
from bot.coordination.versions import VersionRecord
from index.live import LiveIndex
from tests.conftest import CORPUS
from tests.support.corpus_edits import add_source

WAIT_LIMIT = 10.0


@pytest.fixture
def folders(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus, tmp_path / "index"


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch):
    monkeypatch.setattr(coordinator_module, "RETRY_SECONDS", 0.1)


def _live(corpus, index_dir) -> LiveIndex:
    live = LiveIndex(corpus, cache_dir=index_dir)
    live.load()
    return live


async def _until(predicate, what: str, limit: float = WAIT_LIMIT) -> float:
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not predicate():
        if loop.time() - started > limit:
            raise AssertionError(f"not within {limit} s: {what}")
        await asyncio.sleep(0.02)
    return loop.time() - started


async def _pair(url, corpus, index_dir, sync_seconds=30.0):
    a = Coordination(url, _live(corpus, index_dir), sync_seconds, label="a")
    b = Coordination(url, _live(corpus, index_dir), sync_seconds, label="b")
    await a.start()
    await b.start()
    return a, b


async def test_a_reload_in_one_is_adopted_by_the_other(redis_server, folders):
    corpus, index_dir = folders
    a, b = await _pair(redis_server.url, *folders)
    try:
        add_source(corpus)
        assert (await a.live.reload_async()).ok
        await a.published()
        new = a.live.current.corpus.content_hash
        delay = await _until(lambda: b.swaps == 1, "b swapped")
        print(f"adopted {delay:.3f} s after the publish")
        assert b.live.current.corpus.content_hash == new and b.live.current.loaded_from_cache and a.swaps == 0
    finally:
        await a.close()
        await b.close()


async def test_the_periodic_check_catches_a_missed_announcement(redis_server, folders):
    corpus, index_dir = folders
    a, b = await _pair(redis_server.url, corpus, index_dir, sync_seconds=1.0)
    try:
        await b._drop_pubsub()  # b hears nothing on the channel from now on ...
        b._pubsub = _Deaf()
        add_source(corpus)
        assert (await a.live.reload_async()).ok
        await a.published()
        new = a.live.current.corpus.content_hash
        await _until(lambda: b.live.current.corpus.content_hash == new, "b swapped by polling")
    finally:
        await a.close()
        await b.close()


class _Deaf:
    async def get_message(self, ignore_subscribe_messages=True, timeout=0.0):
        await asyncio.sleep(timeout)
        return None

    async def aclose(self):
        pass


async def test_redis_down_then_back(redis_server, folders, caplog):
    corpus, index_dir = folders
    caplog.set_level(logging.INFO, logger="bot.coordination")
    a, b = await _pair(redis_server.url, *folders)
    try:
        old = b.live.current.corpus.content_hash
        redis_server.stop()
        await _until(lambda: not a.link.up and not b.link.up, "both saw Redis go")
        add_source(corpus)
        assert (await a.live.reload_async()).ok
        await a.published()  # kept: Redis is down
        assert await a.cooldown("default", 1, 1, 60) is None  # cooldowns: local
        await asyncio.sleep(0.5)  # several reconnection attempts, none logged again
        assert b.live.current.corpus.content_hash == old
        redis_server.start()  # empty: no persistence
        new = a.live.current.corpus.content_hash
        await _until(lambda: b.live.current.corpus.content_hash == new, "b caught up after Redis returned")
        await _until(lambda: a.link.up and b.link.up, "both reconnected")
        lost = [r for r in caplog.records if "Redis at" in r.getMessage() and "lost" in r.getMessage()]
        back = [r for r in caplog.records if "reachable again" in r.getMessage()]
        assert len(lost) == 2 and len(back) == 2  # once per process each way
        assert (await a.cooldown("default", 1, 1, 60)) == (0.0, False)  # shared again
    finally:
        await a.close()
        await b.close()


async def test_a_process_started_without_redis_keeps_serving(folders, caplog):
    corpus, index_dir = folders
    caplog.set_level(logging.WARNING, logger="bot.coordination")
    c = Coordination("redis://127.0.0.1:9/0", _live(*folders), 30.0)
    try:
        await c.start()
        assert not c.link.up and await c.cooldown("default", 1, 1, 60) is None
        await c.published()  # no exception: kept for later
        await asyncio.sleep(0.3)
        assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1
    finally:
        await c.close()


async def test_an_announcement_it_cannot_load_is_refused_once(redis_server, folders, caplog):
    corpus, index_dir = folders
    caplog.set_level(logging.WARNING, logger="bot.coordination")
    a, b = await _pair(redis_server.url, *folders)
    try:
        served = b.live.current
        # a corpus this folder does not hold (another machine's, say)
        await a.board.publish(VersionRecord("f" * 64, time.time() + 1, "elsewhere"))
        await _until(lambda: a._refused == b._refused == "f" * 64, "both refused it")
        refusals = [r for r in caplog.records if "cannot swap" in r.getMessage()]
        await b.check()
        await b.check()
        assert b.live.current is served
        assert len(refusals) == 2 and "not the announced" in refusals[0].getMessage()
        assert len([r for r in caplog.records if "cannot swap" in r.getMessage()]) == 2  # not again
    finally:
        await a.close()
        await b.close()


async def test_a_process_started_on_a_newer_folder_publishes_it(redis_server, folders):
    corpus, index_dir = folders
    a = Coordination(redis_server.url, _live(corpus, index_dir), 30.0, label="a")
    await a.start()
    c = None
    try:
        old = a.live.current.corpus.content_hash
        add_source(corpus)  # edited on the host, no /reload
        c = Coordination(redis_server.url, _live(corpus, index_dir), 30.0, label="c")
        new = c.live.current.corpus.content_hash
        assert new != old
        await c.start()
        await _until(lambda: a.swaps == 1, "a swapped to the corpus c started on")
        assert a.live.current.corpus.content_hash == new and (await c.board.read()).by == "c"
    finally:
        await a.close()
        if c is not None:
            await c.close()
