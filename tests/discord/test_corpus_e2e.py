"""/corpus through the real discord.py client and the fake Discord (attachments from its CDN route):
upload -> preview -> Confirm -> /ask quotes it; broken files; Cancel; size and type limits; members
refused; two confirmations at once; history, diff and rollback, also after a restart; hand edits."""
from __future__ import annotations

import asyncio

import pytest

from bot.config import Config
from bot.discord.client import QuoteBot
from index.corpus.gitcmd import git
from index.corpus.loader import load_corpus
from index.live import LiveIndex
from tests.support.bot_harness import assert_never_pings, copy_corpus
from tests.support.fake_discord.records import CB_MODAL, CB_UPDATE_MESSAGE

PAGE = (b"MENU   ABOUT   FILMS   CONTACT\n\n"
        b"The quartermaster's zebra-striped lantern glowed over Ninghai Road while refugees queued for rice.\n\n"
        b"Share on Facebook\n")

SOURCE = b"""---
id: lantern-note
title: A note on the lantern
kind: article
publisher: a test publisher
seed: lantern.md
---
A saffron kettle whistled beside the Drum Tower gate at dawn.
"""


@pytest.fixture
def corpus(tmp_path):
    return copy_corpus(tmp_path)


async def start(fake, start_bot, corpus, **config):
    settings = {"corpus_dir": corpus, "cooldown_rate": 1000, "cooldown_seconds": 60.0, "dev_guild_id": fake.guild.id,
                "data_dir": corpus.parent / "data"}
    settings.update(config)
    live = LiveIndex(corpus)
    live.load()
    bot = QuoteBot(live, Config(**settings))
    running = await start_bot(bot)
    await bot.sync_commands("guild", fake.guild.id)
    return bot, running


@pytest.fixture
async def bot(fake_discord, start_bot, corpus):
    return (await start(fake_discord, start_bot, corpus))[0]


def modal_values(ix, by_label: dict[str, str]) -> dict[str, str]:
    values = {}
    for row in ix.response.data["components"]:
        for comp in row.get("components", [row.get("component", {})]):
            for prefix, value in by_label.items():
                if comp.get("label", "").startswith(prefix):
                    values[comp["custom_id"]] = value
    return values


async def preview_of(fake, name, data, user=None, fields=None, **options):
    """/corpus add with a file, the modal filled in: the private preview message."""
    user = user or fake.moderator
    att = fake.add_attachment(name, data)
    ix = await fake.send_slash_command("corpus add", {"file": att, **options}, user=user)
    assert (await fake.wait_for_interaction_response(ix)).type == CB_MODAL
    submit = await fake.submit_modal(ix, modal_values(ix, fields or {}), user=user)
    return await fake.wait_for_followup(submit, timeout=20)


async def confirm(fake, preview, user=None):
    click = await fake.click_button(preview, label="Confirm", user=user or fake.moderator)
    assert (await fake.wait_for_interaction_response(click)).type == CB_UPDATE_MESSAGE
    return await fake.wait_for_followup(click, timeout=20)


async def ask_text(fake, question):
    ix = await fake.send_slash_command("ask", {"question": question})
    reply = await fake.wait_for_original(ix, timeout=20)
    return reply.content + " ".join(e.get("description", "") for e in reply.embeds)


async def test_upload_a_page_preview_confirm_and_ask_quotes_it(fake_discord, bot, corpus):
    fake = fake_discord
    preview = await preview_of(fake, "lantern.txt", PAGE, fields={"Title": "Lantern Page", "Publisher": "a test site"})
    assert preview.ephemeral
    text = preview.content
    assert "Preview: add source `lantern-page`" in text and "Before: 3 sources" in text and "After: 4 sources" in text
    assert "zebra-striped lantern" in text and "[navigation menu]" in text and "Share on Facebook" in text
    done = await confirm(fake, preview)
    assert "is live" in done.content and "4 sources" in done.content
    assert "zebra" in (await ask_text(fake, "zebra-striped lantern Ninghai quartermaster"))
    assert (corpus / "sources" / "lantern-page.md").is_file()
    top = git(corpus, "log", "-1", "--format=%an|%ae|%s").strip()
    assert top == f"moderator|{fake.moderator.id}@discord|add source lantern-page"
    assert_never_pings(fake)


