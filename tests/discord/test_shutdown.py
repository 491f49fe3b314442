"""SIGTERM while a long /reload builds under traffic: the real `python -m bot run` process
against the fake Discord stops taking new work, answers everything in flight (the /reload with
"cancelled"), kills the build child and exits, well within 10 s."""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from tests.support.bot_harness import copy_corpus
from tests.support.bot_processes import start_bot_process
from tests.support.fake_discord.records import CB_CHANNEL_MESSAGE

QUESTIONS = ("Who was John Rabe?", "When did Nanking fall?", "safety zone", "Iris Chang")


def answered(ix) -> bool:
    if ix.response is None:
        return False
    if ix.response.type == CB_CHANNEL_MESSAGE:
        return True
    return bool(ix.followups) or bool(ix.original and (ix.original.content or ix.original.embeds))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by a parent that has exited) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


async def test_sigterm_during_a_long_reload_under_traffic(fake_discord, tmp_path):
    fake = fake_discord
    corpus = copy_corpus(tmp_path)
    marker = tmp_path / "slow-build"
    bot = await start_bot_process(fake, "bot", corpus, tmp_path, "--sync", "guild", BOT_DEV_GUILD_ID=str(fake.guild.id),
                                  SLOW_BUILD_MARKER=str(marker), SLOW_BUILD_SECONDS="30")
    try:
        marker.write_text("slow")
        doc = corpus / "sources" / "film-city-of-life-and-death.md"
        doc.write_text(doc.read_text(encoding="utf-8") + "\nA paragraph that needs a new index.\n", encoding="utf-8")
        reload_ix = await fake.send_slash_command("reload", user=fake.moderator)
        pid_file = Path(str(marker) + ".pid")
        await fake.wait_for(pid_file.exists, timeout=30, what="the build child started")
        child = int(pid_file.read_text())

        sent, stop = [], asyncio.Event()

        async def traffic():
            n = 0
            while not stop.is_set():
                try:
                    sent.append(await fake.send_slash_command("ask", {"question": QUESTIONS[n % len(QUESTIONS)]}))
                except Exception:  # the gateway is closed: nothing more reaches the bot
                    return
                n += 1
                await asyncio.sleep(0.05)

        traffic_task = asyncio.create_task(traffic())
        await asyncio.sleep(1.5)
        assert reload_ix.response is not None and not reload_ix.followups  # deferred, still building
        signalled = time.monotonic()
        code = await bot.stop(timeout=10)
        took = time.monotonic() - signalled
        stop.set()
        await traffic_task
    finally:
        await bot.stop()
    stderr = bot.log
    print(f"\nexit {took:.2f} s after SIGTERM; {len(sent)} /ask sent during the reload")
    assert code == 0, stderr
    assert "shutting down" in stderr and "Traceback" not in stderr
    assert not alive(child)
    closed = fake.gateway.connections[-1].closed_at
    assert closed is not None
    # the fake marks the connection closed when it reads the bot's close frame: an interaction it
    # sent in the last moments before that crossed the frame on the wire, or waited unread in the
    # bot's socket while the drain ended and the close began (aiohttp's close discards unread
    # frames), as on Discord, where it fails in the user's client. Seen: created 1 ms before
    # "closed", and once, under the whole suite's load, three created 72-173 ms before it
    in_flight = 0.25
    delivered = [ix for ix in fake.rest.interactions.values() if ix.created_at < closed - in_flight]
    assert len(sent) >= 10
    unanswered = [(ix.payload["data"]["name"], round(ix.created_at - closed, 3))
                  for ix in delivered if not answered(ix)]
    assert not unanswered, unanswered
    late = [round(ix.response.at - ix.created_at, 2) for ix in delivered if ix.response.at - ix.created_at > 3.0]
    assert not late, late  # Discord's 3 s window for the first response
    assert "cancelled" in reload_ix.followups[0].content
    for ix in sent:
        if ix.followups or (ix.original and ix.original.embeds):
            continue
        text = ix.original.content if ix.original else ""
        assert "Something went wrong" not in text
    assert not list((tmp_path / "index").glob("*/versions/*"))[1:]  # the killed build published nothing
