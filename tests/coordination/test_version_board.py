"""The published index version: a newer record replaces an older one and is announced; an older
one never replaces a newer one (a process that reloaded while Redis was down catches up)."""
import pytest

from bot.coordination.link import ERRORS, RedisLink, where
from bot.coordination.versions import CHANNEL, VersionBoard, VersionRecord


async def test_publish_newer_wins_older_is_refused(redis_server):
    link = RedisLink(redis_server.url)
    board = VersionBoard(link.client)
    pubsub = link.client.pubsub()
    try:
        await pubsub.subscribe(CHANNEL)
        assert await board.read() is None
        assert await board.publish(VersionRecord("aaa", 100.0, "p1"))
        assert await board.read() == VersionRecord("aaa", 100.0, "p1")
        assert not await board.publish(VersionRecord("bbb", 99.5, "p2"))
        assert not await board.publish(VersionRecord("bbb", 100.0, "p2"))  # a tie keeps the first
        assert await board.publish(VersionRecord("ccc", 100.25, "p3"))
        assert await board.read() == VersionRecord("ccc", 100.25, "p3")
        announced = []
        for _ in range(50):
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
            if message:
                announced.append(message["data"])
            if len(announced) == 2:
                break
        assert announced == ["aaa", "ccc"]
    finally:
        await pubsub.aclose()
        await link.close()


async def test_a_foreign_record_reads_as_none(redis_server):
    link = RedisLink(redis_server.url)
    try:
        await link.client.hset("nanking-bot:index:current", mapping={"at": "soon"})
        assert await VersionBoard(link.client).read() is None
    finally:
        await link.close()


def test_where_never_shows_the_password():
    assert where("redis://:s3cret@redis.example:6380/2") == "redis.example:6380/2"
    assert where("redis://localhost") == "localhost:6379/0"
    assert "s3cret" not in where("redis://user:s3cret@h/0")


async def test_unreachable_fails_instead_of_waiting():
    link = RedisLink("redis://127.0.0.1:9/0")  # nothing listens on port 9
    try:
        with pytest.raises(ERRORS):
            await link.ping()
    finally:
        await link.close()