async def test_a_corpus_format_file_needs_no_fields_and_a_broken_one_changes_nothing(fake_discord, bot, corpus):
    fake = fake_discord
    broken = SOURCE.replace(b"kind: article\n", b"kind: article\nauthr: typo\n")
    reply = await preview_of(fake, "lantern.md", broken)
    assert "Not changed" in reply.content and "corpus/sources/lantern-note.md:5:" in reply.content
    assert not reply.components and not (corpus / "sources" / "lantern-note.md").exists()
    assert len(git(corpus, "log", "--format=%H").split()) == 1
    preview = await preview_of(fake, "lantern.md", SOURCE)
    assert "saffron kettle" in preview.content
    await confirm(fake, preview)
    assert "saffron kettle" in (await ask_text(fake, "saffron kettle Drum Tower"))


async def test_cancel_changes_nothing(fake_discord, bot, corpus):
    fake = fake_discord
    preview = await preview_of(fake, "lantern.md", SOURCE)
    click = await fake.click_button(preview, label="Cancel", user=fake.moderator)
    response = await fake.wait_for_interaction_response(click)
    assert response.type == CB_UPDATE_MESSAGE and "Nothing changed" in response.data["content"]
    assert not (corpus / "sources" / "lantern-note.md").exists()
    assert len(git(corpus, "log", "--format=%H").split()) == 1


async def test_oversized_wrong_type_and_binary_uploads_are_refused(fake_discord, start_bot, corpus):
    fake = fake_discord
    await start(fake, start_bot, corpus, upload_max_bytes=4096)
    big = fake.add_attachment("big.txt", b"x" * 5000)
    ix = await fake.send_slash_command("corpus add", {"file": big}, user=fake.moderator)
    refusal = await fake.wait_for_interaction_response(ix)
    content = refusal.data["content"]
    assert refusal.data["flags"] & 64 and "at most" in content and "upload_max_bytes" in content
    png = fake.add_attachment("photo.png", b"\x89PNG\r\n", "image/png")
    ix = await fake.send_slash_command("corpus add", {"file": png}, user=fake.moderator)
    assert "not a file type I take" in (await fake.wait_for_interaction_response(ix)).data["content"]
    reply = await preview_of(fake, "sneaky.txt", b"\x00\x01binary\x00", fields={"Title": "T", "Publisher": "P"})
    assert "not a text file" in reply.content
    assert len(git(corpus, "log", "--format=%H").split()) == 1


async def test_members_are_refused(fake_discord, bot, corpus):
    fake = fake_discord
    att = fake.add_attachment("lantern.md", SOURCE)
    for name, options in (("corpus add", {"file": att}), ("corpus history", {}),
                          ("corpus rollback", {"version": "abcd"})):
        ix = await fake.send_slash_command(name, options, user=fake.member, check_available=False)
        refusal = await fake.wait_for_interaction_response(ix)
        assert refusal.data["flags"] & 64 and f"Sorry, /{name} is for moderators only." == refusal.data["content"]


async def test_two_confirmations_at_once_do_not_interleave(fake_discord, bot, corpus):
    fake = fake_discord
    first = await preview_of(fake, "lantern.md", SOURCE)
    second = await preview_of(fake, "page.txt", PAGE, user=fake.owner,
                              fields={"Title": "Lantern Page", "Publisher": "a site"})
    clicks = await asyncio.gather(fake.click_button(first, label="Confirm", user=fake.moderator),
                                  fake.click_button(second, label="Confirm", user=fake.owner))
    replies = [await fake.wait_for_followup(c, timeout=20) for c in clicks]
    live = [r for r in replies if "is live" in r.content]
    stale = [r for r in replies if "corpus changed since that preview" in r.content]
    assert len(live) == 1 and len(stale) == 1, [r.content for r in replies]
    assert "Preview:" in stale[0].content and "After: 5 sources" in stale[0].content  # fresh, on the new version
    assert len(git(corpus, "log", "--format=%H").split()) == 2
    owner = fake.owner if stale[0] is replies[1] else fake.moderator
    done = await confirm(fake, stale[0], user=owner)
    assert "is live" in done.content and len(load_corpus(corpus).sources) == 5


