"""What is on disk cannot take the serving bot down (issue 13), through the real client and the fake
Discord, with the persisted index (versions built by a child process, loaded as private copies):

* index files overwritten in place or truncated while serving: no crash, the same answers;
* a 200 MB single-line source: refused unread, /ask answered in time during the /reload;
* a 5 MB Chinese paragraph without spaces: refused by size by default; with a higher limit, cut
  into bounded passages while /ask keeps being answered in time;
* a source linking out of the corpus folder: /reload refused, nothing of the target shown;
* U+202E from a question and from the corpus never reaches Discord.
"""
from __future__ import annotations

import asyncio
import os

import pytest

from index import store
from index.live import LiveIndex
from index.passages import MAX_CHARS
from tests.support.bot_harness import assert_never_pings, copy_corpus, start_quote_bot
from tests.support.fake_discord.records import CB_DEFERRED_CHANNEL_MESSAGE

ACK_WINDOW = 3.0
MB = 1_000_000


@pytest.fixture
def corpus(tmp_path):
    return copy_corpus(tmp_path)


async def served_bot(fake, start_bot, corpus, tmp_path, **live_kw):
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", **live_kw)
    await asyncio.to_thread(live.load)
    return await start_quote_bot(fake, start_bot, corpus, live=live), live


async def ask(fake, question: str) -> str:
    ix = await fake.send_slash_command("ask", {"question": question})
    reply = await fake.wait_for_original(ix, timeout=10)
    return reply.embeds[0]["description"] if reply.embeds else reply.content


@pytest.mark.parametrize("change", ["overwrite_doc_ids", "truncate_doc_ids", "truncate_all"])
async def test_index_files_changed_in_place_while_serving(fake_discord, start_bot, corpus, tmp_path, change):
    fake = fake_discord
    bot, live = await served_bot(fake, start_bot, corpus, tmp_path)
    assert live.current.loaded_from_cache  # the version the child process built, verified
    questions = ["Who was John Rabe?", "What was the safety zone?", "Who was Iris Chang?"]
    before = [await ask(fake, q) for q in questions]
    home = store.corpus_store(tmp_path / "index", corpus)
    version = home / "versions" / (home / store.CURRENT).read_text().strip() / "bm25"
    if change == "overwrite_doc_ids":
        path = version / "doc_ids.npy"
        with open(path, "r+b") as f:
            f.seek(128)
            f.write(b"\xff\xff\xff\x7f" * ((path.stat().st_size - 128) // 4))
    else:
        for path in version.iterdir() if change == "truncate_all" else [version / "doc_ids.npy"]:
            os.truncate(path, min(128, path.stat().st_size))
    assert [await ask(fake, q) for q in questions] == before
    assert "John Rabe" in before[0]


async def _reload_under_traffic(fake, n_asks: int = 8):
    reload_ix = await fake.send_slash_command("reload", user=fake.moderator)
    asks = []
    for _ in range(n_asks):
        asks.append(await fake.send_slash_command("ask", {"question": "Who was John Rabe?"}))
        await asyncio.sleep(0.05)
    assert (await fake.wait_for_interaction_response(reload_ix)).type == CB_DEFERRED_CHANNEL_MESSAGE
    reply = await fake.wait_for_followup(reload_ix, timeout=120)
    for ix in asks:
        await fake.wait_for_original(ix, timeout=10)
        assert ix.response.at - ix.created_at < ACK_WINDOW
    return reply.content


async def test_a_200_mb_single_line_source_is_refused_unread(fake_discord, start_bot, corpus, tmp_path):
    fake = fake_discord
    await served_bot(fake, start_bot, corpus, tmp_path)
    with open(corpus / "sources" / "huge.md", "wb") as f:
        f.write(b"---\nid: huge\ntitle: Huge\nkind: article\npublisher: P\nseed: s\n---\n")
        chunk = b"word " * 1_000_000
        for _ in range(40):
            f.write(chunk)
    text = await _reload_under_traffic(fake)
    assert "still serving the previous corpus" in text
    assert "sources/huge.md:0: is 200 MB, over the limit of 4 MB (max_source_bytes)" in text


@pytest.mark.parametrize("limit", [None, 8 * MB])
async def test_a_5_mb_chinese_paragraph_is_refused_or_bounded(fake_discord, start_bot, corpus, tmp_path, limit):
    fake = fake_discord
    kw = {} if limit is None else {"max_source_bytes": limit}
    bot, live = await served_bot(fake, start_bot, corpus, tmp_path, **kw)
    body = ("南京" * (5 * MB // 6)).encode("utf-8")  # ~5 MB, no space, no sentence end
    (corpus / "sources" / "cjk.md").write_bytes(
        b"---\nid: cjk\ntitle: CJK\nkind: article\npublisher: P\nseed: s\n---\n" + body + b"\n")
    text = await _reload_under_traffic(fake)
    if limit is None:
        assert "sources/cjk.md:0: is 5 MB, over the limit of 4 MB (max_source_bytes)" in text
        return
    assert "Reloaded in" in text, text
    cjk = [p for p in live.current.passages if p.source_id == "cjk"]
    assert len(cjk) > 1000 and max(len(p.text) for p in cjk) <= MAX_CHARS
    assert "John Rabe" in await ask(fake, "Who was John Rabe?")


async def test_a_source_linking_out_of_the_corpus_is_refused(fake_discord, start_bot, corpus, tmp_path, monkeypatch):
    fake = fake_discord
    await served_bot(fake, start_bot, corpus, tmp_path)
    monkeypatch.setenv("SOME_SECRET", "do-not-show-this-value")
    os.symlink("/proc/self/environ", corpus / "sources" / "environ.md")
    outside = tmp_path / "outside.md"
    outside.write_text("---\nid: outside\ntitle: Outside\nkind: article\npublisher: P\nseed: s\n---\n"
                       "John Rabe was a secret agent of the moon.\n", encoding="utf-8")
    os.symlink(outside, corpus / "sources" / "outside.md")
    text = await _reload_under_traffic(fake, n_asks=2)
    assert "sources/environ.md:0: is a link to a file outside the corpus folder" in text
    assert "sources/outside.md:0: is a link to a file outside the corpus folder" in text
    assert "do-not-show-this-value" not in text and "moon" not in text
    reply = await ask(fake, "Was John Rabe a secret agent of the moon?")
    assert "secret agent of the moon" not in reply                 # the outside file is not quoted
    # words only the outside file has: declined as a fact, whatever the decision model weighs
    reply = await ask(fake, "secret agent of the moon?")
    assert "Not in my sources" in reply and "never mention" in reply


async def test_right_to_left_override_never_reaches_discord(fake_discord, start_bot, corpus, tmp_path):
    fake = fake_discord
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nThe zeppelin\u202e arrived over the river.\n",
                   encoding="utf-8")
    await served_bot(fake, start_bot, corpus, tmp_path)
    ix = await fake.send_slash_command("ask", {"question": "zeppelin\u202e river"})
    reply = await fake.wait_for_original(ix, timeout=10)
    assert "zeppelin" in reply.embeds[0]["description"]
    ix = await fake.send_slash_command("ask", {"question": "\u202equantum chromodynamics"})
    await fake.wait_for_original(ix, timeout=10)
    ix = await fake.send_slash_command("timeline", {"query": "\u202e1937"})
    await fake.wait_for_original(ix, timeout=10)
    for request in fake.requests:
        if request.method in ("POST", "PATCH") and request.json:
            assert "\u202e" not in str(request.json), request.json
    assert_never_pings(fake)
