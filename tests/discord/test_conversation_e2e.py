"""Follow-up questions through the real discord.py client against the fake Discord: a DM, a
thread, a reply to the bot's answer and thread mode keep the topic (shown as "About ..."), in
other languages too; an
expired conversation and an unrelated mention start afresh."""
from __future__ import annotations

from bot.store.records import GuildSettings
from tests.support.bot_harness import start_quote_bot


def first_quote(message) -> str:
    return message.embeds[0]["description"] if message.embeds else ""


async def test_follow_ups_in_a_dm_are_about_the_person(fake_discord, bot):
    fake = fake_discord
    dm = fake.dm_channel(fake.member).id
    await fake.send_message("who was John Rabe?", dm=True)
    first = await fake.wait_for_channel_message(dm)
    assert "earlier in this conversation" not in first.content
    await fake.send_message("what did he write to Hitler?", dm=True)
    second = await fake.wait_for_channel_message(dm)
    assert "About **John Rabe**" in second.content
    assert "**John Rabe** wires **Hitler**" in first_quote(second)
    await fake.send_message("why did he stay?", dm=True)
    third = await fake.wait_for_channel_message(dm)
    # the follow-up is about Rabe; with BM25 alone (these tests' default) the film's passage of
    # Rabe summoned back, where Tang "opts to remain behind", may come before the documentary's
    assert "About **John Rabe**" in third.content and "Rabe" in first_quote(third)


async def test_follow_ups_in_other_languages_keep_the_topic(fake_discord, bot):
    """A German and a Chinese follow-up in a DM: "er", "他" point back to who was asked about."""
    fake = fake_discord
    dm = fake.dm_channel(fake.member).id
    for first, follow_up in (("Wer war John Rabe?", "Was hat er an Hitler geschrieben?"),
                             ("约翰·拉贝是谁？", "他给希特勒写了什么？")):
        await fake.send_message(first, dm=True)
        await fake.wait_for_channel_message(dm)
        await fake.send_message(follow_up, dm=True)
        reply = await fake.wait_for_channel_message(dm)
        assert "About **John Rabe**" in reply.content, follow_up
        assert "wires **Hitler**" in first_quote(reply), follow_up


async def test_follow_up_in_a_thread_is_about_the_film(fake_discord, start_bot, corpus):
    fake = fake_discord
    thread = fake.add_thread("films")
    bot = await start_quote_bot(fake, start_bot, corpus)
    await fake.send_message(f"{fake.bot_user.mention} what is City of Life and Death about?", channel_id=thread.id)
    await fake.wait_for_channel_message(thread.id)
    await fake.send_message(f"{fake.bot_user.mention} who plays Kadokawa in it?", channel_id=thread.id)
    reply = await fake.wait_for_channel_message(thread.id)
    assert "About **City of Life and Death**" in reply.content
    assert "Kadokawa Masao** (Nakaizumi Hideo)" in first_quote(reply)
    record = await fake.wait_for(lambda: [r for r in bot.store.store.answers_since(fake.guild.id, 0)
                                          if r.topic == "city-of-life-and-death"], what="the record with its topic")
    assert "kadokawa-masao" in record[0].entities


async def test_a_reply_to_the_answer_continues_and_a_new_mention_does_not(fake_discord, bot):
    fake = fake_discord
    await fake.send_message(f"{fake.bot_user.mention} who was Minnie Vautrin?")
    answer = await fake.wait_for_channel_message(fake.channel.id)
    # the bot links its answer to the conversation once Discord confirms the message was sent
    await fake.wait_for(lambda: bot.conversations.conversation_of(answer.id), what="the answer linked")
    await fake.send_message(f"{fake.bot_user.mention} what did she do?", reference=answer)
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert "About **Minnie Vautrin**" in reply.content and "Vautrin" in first_quote(reply)
    await fake.send_message(f"{fake.bot_user.mention} what did she do?")   # not a reply: nothing to go on
    fresh = await fake.wait_for_channel_message(fake.channel.id)
    assert "earlier in this conversation" not in fresh.content
    assert "Who do you mean by “she”?" in fresh.content and not fresh.embeds
    assert not fresh.body.get("components")   # a question back: nothing to vote on
    # the pronoun as the object of the verb, "the film" no more said than "her": a question back too
    await fake.send_message(f"{fake.bot_user.mention} who played her in the film?")
    fresh = await fake.wait_for_channel_message(fake.channel.id)
    assert "Who do you mean by “her”?" in fresh.content and not fresh.embeds


