"""Moderators' and users' controls through the real discord.py client against the fake Discord:
/insights with its CSV (and its refusal for members), /settings changing where the bot answers,
/privacy, /forget-me removing a user's rows, retention deleting old rows, and the "Ask about this
message" context menu."""
from __future__ import annotations

import asyncio
import csv
import io

import pytest

from bot.store.records import GuildSettings
from tests.support.bot_harness import assert_never_pings, start_quote_bot
from tests.support.fake_discord.payloads import Channel, snowflake
from tests.support.fake_discord.server import CommandNotAvailable

DAY = 86400.0
pytestmark = pytest.mark.usefixtures("patient_settings_reads")   # these tests check what settings do


def answer_id(message) -> str:
    return next(c["custom_id"] for row in message.components for c in row["components"]
                if c.get("custom_id", "").startswith("fb:")).split(":")[1]


async def ask(fake, bot, question: str, user) -> str:
    ix = await fake.send_slash_command("ask", {"question": question}, user=user)
    aid = answer_id(await fake.wait_for_original(ix))
    await fake.wait_for(lambda: bot.store.store.answer(aid), what="the answer record")
    return aid


async def test_insights_with_csv_for_moderators_only(fake_discord, bot):
    fake = fake_discord
    bot.store.store.save_settings(GuildSettings(fake.guild.id, log_questions=True))
    rabe = await ask(fake, bot, "Who was John Rabe?", fake.member)
    await ask(fake, bot, "what is the recipe for dumplings", fake.member)
    await ask(fake, bot, "What is the recipe for  Dumplings", fake.moderator)
    await ask(fake, bot, "who plays Kadokawa?", fake.member)
    store = bot.store.store
    store.vote(rabe, fake.member.id, -1, "misleading")
    store.vote(rabe, fake.moderator.id, -1, "misleading")

    ix = await fake.send_slash_command("insights", {"period": 7}, user=fake.moderator)
    reply = await fake.wait_for_followup(ix)
    assert reply.ephemeral
    embed = reply.embeds[0]
    assert "**4** questions, **50%** answered" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "2× “what is the recipe for dumplings”" in fields["Declined most often"]
    assert "👎 2 / 👍 0 (Misleading without context ×2)" in fields["Voted down most often"]
    voted_down = fields["Voted down most often"]
    assert "John Rabe" in voted_down and "asked: “who was john rabe?”" in voted_down
    assert "Kadokawa Masao (1)" in fields["Asked about most"]
    upload = next(r for r in fake.requests if r.files)
    assert upload.files[0].filename == "insights.csv" and reply["attachments"][0]["filename"] == "insights.csv"
    rows = list(csv.DictReader(io.StringIO(upload.files[0].data.decode("utf-8"))))
    assert len(rows) == 4 and {r["question"] for r in rows} >= {"Who was John Rabe?", "who plays Kadokawa?"}
    assert [r["votes_down"] for r in rows if r["answer_id"] == rabe] == ["2"]

    with pytest.raises(CommandNotAvailable):
        await fake.send_slash_command("insights", user=fake.member)
    ix = await fake.send_slash_command("insights", user=fake.member, check_available=False)
    refusal = await fake.wait_for_original(ix)
    assert refusal.ephemeral and "moderators only" in refusal.content
    assert_never_pings(fake)


async def test_insights_without_question_logging_shows_no_text(fake_discord, bot):
    fake = fake_discord
    await ask(fake, bot, "what is the recipe for dumplings", fake.member)
    ix = await fake.send_slash_command("insights", user=fake.moderator)
    embed = (await fake.wait_for_followup(ix)).embeds[0]
    declined = next(f["value"] for f in embed["fields"] if f["name"] == "Declined most often")
    assert "Question logging is off" in declined and "dumplings" not in str(embed)


