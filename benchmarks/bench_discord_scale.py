"""/ask and /reload on a large corpus through the fake Discord, with the event loop watched.

    .venv/bin/python -m benchmarks.bench_discord_scale [--passages 100000]

Prints: corpus build time, top-k parity with rank-bm25 (the reference scoring) on a question set,
/ask time to first response, reload time, heartbeat gaps and the worst event-loop lag during the
reload, and whether /ask kept answering from the old snapshot meanwhile.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import Config
from bot.discord.client import QuoteBot
from index.bm25.reference import ReferenceBM25
from index.engine import Index
from index.live import LiveIndex
from tests.support.fake_discord.server import FakeDiscord
from tests.support.loop_lag import LagProbe
from tests.support.synth_corpus import write_corpus

QUESTIONS = ["Who was John Rabe?", "when did japan attack shanghai", "how many women does the japanese officer demand",
             "noble samurai", "Who was Minnie Vautrin?", "Tokyo Trials", "safety zone committee conceived",
             "what happened to the city itself during the occupation", "who ran nanking after the massacre",
             "what year did city of life and death come out"]


def parity(index: Index) -> tuple[int, float]:
    started = time.perf_counter()
    reference = ReferenceBM25([index.passage_terms(p) for p in index.passages])
    mismatches = 0
    for q in QUESTIONS:
        tokens = index.tokenizer.tokens(q)
        ours, ref = index.scorer.top_k(tokens, 20), reference.top_k(tokens, 20)
        same = [d for d, _ in ours] == [d for d, _ in ref] and all(
            abs(a - b) <= 1e-4 * max(1.0, abs(b)) for (_, a), (_, b) in zip(ours, ref, strict=False))
        mismatches += not same
    return mismatches, time.perf_counter() - started


async def run(passages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus", passages)
        t = time.perf_counter()
        index = await asyncio.to_thread(Index.from_dir, corpus)
        build = time.perf_counter() - t
        mismatches, ref_seconds = await asyncio.to_thread(parity, index)
        print(f"corpus: {len(index.passages):,} passages; build {build:.1f} s; "
              f"top-20 mismatches vs rank-bm25 on {len(QUESTIONS)} questions: {mismatches} "
              f"(reference build + queries {ref_seconds:.1f} s)")

        async with FakeDiscord(heartbeat_interval=0.05) as fake:
            # the bot's own path: index versions in a cache folder, reloads built in a child process
            live = LiveIndex(corpus, cache_dir=Path(tmp) / "index", freeze=True)
            t = time.perf_counter()
            live.load()
            print(f"first start (child build + verified load): {time.perf_counter() - t:.1f} s")
            bot = QuoteBot(live, Config(corpus_dir=corpus, cooldown_rate=1000, dev_guild_id=fake.guild.id,
                                        data_dir=corpus.parent / "data"))
            async with fake.run_bot(bot):
                await bot.sync_commands("guild", fake.guild.id)
                first = []
                for q in QUESTIONS:
                    ix = await fake.send_slash_command("ask", {"question": q})
                    await fake.wait_for_interaction_response(ix)
                    first.append(ix.response.at - ix.created_at)
                print(f"/ask time to first response over {len(first)} questions: "
                      f"median {statistics.median(first) * 1000:.1f} ms, max {max(first) * 1000:.1f} ms")

                with open(corpus / "sources" / "filler-0000.md", "a", encoding="utf-8") as f:
                    f.write("\nThe quokka archive was opened.\n")
                beats = len(fake.gateway.heartbeats)
                with LagProbe() as probe:
                    t = time.perf_counter()
                    reload_ix = await fake.send_slash_command("reload", user=fake.moderator)
                    during = []
                    while not fake.followups(reload_ix):
                        ix = await fake.send_slash_command("ask", {"question": "quokka archive"})
                        msg = await fake.wait_for_original(ix)
                        during.append((ix.response.at - ix.created_at, "Not in my sources" in msg.content))
                        await asyncio.sleep(0.5)
                    reload_seconds = time.perf_counter() - t
                gaps = fake.gateway.heartbeat_gaps[beats:]
                report = fake.followups(reload_ix)[0].content.splitlines()[0]
                print(f"/reload: {reload_seconds:.1f} s wall ({report}); heartbeats during it: {len(gaps)}, "
                      f"max gap {max(gaps) * 1000:.0f} ms (interval 50 ms); worst event-loop lag "
                      f"{probe.worst * 1000:.1f} ms over {probe.samples} samples")
                print(f"/ask during the reload: {len(during)} asked, all answered from the old snapshot: "
                      f"{all(old for _, old in during)}, max time to first response "
                      f"{max(t for t, _ in during) * 1000:.1f} ms")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=100_000)
    args = ap.parse_args(argv)
    asyncio.run(run(args.passages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
