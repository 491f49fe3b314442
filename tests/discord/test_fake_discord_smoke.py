"""Smoke test: the real discord.py client end to end against the fake Discord.

If a discord.py upgrade changes a route, a payload it requires or the gateway
handshake, these tests fail loudly.  They use a minimal bot defined here, not
the project's bot.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.support.fake_discord.payloads import FLAG_EPHEMERAL, MANAGE_GUILD, find_component
from tests.support.fake_discord.records import CB_AUTOCOMPLETE_RESULT, CB_CHANNEL_MESSAGE, CB_DEFERRED_CHANNEL_MESSAGE
from tests.support.fake_discord.server import CommandNotAvailable, FakeDiscord

FRUITS = ["Apple", "Banana", "Cherry", "Mango", "Orange"]


class PingView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message(f"pong again for {interaction.user.id}", ephemeral=True)


def make_bot() -> commands.Bot:
    bot = commands.Bot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        allowed_mentions=discord.AllowedMentions.none(),
    )

    @bot.tree.command(name="ping", description="Check the bot is alive")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        embed = discord.Embed(title="Pong", description="The bot is alive.")
        await interaction.followup.send(embed=embed, view=PingView())

    @bot.tree.command(name="fruit", description="Pick a fruit")
    @app_commands.describe(name="Fruit name")
    async def fruit(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"You picked {name}")

    @fruit.autocomplete("name")
    async def fruit_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUITS if current.lower() in f.lower()]

    @bot.tree.command(name="admin", description="Moderators only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def admin(interaction: discord.Interaction) -> None:
        perms = interaction.permissions
        await interaction.response.send_message(f"manage_guild={perms.manage_guild}", ephemeral=True)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.guild is None:
            await message.channel.send(f"DM received: {message.content}")
        elif bot.user in message.mentions:
            await message.reply("You rang?")

    return bot


@pytest.fixture
async def bot(fake_discord: FakeDiscord, start_bot) -> commands.Bot:
    """The smoke bot, running, with its commands synced to the default guild."""
    bot = make_bot()
    await start_bot(bot)
    guild = discord.Object(id=fake_discord.guild.id)
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    return bot


async def test_login_gateway_handshake_and_sync(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    # Login + READY + GUILD_CREATE populated the cache.
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert bot.application_id == fake.application_id
    guild = bot.get_guild(fake.guild.id)
    assert guild is not None and guild.owner_id == fake.owner.id
    assert guild.get_channel(fake.channel.id) is not None
    assert {r.name for r in guild.roles} == {"@everyone", "Moderators"}
    assert guild.me is not None  # without the members intent only the bot's own member is sent

    conn = fake.gateway.connections[0]
    assert conn.path == "/" and conn.query["encoding"] == "json" and conn.query["v"] == "10"
    # discord.py asks for a compressed stream; the fake answers in plain text frames.
    assert conn.query.get("compress") == discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
    assert fake.gateway.identify_count == 1
    assert fake.gateway.identify_payloads[0]["intents"] == discord.Intents.default().value

    puts = fake.requests_matching("PUT", rf"^/applications/{fake.application_id}/guilds/{fake.guild.id}/commands$")
    assert len(puts) == 1 and puts[0].status == 200
    assert {c["name"] for c in puts[0].json} == {"ping", "fruit", "admin"}
    assert {c["name"] for c in fake.rest.guild_commands[fake.guild.id]} == {"ping", "fruit", "admin"}

    for path in ("/api/v10/users/@me", "/api/v10/gateway/bot"):  # exact content type: discord.py compares with ==
        async with aiohttp.ClientSession() as session:
            async with session.get(fake.http_url + path, headers={"Authorization": "Bot fake-token"}) as resp:
                assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"


async def test_ping_defers_then_follows_up_and_button_works(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    ix = await fake.send_slash_command("ping")
    assert (await fake.wait_for_interaction_response(ix)).type == CB_DEFERRED_CHANNEL_MESSAGE

    followup = await fake.wait_for_followup(ix)
    assert followup.embeds[0]["title"] == "Pong"
    button = find_component(followup, label="Again")
    # After a defer the first follow-up fills the "thinking" message (same id).
    assert fake.original(ix) is followup and not followup.ephemeral

    click = await fake.click_button(followup, label="Again", user=fake.moderator)
    assert click.payload["data"]["custom_id"] == button["custom_id"]
    response = await fake.wait_for_interaction_response(click)
    assert response.type == CB_CHANNEL_MESSAGE
    assert response.data["content"] == f"pong again for {fake.moderator.id}"
    assert response.data["flags"] & FLAG_EPHEMERAL


async def test_autocomplete_and_command_options(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    ix = await fake.send_autocomplete("fruit", {"name": "an"}, focused="name")
    response = await fake.wait_for_interaction_response(ix)
    assert response.type == CB_AUTOCOMPLETE_RESULT
    assert [c["name"] for c in response.data["choices"]] == ["Banana", "Mango", "Orange"]

    ix = await fake.send_slash_command("fruit", {"name": "Mango"})
    assert (await fake.wait_for_original(ix)).content == "You picked Mango"


async def test_default_member_permissions_are_enforced_like_discord(fake_discord: FakeDiscord,
                                                                    bot: commands.Bot) -> None:
    fake = fake_discord
    with pytest.raises(CommandNotAvailable):
        await fake.send_slash_command("admin", user=fake.member)
    await bot.tree.sync()  # global too: /admin is guild-only (contexts [0]), so not usable in DMs
    with pytest.raises(CommandNotAvailable):
        await fake.send_slash_command("admin", user=fake.moderator, dm=True)
    for user in (fake.moderator, fake.owner):
        ix = await fake.send_slash_command("admin", user=user)
        assert (await fake.wait_for_original(ix)).content == "manage_guild=True"
    ix = await fake.send_slash_command("admin", user=fake.member, permissions=MANAGE_GUILD)
    assert (await fake.wait_for_original(ix)).ephemeral


async def test_mention_gets_a_reply_without_pings(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    # No MESSAGE_CONTENT intent: like Discord, content is blanked unless the bot is mentioned.
    plain = await fake.send_message("hello everyone")
    assert plain["content"] == ""

    mention = await fake.send_message(f"{fake.bot_user.mention} hello")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert reply.content == "You rang?"
    assert reply["message_reference"]["message_id"] == mention["id"]
    assert str(reply.body["message_reference"]["message_id"]) == mention["id"]
    assert reply.body["allowed_mentions"]["parse"] == []
    assert len(fake.channel_messages(fake.channel.id)) == 1  # nothing for the plain message


async def test_dm_message(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    await fake.send_message("hi there", dm=True, author=fake.member)
    reply = await fake.wait_for_channel_message(fake.dm_channel(fake.member).id)
    assert reply.content == "DM received: hi there"
    assert "guild_id" not in reply


async def test_dm_slash_command(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    # Global (not guild-synced) commands are the ones usable in DMs.
    await bot.tree.sync()
    ix = await fake.send_slash_command("fruit", {"name": "Apple"}, dm=True)
    assert "user" in ix.payload and "member" not in ix.payload and "guild_id" not in ix.payload
    assert (await fake.wait_for_original(ix)).content == "You picked Apple"


async def test_heartbeats_are_acked_and_regular(fake_discord: FakeDiscord, start_bot) -> None:
    fake = fake_discord
    fake.gateway.heartbeat_interval = 0.1
    bot = make_bot()
    await start_bot(bot)
    await fake.wait_for(lambda: len(fake.gateway.heartbeats) >= 6, timeout=5, what="6 heartbeats")
    gaps = fake.gateway.heartbeat_gaps
    assert max(gaps) < 0.5, gaps  # the event loop (and heartbeat thread) never stalled
    assert bot.latency < 1.0  # HEARTBEAT_ACKs reached the client


@pytest.mark.parametrize("code", [4000, 1006])
async def test_resumable_close_leads_to_resume(fake_discord: FakeDiscord, bot: commands.Bot, code: int) -> None:
    fake = fake_discord
    await fake.close_gateway(code)
    # Sent while disconnected: replayed after RESUME, like Discord.
    mention = await fake.send_message(f"{fake.bot_user.mention} are you back?")
    await fake.wait_for(lambda: fake.gateway.resumed_count == 1, what="a RESUME")
    assert fake.gateway.identify_count == 1
    assert fake.gateway.connections[-1].path == "/resume"  # resume_gateway_url from READY
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert reply["message_reference"]["message_id"] == mention["id"]

    ix = await fake.send_slash_command("fruit", {"name": "Cherry"})
    assert (await fake.wait_for_original(ix)).content == "You picked Cherry"


async def test_session_timeout_leads_to_new_identify(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    await fake.close_gateway(4009)
    await fake.wait_for(lambda: fake.gateway.identify_count == 2, what="a second IDENTIFY")
    assert fake.gateway.resume_count == 1 and fake.gateway.resumed_count == 0
    await fake.wait_for(bot.is_ready, what="READY again")
    ix = await fake.send_slash_command("ping")
    assert (await fake.wait_for_followup(ix)).embeds[0]["title"] == "Pong"


async def test_auth_failure_close_stops_the_bot(fake_discord: FakeDiscord, start_bot) -> None:
    running = await start_bot(make_bot())
    await fake_discord.close_gateway(4004)
    with pytest.raises(discord.ConnectionClosed) as info:
        await asyncio.wait_for(running.task, 5)
    assert info.value.code == 4004


async def test_rate_limited_followup_is_retried(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    rule = fake.fail_next("POST", r"^/webhooks/\d+/[^/]+$", 429, retry_after=0.3)
    ix = await fake.send_slash_command("ping")
    followup = await fake.wait_for_followup(ix)
    assert followup.embeds[0]["title"] == "Pong"
    attempts = fake.requests_matching("POST", r"^/webhooks/")
    assert rule.hits == 1 and [r.status for r in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.3


async def test_guard_rails(fake_discord: FakeDiscord, bot: commands.Bot) -> None:
    fake = fake_discord
    # Non-loopback traffic is refused before any connection is made.
    session = bot.http._HTTPClient__session  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="non-loopback"):
        await session.get("http://192.0.2.1/")
    # Unknown routes answer 404 JSON and are collected (the fixture fails on them by default).
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/no/such/route"))
    assert [r.path for r in fake.rest.unknown_requests] == ["/no/such/route"]
    fake.rest.unknown_requests.clear()
    # Interactions answered twice are rejected like Discord does.
    ix = await fake.send_slash_command("fruit", {"name": "Apple"})
    await fake.wait_for_original(ix)
    async with aiohttp.ClientSession() as s:
        url = f"{fake.api_base}/interactions/{ix.id}/{ix.token}/callback"
        async with s.post(url, data=json.dumps({"type": 4, "data": {"content": "x"}}),
                          headers={"Content-Type": "application/json"}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 40060


async def test_threads_known_at_start_and_started_from_a_message(fake_discord, start_bot):
    fake = fake_discord
    seen: list = []
    bot = discord.Client(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        seen.append(message.channel)
        if not isinstance(message.channel, discord.Thread):
            thread = await message.create_thread(name="about this")
            await thread.send("in the new thread")

    old = fake.add_thread("older thread")
    await start_bot(bot)
    assert isinstance(bot.get_channel(old.id), discord.Thread) and bot.get_channel(old.id).parent_id == fake.channel.id
    await fake.send_message(f"{fake.bot_user.mention} hi", channel_id=old.id)
    await fake.wait_for(lambda: seen, what="the message in the thread")
    assert isinstance(seen[0], discord.Thread) and seen[0].id == old.id

    message = await fake.send_message(f"{fake.bot_user.mention} start one")
    posted = await fake.wait_for_channel_message(int(message["id"]))   # a thread's id is its message's id
    assert posted.content == "in the new thread"
    await fake.wait_for(lambda: isinstance(bot.get_channel(int(message["id"])), discord.Thread), what="THREAD_CREATE")
    await fake.send_message(f"{fake.bot_user.mention} again", channel_id=int(message["id"]))
    await fake.wait_for(lambda: len(seen) == 3, what="the message in the new thread")
    assert isinstance(seen[2], discord.Thread) and seen[2].parent_id == fake.channel.id


async def test_a_teardown_step_that_hangs_fails_and_says_where_instead_of_holding_ci():
    from tests.support.fake_discord.runner import bounded

    async def never_done():
        await asyncio.Event().wait()

    with pytest.raises(AssertionError, match=r"(?s)bot.close\(\) did not finish in 0 s; tasks:\n.*never_done"):
        await bounded(never_done(), "bot.close()", seconds=0.05)
