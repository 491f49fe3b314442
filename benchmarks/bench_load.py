"""Load benchmark: many users ask through the fake Discord while moderators reload the corpus.

    cd /work/main && .venv/bin/python -m benchmarks.bench_load \
        [--interactions 2000] [--users 100] [--reloads 10] [--flooders 5] [--seed 1937]

The scenario, and how every answer is traced to the corpus snapshot it came from, are described
in ``tests/support/load/__init__.py``; ``tests/discord/test_load.py`` runs it with small numbers
and asserts on the report.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path

from tests.support.fake_discord.server import FakeDiscord
from tests.support.load.report import LoadConfig
from tests.support.load.scenario import run_load


async def _main(config: LoadConfig) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        async with FakeDiscord() as fake:
            report = await run_load(fake, Path(tmp), config)
    print(report.summary())
    problems = report.problems()
    if problems:
        print("problems (first 20):")
        for p in problems:
            print("  " + p)
    return 1 if report.failed or report.errors or report.mixed or report.late else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=2000, help="user actions: /ask, mentions, clicks")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--reloads", type=int, default=10, help="corpus reloads, alternately valid and broken")
    parser.add_argument("--flooders", type=int, default=5, help="users who ignore the cooldown")
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.5), metavar=("MIN", "MAX"),
                        help="seconds an ordinary user waits between two actions")
    parser.add_argument("--cooldown-rate", type=int, default=0,
                        help="questions per user per hour (0: just above an ordinary user's)")
    parser.add_argument("--seed", type=int, default=1937)
    parser.add_argument("--big-reloads", action="store_true",
                        help="two more (valid) reloads while users ask: a 50 MB source, then 10,000 small sources")
    args = parser.parse_args(argv)
    if args.flooders >= args.users:
        parser.error("--flooders must be fewer than --users")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: "voice will NOT be supported" not in record.getMessage())
    config = LoadConfig(interactions=args.interactions, users=args.users, reloads=args.reloads,
                        flooders=args.flooders, think=tuple(args.think), cooldown_rate=args.cooldown_rate,
                        seed=args.seed, big_reloads=args.big_reloads)
    return asyncio.run(_main(config))


if __name__ == "__main__":
    raise SystemExit(main())
