"""A large corpus through the fake Discord: /ask gives the quotes the reference scoring gives, and a
reload of the whole corpus never blocks the event loop (heartbeats and a lag probe show it).

CI runs it at SCALE_PASSAGES (default 20,000 filler passages); `python -m benchmarks.bench_discord_scale`
runs the same check at 100,000 and prints the figures.
"""
from __future__ import annotations

import asyncio
import os
import time

from bot.answering.answers import build_answer
from bot.render.discord_embeds import answer_embeds
from index.bm25.reference import ReferenceBM25
from index.engine import Index
from index.live import LiveIndex
from tests.support.bot_harness import start_quote_bot
from tests.support.loop_lag import LagProbe
from tests.support.synth_corpus import write_corpus

PASSAGES = int(os.environ.get("SCALE_PASSAGES", "20000"))
QUESTIONS = ["Who was John Rabe?", "when did japan attack shanghai", "how many women does the japanese officer demand",
             "noble samurai", "Who was Minnie Vautrin?", "Tokyo Trials", "safety zone committee conceived"]


def assert_same_top_k(index: Index, reference: ReferenceBM25) -> None:
    for question in QUESTIONS:
        tokens = index.tokenizer.tokens(question)
        ours, ref = index.scorer.top_k(tokens, 20), reference.top_k(tokens, 20)
        assert [d for d, _ in ours] == [d for d, _ in ref], question
        assert all(abs(a - b) <= 1e-4 * max(1.0, abs(b)) for (_, a), (_, b) in zip(ours, ref, strict=False)), question


async def test_large_corpus_same_quotes_and_reload_never_blocks(fake_discord, start_bot, tmp_path):
    fake = fake_discord
    corpus = write_corpus(tmp_path / "corpus", PASSAGES)
    index = await asyncio.to_thread(Index.from_dir, corpus)
    assert len(index.passages) > PASSAGES
    reference = await asyncio.to_thread(ReferenceBM25, [index.passage_terms(p) for p in index.passages])
    assert_same_top_k(index, reference)

    live = LiveIndex(corpus, builder=lambda root: index if live._current is None else Index.from_dir(root))
    live.load()
    fake.gateway.heartbeat_interval = 0.05
    await start_quote_bot(fake, start_bot, corpus, live=live)

    for question in QUESTIONS[:3]:  # Discord shows what the engine answers
        ix = await fake.send_slash_command("ask", {"question": question})
        shown = (await fake.wait_for_original(ix)).embeds
        answer = build_answer(index, question, k=9)
        expected = answer_embeds(answer, list(answer.quotes[:3]))
        assert [e["description"] for e in shown] == [e.description for e in expected]

    # a new paragraph with a word nobody used, then a reload of the whole corpus
    with open(corpus / "sources" / "filler-0000.md", "a", encoding="utf-8") as f:
        f.write("\nThe quokka archive was opened.\n")
    with LagProbe() as probe:
        beats_before = len(fake.gateway.heartbeats)
        started = time.monotonic()
        reload_ix = await fake.send_slash_command("reload", user=fake.moderator)
        await asyncio.sleep(0.3)
        ix = await fake.send_slash_command("ask", {"question": "quokka archive"})  # while reloading
        during = await fake.wait_for_original(ix)
        report = await fake.wait_for_followup(reload_ix, timeout=300)
        reload_seconds = time.monotonic() - started
    assert "Reloaded in" in report.content, report.content
    assert during.ephemeral and "Not in my sources" in during.content  # answered from the old snapshot
    assert ix.response.at - ix.created_at < 3.0
    gaps = fake.gateway.heartbeat_gaps[beats_before:]
    assert len(gaps) > reload_seconds / 0.05 / 4, (len(gaps), reload_seconds)  # heartbeats kept coming
    assert max(gaps) < 1.0 and probe.worst < 0.5, (max(gaps), probe.worst)
    ix = await fake.send_slash_command("ask", {"question": "quokka archive"})
    assert "quokka" in (await fake.wait_for_original(ix)).embeds[0]["description"]
