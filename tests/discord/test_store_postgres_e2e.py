"""The real client with its store on PostgreSQL: answers and votes land in the database another
process reads; a server that refuses the bot's password is named at start while the bot keeps
answering, tells voters their vote was not saved, and writes nothing."""
from __future__ import annotations

import logging

from bot.render.replies import VOTE_NOT_SAVED, VOTE_UP_SAVED
from bot.store import Store
from tests.support.bot_harness import start_quote_bot


def _answer_id(message) -> str:
    up = next(c for row in message.components for c in row["components"] if c.get("custom_id", "").endswith(":up"))
    return up["custom_id"].split(":")[1]


async def _ask_and_vote(fake) -> tuple[str, str]:
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    reply = await fake.wait_for_original(ix)
    assert reply.embeds, "the bot did not answer"
    aid = _answer_id(reply)
    click = await fake.click_button(reply, custom_id=f"fb:{aid}:up", user=fake.member)
    return aid, (await fake.wait_for_original(click)).content


async def test_answers_and_votes_go_to_postgres(fake_discord, start_bot, corpus, pg_url):
    fake = fake_discord
    bot = await start_quote_bot(fake, start_bot, corpus, database_url=pg_url)
    aid, thanks = await _ask_and_vote(fake)
    assert thanks == VOTE_UP_SAVED
    other = Store(pg_url)            # what another process on the same database reads
    record = await fake.wait_for(lambda: other.answer(aid), what="the answer record in PostgreSQL")
    assert record.via == "slash" and record.corpus_hash == bot.live.current.corpus.content_hash
    assert other.user_vote(aid, fake.member.id).vote == 1
    other.close()


async def test_a_refused_password_is_named_at_start_and_answers_go_on(fake_discord, start_bot, corpus, postgres,
                                                                     pg_url, caplog):
    fake = fake_discord
    wrong = postgres.url(pg_url.rsplit("/", 1)[1], password="not-the-password")
    await start_quote_bot(fake, start_bot, corpus, database_url=wrong)
    at_start = [r.getMessage() for r in caplog.records
                if r.levelno >= logging.WARNING and r.name.startswith("bot.store")]
    assert at_start and "open the database" in at_start[0]     # then once per kind of operation (the purge)
    assert all("refused the user name or password" in w and "not-the-password" not in w for w in at_start)
    aid, sorry = await _ask_and_vote(fake)
    assert sorry == VOTE_NOT_SAVED
    right = Store(pg_url)
    assert right.answer(aid) is None and right.user_counts(fake.member.id) == (0, 0)
    right.close()
