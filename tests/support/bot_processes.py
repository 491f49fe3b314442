"""Real ``python -m bot run`` processes against the fake Discord (through
tests/support/run_cli_against_fake.py), for the tests of the command and of several processes:
start one (on some shards), read its log as it runs, ask through the fake, stop it with a signal."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.fake_discord.payloads import MANAGE_GUILD, User

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "tests" / "support" / "run_cli_against_fake.py"


@dataclass
class BotProcess:
    name: str
    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task | None = None

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    async def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send ``sig`` (if still running) and wait ``timeout`` s for the exit, then kill; the exit code."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # ended a moment ago
                self.proc.send_signal(sig)
        return await self.exited(timeout)

    async def exited(self, timeout: float) -> int:
        """The exit code, once the process has ended (killed after ``timeout`` s) and its log is read."""
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        if self.reader is not None:
            await self.reader
        return self.proc.returncode


async def _collect(stream, lines: list[str]) -> None:
    async for raw in stream:
        lines.append(raw.decode(errors="replace"))


async def spawn_bot_process(name: str, corpus: Path, work: Path, *args: str, token: str, api: str, gateway: str,
                            **env: str) -> BotProcess:
    """``python -m bot run`` on ``corpus`` against the Discord at ``api``/``gateway``, with its index
    folder ``work/index`` and a database of its own; its log is read as it runs. Not waited for."""
    full_env = dict(os.environ, DISCORD_TOKEN=token, BOT_INDEX_DIR=str(work / "index"),
                    BOT_DATA_DIR=str(work / f"data-{name}"), FAKE_DISCORD_API=api,
                    FAKE_DISCORD_GATEWAY=gateway, PYTHONPATH=str(ROOT), **env)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(DRIVER), "run", "--corpus", str(corpus), *args,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        env=full_env, cwd=str(work))
    bot = BotProcess(name, proc)
    bot.reader = asyncio.create_task(_collect(proc.stderr, bot.lines))
    return bot


async def start_bot_process(fake, name: str, corpus: Path, work: Path, *args: str, **env: str) -> BotProcess:
    """A bot process on ``corpus`` connected to ``fake``, with its index folder ``work/index`` (shared
    by every process given the same ``work``) and a database of its own; returns once it is connected."""
    bot = await spawn_bot_process(name, corpus, work, *args, token=fake.token, api=fake.api_base,
                                  gateway=fake.gateway_url, **env)
    proc = bot.proc
    try:
        await fake.wait_for(lambda: bot.count("connected as") or proc.returncode is not None, timeout=60,
                            what=f"bot process {name} connected")
    except BaseException:
        await bot.stop()
        raise
    if proc.returncode is not None:
        await bot.stop()
        raise AssertionError(f"bot process {name} exited with {proc.returncode}:\n{bot.log}")
    return bot


async def ask(fake, question: str, guild, user: User | None = None, timeout: float = 15.0):
    """/ask in ``guild`` as ``user`` (a new one by default); the reply once it is there."""
    ix = await fake.send_slash_command("ask", {"question": question}, guild_id=guild.id,
                                       channel_id=guild.text_channel.id, user=user or User.new("asker"))
    callback = await fake.wait_for_interaction_response(ix, timeout=timeout)
    if callback.type == 4:  # answered at once (a cooldown notice, a decline)
        return ix, callback.data
    reply = await fake.wait_for_original(ix, timeout=timeout)
    return ix, reply


def text_of(reply: dict) -> str:
    return " ".join([reply.get("content") or ""] + [e.get("description") or "" for e in reply.get("embeds") or []])


async def reload_in(fake, guild, timeout: float = 60.0) -> str:
    """/reload by a moderator (a role with Manage Server in ``guild``); the private report."""
    role = next(r for r in guild.roles if r.permissions & MANAGE_GUILD and r.id != guild.id)
    ix = await fake.send_slash_command("reload", guild_id=guild.id, channel_id=guild.text_channel.id,
                                       user=User.new("mod"), roles=[role])
    message = await fake.wait_for_followup(ix, timeout=timeout)
    return message.content