async def test_an_expired_conversation_is_treated_as_new(fake_discord, bot):
    fake = fake_discord
    now = [1000.0]
    bot.conversations.clock = lambda: now[0]
    dm = fake.dm_channel(fake.member).id
    await fake.send_message("who was John Rabe?", dm=True)
    await fake.wait_for_channel_message(dm)
    now[0] += bot.config.conversation_minutes * 60 - 1
    await fake.send_message("what did he write to Hitler?", dm=True)
    assert "About **John Rabe**" in (await fake.wait_for_channel_message(dm)).content
    now[0] += bot.config.conversation_minutes * 60 + 1                     # idle too long
    await fake.send_message("why did he leave?", dm=True)
    assert "earlier in this conversation" not in (await fake.wait_for_channel_message(dm)).content


async def test_thread_mode_opens_a_thread_that_keeps_the_topic(fake_discord, bot, patient_settings_reads):
    fake = fake_discord
    bot.store.store.save_settings(GuildSettings(fake.guild.id, thread_mode=True))
    ix = await fake.send_slash_command("ask", {"question": "who was John Rabe?"})
    answer = await fake.wait_for_original(ix)
    request = await fake.wait_for_request("POST", rf"/channels/{fake.channel.id}/messages/{answer.id}/threads$")
    assert request.json["name"] == "who was John Rabe?"
    thread_id = answer.id
    await fake.wait_for(lambda: bot.get_channel(thread_id) is not None, what="THREAD_CREATE")
    await fake.send_message(f"{fake.bot_user.mention} what did he write to Hitler?", channel_id=thread_id)
    reply = await fake.wait_for_channel_message(thread_id)
    assert "About **John Rabe**" in reply.content

    # a mention in the channel itself gets its answer in a new thread started from the question
    question = await fake.send_message(f"{fake.bot_user.mention} who was Minnie Vautrin?")
    in_thread = await fake.wait_for_channel_message(int(question["id"]))
    assert "Vautrin" in first_quote(in_thread)


async def test_tell_me_more_shows_the_next_quotes_and_then_says_there_are_none(fake_discord, bot):
    """"tell me more" in a DM: the next quotes of the last question under a line that says so,
    none of the first page again; once there are none left, a reply that says so (nothing to
    vote on). A request for more that continues nothing says what to do."""
    fake = fake_discord
    dm = fake.dm_channel(fake.member).id
    await fake.send_message("who was John Rabe?", dm=True)
    first = await fake.wait_for_channel_message(dm)
    shown = {e["description"] for e in first.embeds}
    await fake.send_message("tell me more", dm=True)
    more = await fake.wait_for_channel_message(dm)
    assert "More on “who was John Rabe?”: its quotes after the first 3." in more.content
    assert more.embeds and not shown & {e["description"] for e in more.embeds}
    assert "Rabe" in first_quote(more)
    for _ in range(5):
        await fake.send_message("anything else?", dm=True)
        last = await fake.wait_for_channel_message(dm)
        if not last.embeds:
            break
    assert "That is all my sources have on “who was John Rabe?”" in last.content
    assert not last.body.get("components")
    await fake.send_message(f"{fake.bot_user.mention} tell me more")   # in a channel, not a reply: nothing to continue
    fresh = await fake.wait_for_channel_message(fake.channel.id)
    assert fresh.content.startswith("More of what? Ask me a question first") and not fresh.embeds


async def test_what_happened_next_steps_along_the_timeline_in_a_dm(fake_discord, bot):
    """After a dated answer, "what happened next?" quotes the timeline's next entries under a line
    that says from which date, with the feedback buttons of any answer; "and before that?" goes
    back from the earliest one shown."""
    fake = fake_discord
    dm = fake.dm_channel(fake.member).id
    await fake.send_message("what happened on December 13, 1937?", dm=True)
    first = await fake.wait_for_channel_message(dm)
    assert first.embeds and "1937" in first.embeds[0]["title"]
    await fake.send_message("what happened next?", dm=True)
    step = await fake.wait_for_channel_message(dm)
    assert step.content == "*Next on the timeline from 13 December 1937, the latest date I quoted, in order:*"
    assert len(step.embeds) == 3 and all(e["title"] for e in step.embeds)
    assert "December 14" in step.embeds[0]["title"] and step.body.get("components")
    await fake.send_message("and before that?", dm=True)
    back = await fake.wait_for_channel_message(dm)
    assert back.content.startswith("*Earlier on the timeline than 14") and "the latest first" in back.content
    assert "December 13" in back.embeds[0]["title"]
