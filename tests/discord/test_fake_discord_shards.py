"""The fake Discord speaks sharding as Discord does, and the bot runs several shards in one process
(discord.py's AutoShardedBot): IDENTIFY carries [shard_id, shard_count], each connection gets the
guilds of its shard, a guild's events go to its shard's connection, DMs to shard 0."""
from __future__ import annotations

import discord
from discord.ext import commands

from bot.config import Config
from bot.coordination.shards import ShardPlan
from bot.discord.client import ShardedQuoteBot, make_bot
from index.live import LiveIndex
from tests.support.fake_discord.gateway import shard_of


class Recorder(discord.AutoShardedClient):
    def __init__(self, **kwargs):
        super().__init__(intents=discord.Intents.default(), **kwargs)
        self.seen: list[tuple[str, int | None, int | None]] = []  # (content, guild id, shard id)

    async def on_message(self, message: discord.Message) -> None:
        shard = message.guild.shard_id if message.guild else None
        self.seen.append((message.content, message.guild.id if message.guild else None, shard))


async def test_identify_ready_and_routing_per_shard(fake_discord, start_bot):
    fake = fake_discord
    g0, g1 = fake.add_guild("zero", shard=(0, 2)), fake.add_guild("one", shard=(1, 2))
    assert shard_of(g0.id, 2) == 0 and shard_of(g1.id, 2) == 1
    client = Recorder(shard_count=2)
    await start_bot(client)
    assert sorted(tuple(p["shard"]) for p in fake.gateway.identify_payloads) == [(0, 2), (1, 2)]
    ready_guilds = {tuple(s.identify["shard"]): {int(f["d"]["id"]) for f in s.frames if f["t"] == "GUILD_CREATE"}
                    for s in fake.gateway.sessions.values()}
    assert g0.id in ready_guilds[(0, 2)] and g0.id not in ready_guilds[(1, 2)]
    assert g1.id in ready_guilds[(1, 2)] and g1.id not in ready_guilds[(0, 2)]
    assert {g.id for g in client.guilds} == {g.id for g in fake.guilds}  # together: every guild
    mention = f"<@{fake.bot_user.id}>"
    await fake.send_message(f"{mention} in one", guild_id=g1.id, channel_id=g1.text_channel.id)
    await fake.send_message(f"{mention} in zero", guild_id=g0.id, channel_id=g0.text_channel.id)
    await fake.send_message("a dm", dm=True)
    await fake.wait_for(lambda: len(client.seen) == 3, what="three messages")
    assert (f"{mention} in one", g1.id, 1) in client.seen and (f"{mention} in zero", g0.id, 0) in client.seen
    dm_session = fake.gateway.shards[0]
    assert any(f["t"] == "MESSAGE_CREATE" and f["d"]["content"] == "a dm" for f in dm_session.frames)
    assert not any(f["t"] == "MESSAGE_CREATE" and f["d"]["content"] == "a dm" for f in fake.gateway.shards[1].frames)
    assert len([c for c in fake.gateway.connections if c.closed_at is None]) == 2  # two connections at once


async def test_recommended_count_from_gateway_bot(fake_discord, start_bot):
    fake = fake_discord
    fake.recommended_shards = 3
    client = Recorder()  # no shard_count: discord.py asks GET /gateway/bot
    await start_bot(client)
    assert fake.requests_matching("GET", r"/gateway/bot$")
    assert sorted(tuple(p["shard"]) for p in fake.gateway.identify_payloads) == [(0, 3), (1, 3), (2, 3)]
    assert client.shard_count == 3


async def test_some_shards_only(fake_discord, start_bot):
    fake = fake_discord
    g1 = fake.add_guild("one", shard=(1, 4))
    client = Recorder(shard_count=4, shard_ids=[1, 3])
    await start_bot(client)
    assert sorted(tuple(p["shard"]) for p in fake.gateway.identify_payloads) == [(1, 4), (3, 4)]
    assert client.get_guild(g1.id) is not None
    assert all(shard_of(g.id, 4) in (1, 3) for g in client.guilds)


def test_make_bot_picks_the_client(tmp_path):
    live = LiveIndex(tmp_path)  # not loaded: only the client's kind is looked at
    config = Config(data_dir=tmp_path / "data")
    plain = make_bot(live, config, None, ShardPlan())
    assert type(plain).__name__ == "QuoteBot" and not isinstance(plain, commands.AutoShardedBot)
    some = make_bot(live, config, None, ShardPlan((0, 1), 4))
    assert isinstance(some, ShardedQuoteBot) and some.shard_ids == [0, 1] and some.shard_count == 4
    every = make_bot(live, config, None, ShardPlan(None, 0))
    assert isinstance(every, ShardedQuoteBot) and every.shard_count is None and every.shard_ids is None


async def test_quote_bot_answers_on_every_shard_and_in_dms(fake_discord, start_bot, corpus):
    fake = fake_discord
    g1 = fake.add_guild("one", shard=(1, 2), members=[fake.member])
    live = LiveIndex(corpus)
    live.load()
    config = Config(corpus_dir=corpus, data_dir=corpus.parent / "data", cooldown_rate=100)
    bot = make_bot(live, config, None, ShardPlan(None, 2))
    await start_bot(bot)
    await bot.tree.sync()
    for kwargs in ({"guild_id": g1.id}, {"guild_id": fake.guild.id}, {"dm": True}):
        ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"}, **kwargs)
        reply = await fake.wait_for_original(ix, timeout=10)
        assert "Rabe" in reply.embeds[0]["description"], kwargs


async def test_one_shard_reconnects_while_the_other_stays(fake_discord, start_bot):
    fake = fake_discord
    fake.add_guild("zero", shard=(0, 2))
    g1 = fake.add_guild("one", shard=(1, 2))
    client = Recorder(shard_count=2)
    await start_bot(client)
    zero = fake.gateway.shards[0]
    await fake.gateway.close(4000, shard=1)  # resumable: discord.py RESUMEs shard 1 alone
    await fake.send_message(f"<@{fake.bot_user.id}> while one was away", guild_id=g1.id, channel_id=g1.text_channel.id)
    await fake.wait_for(lambda: fake.gateway.resumed_count == 1, what="shard 1 resumed")
    await fake.wait_for(lambda: any(c.endswith("while one was away") for c, _, _ in client.seen), what="the replay")
    assert fake.gateway.shards[0] is zero and zero.ws is not None and not zero.ws.closed
    assert fake.gateway.identify_count == 2  # nobody identified again
