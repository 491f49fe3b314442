"""Load benchmark: many users ask through the fake Discord while moderators reload the corpus.

    cd /work/main && .venv/bin/python -m benchmarks.bench_load \
        [--interactions 2000] [--users 100] [--reloads 10] [--flooders 5] [--seed 1937]

The real discord.py client runs the project's bot (``QuoteBot``) against the fake Discord of
``tests/discord`` (an aiohttp server on 127.0.0.1, in this same process and event loop, so
every figure includes the fake's own work). Simulated users send ``/ask`` and @mentions, click
"More results" on their own and on other people's answers, a moderator reloads the corpus
``--reloads`` times alternating a valid and a broken corpus, and members whose roles are merely
*named* like moderators' try ``/reload`` too. ``tests/discord/test_load.py`` runs the same
scenario with small numbers and asserts on the report.

How "one whole snapshot" is checked: every corpus version the bot may serve is the real corpus
with a version tag (``SNAP00``, ``SNAP01``...) put in front of every source's title,
attribution and context note (metadata only: the quoted text and the search are unchanged),
and every other valid version also holds an extra source with a marker word. Every rendered
answer shows its snapshot's tag in each quote's footer and note, and a "not in my sources"
reply lists that snapshot's titles, so an answer that mixed two snapshots shows two tags (or a
marker quote under a tag whose corpus has no marker, or a list of titles of the wrong
version): that is a "mixed" answer. A broken corpus is built from the next tag too, so if it
were ever swapped in, answers would carry a tag that was never valid. An answer's tag must be
one that was being served at some moment between the question and the reply.

Users: each ordinary user sends its share of the interactions one after another (waiting for
each reply, then a short pause); flooders send twice the cooldown budget as fast as they can
and must get exactly one friendly "try again" message (slash commands, which Discord requires
an answer to, get a short private "still cooling down" after that). The cooldown is set to
``--cooldown-rate`` questions per hour, above what an ordinary user sends.

Counted as failed: an interaction with no initial response within Discord's 3 s window (the
fake refuses a later one, as Discord does), a deferred reply never followed up, a mention of an
ordinary user never answered, a reply of the wrong kind (another user's page turned, a
non-moderator allowed to reload, a broken corpus accepted...), a mixed or stale answer, and any
error logged or exception left unhandled while the bot ran.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Optional

# The scenario lives in load_versions (the tagged corpus versions), load_scenario (driving the
# users and reloads), load_evaluation (checking every answer) and load_report (the numbers);
# its names stay importable from here.
from tests.support.load.evaluation import FILE_LINE, Evaluation, classify, message_text, tags_of  # noqa: F401
from tests.support.load.report import ACK_WINDOW, Action, LoadConfig, Report  # noqa: F401
from tests.support.load.scenario import QUESTIONS, LoadRun, run_load  # noqa: F401
from tests.support.load.versions import (  # noqa: F401
    BIG, CORPUS, FAULTS, MARKER_ID, MARKER_QUESTION, MARKER_TEXT, MARKER_WORD, ROOT, TAG_RE, Version,
    build_versions, marker_source, point, tag_source,
)
from tests.support.fake_discord.server import FakeDiscord


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


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=2000, help="user actions: /ask, mentions, clicks")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--reloads", type=int, default=10, help="corpus reloads, alternately valid and broken")
    parser.add_argument("--flooders", type=int, default=5, help="users who ignore the cooldown")
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.5), metavar=("MIN", "MAX"),
                        help="seconds an ordinary user waits between two actions")
    parser.add_argument("--cooldown-rate", type=int, default=0, help="questions per user per hour (0: just above an ordinary user's)")
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
