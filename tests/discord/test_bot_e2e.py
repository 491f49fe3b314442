"""The project's bot through the real discord.py client against the fake Discord.

/ask (direct and deferred), "More results" paging and its owner check, mentions and DMs, ignored
messages, cooldowns, /timeline and its autocomplete, /sources, /help, /reload for moderators
(valid and broken corpora) and its refusal for others, and no pings anywhere.
"""
from __future__ import annotations

import asyncio
import re
import sys

import pytest

from tests.support.bot_harness import assert_never_pings, start_quote_bot
from tests.support.fake_discord.payloads import Role, User, find_component, snowflake
from tests.support.fake_discord.records import CB_CHANNEL_MESSAGE, CB_DEFERRED_CHANNEL_MESSAGE, CB_UPDATE_MESSAGE
from tests.support.fake_discord.server import CommandNotAvailable

PING = re.compile(r"@[*_~`|\\]*(everyone|here)|<@[!&]?\d+>")


def all_text(message) -> str:
    parts = [message.content or ""]
    for e in message.embeds:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text", "")]
        parts += [f["name"] + " " + f["value"] for f in e.get("fields", [])]
    return "\n".join(parts)


# --- /ask ------------------------------------------------------------------------------------

async def test_ask_quotes_with_attribution_and_pages(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert (await fake.wait_for_interaction_response(ix)).type == CB_CHANNEL_MESSAGE
    reply = await fake.wait_for_original(ix)
    assert not reply.ephemeral
    first = reply.embeds[0]
    assert "**John Rabe**" in first["description"] and first["description"].startswith("“")
    assert first["footer"]["text"].startswith("— ") and "documentary" in first["footer"]["text"]
    assert any(f["name"] == "Note" for f in first["fields"])  # the source's context note
    more = find_component(reply, label="More results")
    assert not more.get("disabled")

    # the asker pages forward: the message is updated in place with other quotes
    click = await fake.click_button(reply, label="More results", user=fake.member)
    response = await fake.wait_for_interaction_response(click)
    assert response.type == CB_UPDATE_MESSAGE
    assert response.data["embeds"] and response.data["embeds"][0]["description"] != first["description"]
    assert response.data["allowed_mentions"] == {"parse": []}

    # someone else may not page it (the message now shows page 2: "Previous" is enabled)
    other = await fake.click_button(reply, label="Previous", user=fake.moderator)
    refusal = await fake.wait_for_interaction_response(other)
    assert refusal.type == CB_CHANNEL_MESSAGE and refusal.data["flags"] & 64
    assert "Only the person who asked" in refusal.data["content"]
    assert_never_pings(fake)


async def test_ask_not_in_sources_is_private_and_helpful(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("ask", {"question": "what is the recipe for dumplings"})
    reply = await fake.wait_for_original(ix)
    assert reply.ephemeral and not reply.embeds
    assert "Not in my sources" in reply.content and "/timeline" in reply.content
    assert "They never mention “recipe dumplings”." in reply.content   # says why
    assert "City of Life and Death" in reply.content  # says what it does know about


async def test_a_question_is_read_in_its_conversation_off_the_event_loop(fake_discord, bot, monkeypatch):
    """Reading a follow-up (its names, its language, its pronouns) takes milliseconds for a long
    question: it runs on the worker thread with the search, not on the event loop."""
    import threading
    replying = sys.modules["bot.discord.replying"]
    real, threads = replying.resolve, []

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(replying, "resolve", recording)
    ix = await fake_discord.send_slash_command("ask", {"question": "Who was John Rabe?"})
    await fake_discord.wait_for_original(ix)
    assert threads and threading.main_thread() not in threads


async def test_slow_answer_is_deferred_then_followed_up(fake_discord, bot, monkeypatch):
    fake = fake_discord
    ask_module = sys.modules["bot.discord.cogs.ask"]  # the module discord.py loaded as an extension
    replying = sys.modules["bot.discord.replying"]
    monkeypatch.setattr(ask_module, "DEFER_AFTER", 0.05)
    real = replying.answer_resolved

    def slow(*args, **kwargs):
        import time
        time.sleep(0.3)  # on the worker thread: the event loop stays free
        return real(*args, **kwargs)

    monkeypatch.setattr(replying, "answer_resolved", slow)
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert (await fake.wait_for_interaction_response(ix)).type == CB_DEFERRED_CHANNEL_MESSAGE
    followup = await fake.wait_for_followup(ix)
    assert "John Rabe" in followup.embeds[0]["description"]

    # a deferred refusal is replaced by a private message
    ix = await fake.send_slash_command("ask", {"question": "what is the recipe for dumplings"})
    assert (await fake.wait_for_interaction_response(ix)).type == CB_DEFERRED_CHANNEL_MESSAGE
    followup = await fake.wait_for_followup(ix)
    assert followup.ephemeral and "Not in my sources" in followup.content
    await fake.wait_for(lambda: fake.requests_matching("DELETE", r"/messages/@original$"),
                        what="the public placeholder deleted")


async def test_empty_question(fake_discord, bot):
    ix = await fake_discord.send_slash_command("ask", {"question": "   "})
    reply = await fake_discord.wait_for_original(ix)
    assert reply.ephemeral and "Please ask a question" in reply.content


# --- chat ------------------------------------------------------------------------------------

async def test_mention_in_channel_gets_a_reply(fake_discord, bot):
    fake = fake_discord
    message = await fake.send_message(f"{fake.bot_user.mention} when did japan attack shanghai")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert str(reply["message_reference"]["message_id"]) == str(message["id"])
    assert "**Japanese attack Shanghai**" in reply.embeds[0]["description"]
    assert "August 13" in reply.embeds[0]["title"] and "year inferred" in reply.embeds[0]["title"]
    assert reply.body["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_dm_gets_a_reply_and_other_messages_are_ignored(fake_discord, bot):
    fake = fake_discord
    await fake.send_message("just chatting with friends about John Rabe")  # not addressed to the bot
    await fake.send_message("Who was Minnie Vautrin?", dm=True, author=fake.member)
    reply = await fake.wait_for_channel_message(fake.dm_channel(fake.member).id)
    assert "Vautrin" in all_text(reply)
    await asyncio.sleep(0.2)
    assert fake.channel_messages(fake.channel.id) == []


async def test_mention_without_question_gets_a_hint(fake_discord, bot):
    fake = fake_discord
    await fake.send_message(f"{fake.bot_user.mention}")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert "Ask me a question" in reply.content


async def test_a_greeting_gets_what_the_bot_does_and_is_not_counted_as_a_question(fake_discord, bot):
    from bot.answering.reasons import CHAT_REPLY

    fake = fake_discord
    await fake.send_message(f"{fake.bot_user.mention} hi bot! 👋")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert CHAT_REPLY in reply.content and "Not in my sources" not in reply.content
    assert "/timeline" in reply.content and not reply.components     # nothing to vote on
    await fake.send_message(f"{fake.bot_user.mention} who was john rabe")
    await fake.wait_for(lambda: len(fake.channel_messages(fake.channel.id)) == 2, what="the answer")
    records = await fake.wait_for(lambda: bot.store.store.answers_since(fake.guild.id, 0), what="its record")
    assert len(records) == 1 and records[0].passage_ids     # the question, not the greeting


async def test_cooldown_warns_once_per_window(fake_discord, start_bot, corpus):
    fake = fake_discord
    await start_quote_bot(fake, start_bot, corpus, cooldown_rate=2, cooldown_seconds=60.0)
    for _ in range(5):
        await fake.send_message(f"{fake.bot_user.mention} Who was John Rabe?")
    await fake.wait_for(lambda: len(fake.channel_messages(fake.channel.id)) >= 3, what="3 replies")
    await asyncio.sleep(0.3)
    messages = fake.channel_messages(fake.channel.id)
    assert len(messages) == 3  # two answers, one friendly cooldown message, then silence
    assert sum("Try again in" in m.content for m in messages) == 1
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    reply = await fake.wait_for_original(ix)  # a slash command must always be answered
    assert reply.ephemeral and "cooling down" in reply.content.lower()


# --- /timeline, /sources, /help ----------------------------------------------------------------

async def test_timeline_by_date_words_and_nothing(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("timeline", {"query": "Aug 1946 - Feb 1947"})
    reply = await fake.wait_for_original(ix)
    text = reply.embeds[0]["description"]
    assert "Nanking War Trials" in text and "Tokyo Trials" in text
    # the entry of exactly those months first, then the one around them
    assert text.index("Aug 1946") < text.index("May 3, 1946")

    ix = await fake.send_slash_command("timeline", {"query": "safety zone"})
    assert "year inferred" in (await fake.wait_for_original(ix)).embeds[0]["description"]

    ix = await fake.send_slash_command("timeline", {"query": "Dec 13 1950"})
    reply = await fake.wait_for_original(ix)
    assert reply.ephemeral and "No timeline entry" in reply.content and "Nearest" in reply.content

    ix = await fake.send_slash_command("timeline", {"query": "Feb 30"})
    assert "not a valid date" in (await fake.wait_for_original(ix)).content


async def test_timeline_by_a_date_written_as_other_languages_write_it(fake_discord, bot):
    fake = fake_discord
    for query in ("13. Dezember 1937", "13 de diciembre de 1937", "1937年12月13日"):
        ix = await fake.send_slash_command("timeline", {"query": query})
        text = (await fake.wait_for_original(ix)).embeds[0]["description"]
        assert text.index("December 13th") < text.index("December 1937"), query   # that day first
    ix = await fake.send_slash_command("timeline", {"query": "1937年2月30日"})
    assert "not a valid date" in (await fake.wait_for_original(ix)).content


async def test_whole_timeline_in_pages(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("timeline")
    reply = await fake.wait_for_original(ix)
    assert "page 1/" in reply.embeds[0]["footer"]["text"]
    click = await fake.click_button(reply, label="More results", user=fake.member)
    page2 = await fake.wait_for_interaction_response(click)
    assert "page 2/" in page2.data["embeds"][0]["footer"]["text"]


async def test_a_request_for_the_timeline_gets_the_timeline(fake_discord, bot):
    """"show me the timeline" by mention, and "/ask timeline of the safety zone": the timeline as
    /timeline gives it (pages, a pager for its asker), not quotes found for the word."""
    fake = fake_discord
    await fake.send_message(f"{fake.bot_user.mention} show me the timeline")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert "page 1/" in reply.embeds[0]["footer"]["text"]
    click = await fake.click_button(reply, label="More results", user=fake.member)
    page2 = await fake.wait_for_interaction_response(click)
    assert "page 2/" in page2.data["embeds"][0]["footer"]["text"]
    ix = await fake.send_slash_command("ask", {"question": "timeline of the safety zone"})
    reply = await fake.wait_for_original(ix)
    assert not reply.ephemeral and "Safety Zone" in reply.embeds[0]["description"]
    assert "year inferred" in reply.embeds[0]["description"]
    ix = await fake.send_slash_command("ask", {"question": "timeline for Dec 13 1950"})
    reply = await fake.wait_for_original(ix)
    assert reply.ephemeral and "No timeline entry" in reply.content


async def test_a_request_for_the_sources_gets_them(fake_discord, bot):
    """"what are your sources?" by mention or /ask: the sources as /sources lists them, not
    "Not in my sources: they never mention “sources”"."""
    fake = fake_discord
    ix = await fake.send_slash_command("sources")
    listed = (await fake.wait_for_original(ix)).embeds
    await fake.send_message(f"{fake.bot_user.mention} what are your sources?")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert reply.embeds == listed and "Not in my sources" not in reply.content
    ix = await fake.send_slash_command("ask", {"question": "Welche Quellen nutzt du?"})
    assert (await fake.wait_for_original(ix)).embeds == listed


async def test_timeline_autocomplete(fake_discord, bot):
    fake = fake_discord
    for typed in ("", "dec", "saf", "1946", "\u200b@everyone" * 50):
        ix = await fake.send_autocomplete("timeline", {"query": typed}, focused="query")
        choices = (await fake.wait_for_interaction_response(ix)).data["choices"]
        assert len(choices) <= 25
        assert all(0 < len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
        if typed == "saf":
            assert choices and "Safety" in choices[0]["name"]


async def test_sources_and_help(fake_discord, bot):
    fake = fake_discord
    ix = await fake.send_slash_command("sources")
    embed = (await fake.wait_for_original(ix)).embeds[0]
    names = [f["name"] for f in embed["fields"]]
    assert "City of Life and Death" in names and len(names) == 3
    assert any("disputes" in f["value"] for f in embed["fields"])
    ix = await fake.send_slash_command("help")
    reply = await fake.wait_for_original(ix)
    assert reply.ephemeral and "/ask" in reply.embeds[0]["description"]


# --- /reload -----------------------------------------------------------------------------------

async def test_reload_by_moderator_valid_then_broken(fake_discord, bot, corpus):
    fake = fake_discord
    ix = await fake.send_slash_command("reload", user=fake.moderator)
    assert (await fake.wait_for_interaction_response(ix)).type == CB_DEFERRED_CHANNEL_MESSAGE
    reply = await fake.wait_for_followup(ix)
    assert reply.ephemeral and "Reloaded in" in reply.content and "Before:" in reply.content

    (corpus / "timeline.yaml").write_text("- id: t1\n  source: nowhere\n  date_text: x\n", encoding="utf-8")
    ix = await fake.send_slash_command("reload", user=fake.moderator)
    reply = await fake.wait_for_followup(ix)
    assert "still serving the previous corpus" in reply.content
    assert "timeline.yaml:" in reply.content

    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert "John Rabe" in (await fake.wait_for_original(ix)).embeds[0]["description"]


async def test_reload_refused_for_members_whatever_their_role_names(fake_discord, start_bot, corpus):
    fake = fake_discord
    fake_mods = Role(snowflake(), "Moderators", 0, position=2)  # a name proves nothing
    helpers = Role(snowflake(), "Helpers", 0, position=3)
    fake.guild.roles += [fake_mods, helpers]
    pretender, helper = User.new("pretender"), User.new("helper")
    fake.add_member(pretender, roles=[fake_mods.id])
    fake.add_member(helper, roles=[helpers.id])
    await start_quote_bot(fake, start_bot, corpus, moderator_role_ids=frozenset({helpers.id}))

    with pytest.raises(CommandNotAvailable):  # Discord's hint hides it from members
        await fake.send_slash_command("reload", user=fake.member)
    # a server that overrides the hint still meets the bot's own check
    for user in (fake.member, pretender):
        ix = await fake.send_slash_command("reload", user=user, check_available=False)
        reply = await fake.wait_for_original(ix)
        assert reply.ephemeral and "moderators only" in reply.content
    ix = await fake.send_slash_command("reload", user=helper, check_available=False)
    assert "Reloaded in" in (await fake.wait_for_followup(ix)).content
    ix = await fake.send_slash_command("reload", user=fake.moderator, dm=True, check_available=False)
    assert "not in DMs" in (await fake.wait_for_original(ix)).content
    assert_never_pings(fake)   # the refusals come from the error cog, on the client's allowed_mentions


# --- output safety -----------------------------------------------------------------------------

async def test_everyone_in_a_source_pings_nobody(fake_discord, start_bot, corpus):
    fake = fake_discord
    (corpus / "sources" / "notice.md").write_text(
        "---\nid: notice\ntitle: A notice\nkind: article\npublisher: a test\nseed: none.txt\n---\n"
        "Zeppelin notice: @everyone and @here and <@123456789012345678> **must** read the zeppelin notice.\n",
        encoding="utf-8")
    await start_quote_bot(fake, start_bot, corpus)
    ix = await fake.send_slash_command("ask", {"question": "zeppelin notice"})
    description = (await fake.wait_for_original(ix)).embeds[0]["description"]
    assert "@\u200b" in description and "everyone" in description
    assert not PING.search(description) and "\\*\\*must\\*\\*" in description
    await fake.send_message(f"{fake.bot_user.mention} zeppelin notice @everyone")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert not PING.search(all_text(reply))
    assert_never_pings(fake)
