"""`python -m bot run` as a real process: connects, syncs when asked, answers, logs without the
token or the question, and stops cleanly on SIGTERM and Ctrl-C (SIGINT); `python -m bot health` says
whether it serves."""
from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from tests.support.bot_harness import CORPUS
from tests.support.bot_processes import ROOT, spawn_bot_process, start_bot_process


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_run_syncs_answers_and_stops_cleanly(fake_discord, sig, tmp_path):
    fake = fake_discord
    bot = await start_bot_process(fake, "bot", CORPUS, tmp_path, "--sync", "guild", BOT_DEV_GUILD_ID=str(fake.guild.id))
    try:
        names = {c["name"] for c in fake.rest.guild_commands[fake.guild.id]}
        assert names >= {"ask", "timeline", "sources", "reload", "help"}
        ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe, the Nazi businessman?"})
        reply = await fake.wait_for_original(ix, timeout=10)
        assert "John Rabe" in reply.embeds[0]["description"]
        await asyncio.sleep(0.2)
        code = await bot.stop(sig, timeout=15)
    finally:
        await bot.stop()
    stderr = bot.log
    assert code == 0, stderr
    assert fake.rest.guild_commands.get(fake.guild.id)
    assert "shutting down" in stderr
    assert "question guild=" in stderr and "answered=True" in stderr
    assert fake.token not in stderr and "Nazi businessman" not in stderr
    await fake.wait_for(lambda: fake.gateway.connections and fake.gateway.connections[-1].closed_at, timeout=5,
                        what="the gateway connection closed")


async def test_plain_start_does_not_sync(fake_discord, tmp_path):
    fake = fake_discord
    bot = await start_bot_process(fake, "bot", CORPUS, tmp_path)
    try:
        assert fake.gateway.identify_count >= 1
        await asyncio.sleep(0.5)
        assert not fake.requests_matching("PUT", r"/commands$")
        assert await bot.stop(timeout=15) == 0
    finally:
        await bot.stop()


async def test_rejected_token_is_reported_without_the_token(fake_discord, tmp_path):
    fake = fake_discord
    fake.token = "the-real-token"  # the fake accepts only this one
    env_token = "wrong-token-123"
    bot = await spawn_bot_process("bot", CORPUS, tmp_path, token=env_token, api=fake.api_base,
                                  gateway=fake.gateway_url)
    code = await bot.exited(30)
    assert code == 1 and "rejected the token" in bot.log
    assert env_token not in bot.log


async def test_unreachable_discord_is_a_clear_message(tmp_path):
    bot = await spawn_bot_process("bot", CORPUS, tmp_path, token="some-token", api="http://127.0.0.1:9/api/v10",
                                  gateway="ws://127.0.0.1:9/")
    code = await bot.exited(60)
    assert code == 1 and "Could not reach Discord" in bot.log and "Traceback" not in bot.log
    assert "some-token" not in bot.log


async def _health(data_dir) -> tuple[int, str]:
    """`python -m bot health` on the bot's data folder, as a container healthcheck runs it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "health", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env=dict(os.environ, BOT_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT)), cwd=str(ROOT))
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
async def test_health_is_ok_while_the_process_serves_and_not_once_it_is_gone(fake_discord, sig, tmp_path):
    bot = await start_bot_process(fake_discord, "bot", CORPUS, tmp_path)
    try:
        code, out = await _health(tmp_path / "data-bot")
        assert code == 0 and f"ok: process {bot.proc.pid}: " in out and "connected to the Discord gateway" in out, out
        await bot.stop(sig, timeout=15)
    finally:
        await bot.stop()
    code, out = await _health(tmp_path / "data-bot")
    assert code == 1 and "no bot process of this host" in out, out