async def test_history_diff_and_rollback_then_rollback_after_a_restart(fake_discord, start_bot, corpus):
    fake = fake_discord
    bot, running = await start(fake, start_bot, corpus)
    await confirm(fake, await preview_of(fake, "lantern.md", SOURCE))
    ix = await fake.send_slash_command("corpus history", {}, user=fake.moderator)
    history = (await fake.wait_for_interaction_response(ix)).data["content"]
    assert "add source lantern-note" in history and "the corpus as found" in history
    first, added = git(corpus, "log", "--format=%h", "--abbrev=10").split()[::-1][:2]
    ix = await fake.send_slash_command("corpus diff", {"version": added[:8]}, user=fake.moderator)
    diff = await fake.wait_for_followup(ix)
    assert "sources/lantern-note.md (added" in diff.content and "+ A saffron kettle whistled" in diff.content

    # restart: a new bot process on the same folder keeps every version
    await running.stop()
    bot, running = await start(fake, start_bot, corpus)
    ix = await fake.send_slash_command("corpus rollback", {"version": first}, user=fake.moderator)
    preview = await fake.wait_for_followup(ix, timeout=20)
    assert "roll back to version" in preview.content and "After: 3 sources" in preview.content
    done = await confirm(fake, preview)
    assert "is live" in done.content
    assert "lantern-note" not in bot.live.current.corpus.source_by_id
    log = git(corpus, "log", "--format=%s").splitlines()
    assert log[0].startswith(f"rollback to {first}") and len(log) == 3  # the rollback is a version too


async def test_a_hand_edit_then_reload_becomes_a_host_version(fake_discord, bot, corpus):
    fake = fake_discord
    assert not (corpus / ".git").exists()  # a plain start writes nothing; the first /corpus makes the repository
    ix = await fake.send_slash_command("corpus history", {}, user=fake.moderator)
    assert "the corpus as found" in (await fake.wait_for_interaction_response(ix)).data["content"]
    path = corpus / "sources" / "documentary-nanking.md"
    typed = path.read_text(encoding="utf-8") + "\nA host typed this line about a cobalt bicycle.\n"
    path.write_text(typed, encoding="utf-8")
    ix = await fake.send_slash_command("reload", {}, user=fake.moderator)
    assert "Reloaded" in (await fake.wait_for_followup(ix, timeout=20)).content
    assert git(corpus, "log", "-1", "--format=%an|%s").strip() == "host|hand edits on the host"


async def test_remove_a_source_drops_its_timeline_entries(fake_discord, bot, corpus):
    fake = fake_discord
    ix = await fake.send_slash_command("corpus remove", {"source": "blog-truth-about-nanking"}, user=fake.moderator)
    preview = await fake.wait_for_followup(ix, timeout=20)
    assert "After: 2 sources" in preview.content and "its 2 timeline entries are removed" in preview.content
    await confirm(fake, preview)
    assert "blog-truth-about-nanking" not in load_corpus(corpus).source_by_id


async def test_autocomplete_offers_choices_to_moderators_only(fake_discord, bot, corpus):
    fake = fake_discord
    for user, expect in ((fake.moderator, True), (fake.member, False)):
        ix = await fake.send_autocomplete("corpus remove", {"source": "blog"}, focused="source", user=user)
        choices = (await fake.wait_for_interaction_response(ix)).data["choices"]
        assert bool(choices) == expect and all(c["value"] == "blog-truth-about-nanking" for c in choices)