async def test_settings_change_where_mentions_are_answered(fake_discord, start_bot, corpus):
    fake = fake_discord
    other = Channel(id=snowflake(), name="questions", guild_id=fake.guild.id, position=1)
    fake.guild.channels.append(other)
    bot = await start_quote_bot(fake, start_bot, corpus)
    ix = await fake.send_slash_command("settings", {"mention_channels": other.mention, "question_logging": True},
                                       user=fake.moderator)
    saved = await fake.wait_for_original(ix)
    assert saved.ephemeral and "Settings saved" in saved.content and "Question logging:** on" in saved.content
    assert bot.store.store.settings(fake.guild.id).mention_channels == frozenset({other.id})

    await fake.send_message(f"{fake.bot_user.mention} Who was John Rabe?")               # #general: not any more
    await fake.send_message(f"{fake.bot_user.mention} Who was John Rabe?", channel_id=other.id)
    assert (await fake.wait_for_channel_message(other.id)).embeds
    await asyncio.sleep(0.2)
    assert fake.channel_messages(fake.channel.id) == []

    ix = await fake.send_slash_command("settings", {"mention_channels": "all"}, user=fake.moderator)
    assert "every channel" in (await fake.wait_for_original(ix)).content
    await fake.send_message(f"{fake.bot_user.mention} Who was John Rabe?")
    assert (await fake.wait_for_channel_message(fake.channel.id)).embeds

    for options, error in (({"mention_channels": "#nowhere"}, "#channel mentions"),
                           ({"mention_channels": "<#123456789012345678>"}, "not channels of this server"),
                           ({"cooldown_seconds": 10}, "only be stricter")):   # the global window is 60 s
        ix = await fake.send_slash_command("settings", options, user=fake.moderator)
        assert error in (await fake.wait_for_original(ix)).content
    ix = await fake.send_slash_command("settings", {"cooldown_rate": 1, "cooldown_seconds": 120}, user=fake.moderator)
    assert "1 questions per 120 s" in (await fake.wait_for_original(ix)).content
    ix = await fake.send_slash_command("settings", user=fake.member, check_available=False)
    assert "moderators only" in (await fake.wait_for_original(ix)).content


async def test_a_server_cooldown_is_applied(fake_discord, bot):
    fake = fake_discord
    bot.store.store.save_settings(GuildSettings(fake.guild.id, cooldown_rate=1, cooldown_seconds=600))
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert (await fake.wait_for_original(ix)).embeds
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert "Try again in" in (await fake.wait_for_original(ix)).content


async def test_privacy_and_forget_me(fake_discord, bot):
    fake = fake_discord
    store = bot.store.store
    store.save_settings(GuildSettings(fake.guild.id, log_questions=True))
    mine = [await ask(fake, bot, q, fake.member) for q in ("Who was John Rabe?", "Who was Minnie Vautrin?")]
    theirs = await ask(fake, bot, "who plays Kadokawa?", fake.moderator)
    store.vote(mine[0], fake.member.id, 1)
    store.vote(theirs, fake.member.id, -1)
    store.vote(theirs, fake.moderator.id, 1)

    ix = await fake.send_slash_command("privacy")
    text = (await fake.wait_for_original(ix)).embeds[0]["description"]
    assert "in this server it is **on**" in text and "30 days" in text and "**2** votes, **2** logged questions" in text
    ix = await fake.send_slash_command("forget-me")
    done = await fake.wait_for_followup(ix)
    assert done.ephemeral and "deleted 2 votes and 2 logged questions" in done.content
    assert store.user_counts(fake.member.id) == (0, 0)
    assert store.user_counts(fake.moderator.id) == (1, 1)                     # nobody else's rows
    assert all(store.answer(a) is not None for a in mine)                    # answer records hold no user


async def test_retention_deletes_old_rows(fake_discord, bot):
    fake = fake_discord
    store = bot.store.store
    store.save_settings(GuildSettings(fake.guild.id, log_questions=True, retention_days=7))
    old = await ask(fake, bot, "Who was John Rabe?", fake.member)
    store.vote(old, fake.member.id, 1)
    real_clock = store.clock
    store.clock = lambda: real_clock() + 6 * DAY                              # six days later: a new answer
    new = await ask(fake, bot, "Who was Minnie Vautrin?", fake.member)
    store.clock = lambda: real_clock() + 8 * DAY                              # eight days after the first
    privacy = bot.get_cog("Privacy")
    assert privacy.retention.is_running()                                    # the periodic task runs this
    assert await privacy.enforce_retention() == 1
    assert store.answer(old) is None and store.user_vote(old, fake.member.id) is None
    assert store.answer(new) is not None and store.user_counts(fake.member.id) == (0, 1)


async def test_ask_about_this_message(fake_discord, bot):
    fake = fake_discord
    await fake.send_message("Who was John Rabe? I keep hearing about him", author=fake.moderator)
    message = fake.user_messages[-1]   # as sent: an interaction's target message has its content, intent or not
    ix = await fake.send_context_menu("Ask about this message", message, user=fake.member)
    reply = await fake.wait_for_followup(ix)
    assert reply.ephemeral and "John Rabe" in reply.embeds[0]["description"]
    aid = answer_id(reply)
    record = await fake.wait_for(lambda: bot.store.store.answer(aid), what="the record")
    assert record.via == "menu"
    empty = await fake.send_message("", author=fake.moderator, embeds=[{"title": "only an embed"}])
    ix = await fake.send_context_menu("Ask about this message", empty, user=fake.member)
    assert "no text" in (await fake.wait_for_original(ix)).content
    assert fake.channel_messages(fake.channel.id) == []                     # nothing public
