"""`python -m bot run` as a real process: connects, syncs when asked, answers, logs without the
token or the question, and stops cleanly on SIGTERM and Ctrl-C (SIGINT)."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support.bot_harness import CORPUS

DRIVER = Path(__file__).resolve().parents[1] / "support" / "run_cli_against_fake.py"
ROOT = Path(__file__).resolve().parents[2]


async def spawn(fake, *args: str, index_dir: Path) -> asyncio.subprocess.Process:
    env = dict(os.environ, DISCORD_TOKEN=fake.token, BOT_INDEX_DIR=str(index_dir), FAKE_DISCORD_API=fake.api_base,
               FAKE_DISCORD_GATEWAY=fake.gateway_url, BOT_DEV_GUILD_ID=str(fake.guild.id),
               PYTHONPATH=str(ROOT))
    return await asyncio.create_subprocess_exec(
        sys.executable, str(DRIVER), "run", "--corpus", str(CORPUS), *args,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=env, cwd=str(ROOT))


async def collect(stream, lines: list[str]) -> None:
    async for raw in stream:
        lines.append(raw.decode(errors="replace"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_run_syncs_answers_and_stops_cleanly(fake_discord, sig, tmp_path):
    fake = fake_discord
    proc = await spawn(fake, "--sync", "guild", index_dir=tmp_path / "index")
    lines: list[str] = []
    reader = asyncio.create_task(collect(proc.stderr, lines))
    try:
        await fake.wait_for(lambda: any("connected as" in line for line in lines), timeout=30, what="the bot ready")
        names = {c["name"] for c in fake.rest.guild_commands[fake.guild.id]}
        assert names >= {"ask", "timeline", "sources", "reload", "help"}
        ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe, the Nazi businessman?"})
        reply = await fake.wait_for_original(ix, timeout=10)
        assert "John Rabe" in reply.embeds[0]["description"]
        await asyncio.sleep(0.2)
        proc.send_signal(sig)
        code = await asyncio.wait_for(proc.wait(), 15)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    await reader
    stderr = "".join(lines)
    assert code == 0, stderr
    assert fake.rest.guild_commands.get(fake.guild.id)
    assert "shutting down" in stderr
    assert "question guild=" in stderr and "answered=True" in stderr
    assert fake.token not in stderr and "Nazi businessman" not in stderr
    await fake.wait_for(lambda: fake.gateway.connections and fake.gateway.connections[-1].closed_at, timeout=5,
                        what="the gateway connection closed")


async def test_plain_start_does_not_sync(fake_discord, tmp_path):
    fake = fake_discord
    proc = await spawn(fake, index_dir=tmp_path / "index")
    try:
        await fake.wait_for(lambda: fake.gateway.identify_count >= 1, timeout=30, what="IDENTIFY")
        await asyncio.sleep(0.5)
        assert not fake.requests_matching("PUT", r"/commands$")
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_rejected_token_is_reported_without_the_token(fake_discord, tmp_path):
    fake = fake_discord
    fake.token = "the-real-token"  # the fake accepts only this one
    env_token = "wrong-token-123"
    env = dict(os.environ, DISCORD_TOKEN=env_token, BOT_INDEX_DIR=str(tmp_path / "index"),
               FAKE_DISCORD_API=fake.api_base, FAKE_DISCORD_GATEWAY=fake.gateway_url, PYTHONPATH=str(ROOT))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(DRIVER), "run", "--corpus", str(CORPUS), stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=str(ROOT))
    code = await asyncio.wait_for(proc.wait(), 30)
    stderr = (await proc.stderr.read()).decode()
    assert code == 1 and "rejected the token" in stderr
    assert env_token not in stderr


async def test_unreachable_discord_is_a_clear_message(tmp_path):
    env = dict(os.environ, DISCORD_TOKEN="some-token", BOT_INDEX_DIR=str(tmp_path / "index"),
               FAKE_DISCORD_API="http://127.0.0.1:9/api/v10", FAKE_DISCORD_GATEWAY="ws://127.0.0.1:9/",
               PYTHONPATH=str(ROOT))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(DRIVER), "run", "--corpus", str(CORPUS), stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=str(ROOT))
    code = await asyncio.wait_for(proc.wait(), 60)
    stderr = (await proc.stderr.read()).decode()
    assert code == 1 and "Could not reach Discord" in stderr and "Traceback" not in stderr
    assert "some-token" not in stderr
