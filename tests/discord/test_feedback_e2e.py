"""Feedback on answers through the real discord.py client against the fake Discord: 👍/👎 under
every answer (slash and chat, with the pager on the same message), one vote per user changed in
place, a 👎 reason, votes after a restart, and what the answer record holds."""
from __future__ import annotations

import logging

from bot.store.records import GuildSettings
from tests.support.bot_harness import assert_never_pings, start_quote_bot
from tests.support.fake_discord.payloads import find_component
from tests.support.fake_discord.records import CB_UPDATE_MESSAGE

FB = r"fb:([0-9a-f]{16}):up"


def answer_id(message) -> str:
    up = next(c for row in message.components for c in row["components"] if c.get("custom_id", "").endswith(":up"))
    return up["custom_id"].split(":")[1]


async def recorded(fake, bot, aid: str):
    """The answer record (written just after the answer is sent)."""
    return await fake.wait_for(lambda: bot.store.store.answer(aid), what=f"the record of answer {aid}")


async def vote(fake, message, which: str, user):
    ix = await fake.click_button(message, custom_id=f"fb:{answer_id(message)}:{which}", user=user)
    return ix, await fake.wait_for_original(ix)


async def test_vote_change_and_reason_on_a_slash_answer(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    reply = await fake.wait_for_original(ix)
    aid = answer_id(reply)
    find_component(reply, label="More results")                       # the pager is on the same message
    store = bot.store.store
    record = await recorded(fake, bot, aid)
    assert record is not None and not record.declined and record.via == "slash"
    assert record.corpus_hash == bot.live.current.corpus.content_hash and record.corpus_hash
    assert record.guild_id == fake.guild.id and record.channel_id == fake.channel.id
    first_quote = reply.embeds[0]["description"]
    assert record.passage_ids and "john-rabe" in record.entities
    assert record.question is None and record.user_id is None         # logging is off by default

    _, thanks = await vote(fake, reply, "up", fake.member)
    assert thanks.ephemeral and "👍 is saved" in thanks.content
    assert store.user_vote(aid, fake.member.id).vote == 1
    _, prompt = await vote(fake, reply, "down", fake.member)          # changed, not a second vote
    assert prompt.ephemeral and "What was wrong" in prompt.content
    assert store.user_vote(aid, fake.member.id).vote == -1 and len(store.votes_for([aid])) == 1
    pick = await fake.choose_select(prompt, ["wrong-passage"], user=fake.member)
    done = await fake.wait_for_interaction_response(pick)
    assert done.type == CB_UPDATE_MESSAGE and "Wrong passage" in done.data["content"] and done.data["components"] == []
    assert store.user_vote(aid, fake.member.id).reason == "wrong-passage"
    await vote(fake, reply, "up", fake.moderator)                      # anyone may vote, once each
    assert sorted(v.vote for v in store.votes_for([aid])) == [-1, 1]

    # paging keeps the feedback buttons; only the asker pages
    click = await fake.click_button(reply, label="More results", user=fake.member)
    page = await fake.wait_for_interaction_response(click)
    assert page.data["embeds"][0]["description"] != first_quote
    assert find_component(page.data, custom_id=f"fb:{aid}:down")
    assert_never_pings(fake)


async def test_chat_answers_and_refusals_have_buttons_too(fake_discord, bot):
    fake = fake_discord
    await fake.send_message(f"{fake.bot_user.mention} when did japan attack shanghai")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    record = await recorded(fake, bot, answer_id(reply))
    assert record.via == "mention" and record.passage_ids
    await fake.send_message("what is the recipe for dumplings", dm=True)
    refusal = await fake.wait_for_channel_message(fake.dm_channel(fake.member).id)
    assert "Not in my sources" in refusal.content
    record = await recorded(fake, bot, answer_id(refusal))
    assert record.declined and record.guild_id is None and record.passage_ids == ()
    _, thanks = await vote(fake, refusal, "down", fake.member)
    assert "What was wrong" in thanks.content


async def test_votes_work_after_a_restart(fake_discord, start_bot, corpus):
    fake = fake_discord
    first = await start_quote_bot(fake, start_bot, corpus)
    ix = await fake.send_slash_command("ask", {"question": "Who was Minnie Vautrin?"})
    reply = await fake.wait_for_original(ix)
    aid = answer_id(reply)
    await first.close()
    second = await start_quote_bot(fake, start_bot, corpus)             # a new process: nothing in memory
    _, thanks = await vote(fake, reply, "down", fake.member)
    assert "What was wrong" in thanks.content
    pick = await fake.choose_select(thanks, ["misleading"], user=fake.member)
    assert (await fake.wait_for_interaction_response(pick)).type == CB_UPDATE_MESSAGE
    row = second.store.store.user_vote(aid, fake.member.id)
    assert (row.vote, row.reason) == (-1, "misleading")


async def test_logged_question_where_the_server_turned_logging_on(fake_discord, bot, patient_settings_reads):
    fake = fake_discord
    bot.store.store.save_settings(GuildSettings(fake.guild.id, log_questions=True))
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"}, user=fake.moderator)
    record = await recorded(fake, bot, answer_id(await fake.wait_for_original(ix)))
    rows = bot.store.store.answers_since(fake.guild.id, 0)
    assert [(r.question, r.user_id) for r in rows if r.id == record.id] == [("Who was John Rabe?", fake.moderator.id)]


async def test_storage_fault_keeps_the_bot_answering(fake_discord, start_bot, corpus, tmp_path, caplog):
    fake = fake_discord
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    await start_quote_bot(fake, start_bot, corpus, data_dir=blocker / "data")
    for question in ("Who was John Rabe?", "Who was Minnie Vautrin?"):
        ix = await fake.send_slash_command("ask", {"question": question})
        reply = await fake.wait_for_original(ix)
        assert reply.embeds and answer_id(reply)
    ix, sorry = await vote(fake, reply, "up", fake.member)
    assert sorry.ephemeral and "couldn't save your vote" in sorry.content
    await fake.send_message(f"{fake.bot_user.mention} who plays Kadokawa?")
    assert (await fake.wait_for_channel_message(fake.channel.id)).embeds
    warnings = [r.getMessage() for r in caplog.records
                if r.name == "bot.store.guarded" and r.levelno == logging.WARNING]
    kinds = [w.split(" (")[0] for w in warnings]
    assert len(kinds) == len(set(kinds)) and any("store an answer record" in w for w in warnings)


_LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


async def test_database_locked_by_another_process_while_answering(fake_discord, start_bot, corpus, caplog):
    import subprocess
    import sys

    fake = fake_discord
    bot = await start_quote_bot(fake, start_bot, corpus)
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    before = await fake.wait_for_original(ix)
    await recorded(fake, bot, answer_id(before))
    db_file = corpus.parent / "data" / "bot.sqlite3"
    locker = subprocess.Popen([sys.executable, "-c", _LOCKER, str(db_file)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        for question in ("Who was Minnie Vautrin?", "who plays Kadokawa?"):    # answers go on, in time
            ix = await fake.send_slash_command("ask", {"question": question})
            assert (await fake.wait_for_original(ix)).embeds
        click = await fake.click_button(before, custom_id=f"fb:{answer_id(before)}:up", user=fake.member)
        sorry = await fake.wait_for_followup(click, timeout=10)               # deferred, then told
        assert "couldn't save your vote" in sorry.content
    finally:
        locker.communicate("\n", timeout=10)
    warnings = [r.getMessage() for r in caplog.records
                if r.name == "bot.store.guarded" and r.levelno == logging.WARNING]
    assert any("locked" in w for w in warnings) and len(warnings) == len({w.split(" (")[0] for w in warnings})
    assert bot.store.store.answer(answer_id(before)) is not None                 # nothing stored was lost
    await vote(fake, before, "up", fake.member)
    assert bot.store.store.user_vote(answer_id(before), fake.member.id).vote == 1
