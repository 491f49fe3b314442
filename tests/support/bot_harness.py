"""Start the project's bot (QuoteBot) against the fake Discord, on a private copy of the corpus."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.discord.client import QuoteBot
from index.live import LiveIndex
from tests.support.fake_discord.server import FakeDiscord

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# Every body the bot sends that can show text must carry allowed_mentions with nothing parsed.
_TEXT_KEYS = ("content", "embeds")


def copy_corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


async def start_quote_bot(fake: FakeDiscord, start_bot, corpus: Path, live: LiveIndex | None = None,
                          **config: Any) -> QuoteBot:
    """A running QuoteBot with its commands synced to the test guild and globally (for DMs)."""
    settings = {"corpus_dir": corpus, "cooldown_rate": 1000, "cooldown_seconds": 60.0, "dev_guild_id": fake.guild.id}
    settings.update(config)
    if live is None:
        live = LiveIndex(corpus)
        live.load()
    bot = QuoteBot(live, Config(**settings))
    await start_bot(bot)
    await bot.sync_commands("guild", fake.guild.id)
    await bot.tree.sync()
    return bot


def sent_bodies(fake: FakeDiscord) -> list[dict]:
    """The JSON bodies of every request in which the bot showed text to someone."""
    bodies = []
    for request in fake.requests:
        body = request.json if isinstance(request.json, dict) else None
        if body is None or request.method not in ("POST", "PATCH"):
            continue
        data = body.get("data") if isinstance(body.get("data"), dict) else body  # interaction callbacks nest it
        if any(data.get(k) for k in _TEXT_KEYS):
            bodies.append(data)
    return bodies


def assert_never_pings(fake: FakeDiscord) -> None:
    bodies = sent_bodies(fake)
    assert bodies, "the bot sent nothing"
    for data in bodies:
        allowed = data.get("allowed_mentions") or {}
        assert allowed.get("parse") == [] and not allowed.get("replied_user") and not allowed.get("users") \
            and not allowed.get("roles"), data
