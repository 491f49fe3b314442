"""Faults around the project's bot (QuoteBot), through the real discord.py client and the fake Discord.

* the gateway closes mid-load, with resumable (4000, 1006) and non-resumable (4007, 4009) codes:
  discord.py RESUMEs or IDENTIFYs again, the bot keeps answering, every interaction the fake
  delivered gets its initial response within 3 s, and the bot logs each loss once;
* REST calls answered 429 (with retry_after) or 500: discord.py retries, the user still gets the
  answer (an interaction's within its 3 s window), and each fault is logged exactly once;
* every broken corpus of ``tests/index/test_corpus_faults.py`` sent to ``/reload``: refused with
  ``file:line: message`` in a code span, the previous snapshot still answering; a BOM and CRLF
  line endings reload fine.

Everything runs with the root logger at DEBUG, and the bot's token appears in no log record;
interaction tokens appear in none at WARNING or above.
"""
from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass

import pytest

import index.corpus.loader as corpus_mod
from tests.index.test_corpus_faults import FAULTS
from tests.support.bot_harness import CORPUS, assert_never_pings, copy_corpus, start_quote_bot
from tests.support.fake_discord.records import CB_CHANNEL_MESSAGE, CB_DEFERRED_CHANNEL_MESSAGE

TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gx-SECRET.do-not-log-this-fake-token"
ACK_WINDOW = 3.0
LOST = "lost the connection to the Discord gateway"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self, record: logging.LogRecord) -> str:
        return self.format(record) + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")

    def at_least(self, level: int, since: int = 0) -> list[logging.LogRecord]:
        return [r for r in self.records[since:]
                if r.levelno >= level and "voice will NOT be supported" not in r.getMessage()]


@pytest.fixture
def logs():
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    everything = "\n".join(capture.text(r) for r in capture.records)
    assert TOKEN not in everything and TOKEN.split(".")[1] not in everything, "the bot token was logged"


@pytest.fixture
def corpus(tmp_path):
    return copy_corpus(tmp_path)


@pytest.fixture
async def bot(fake_discord, start_bot, corpus, logs):
    fake_discord.token = TOKEN
    return await start_quote_bot(fake_discord, start_bot, corpus)


def assert_no_interaction_token_logged(fake, logs: Capture) -> None:
    warnings = "\n".join(logs.text(r) for r in logs.at_least(logging.WARNING))
    for ix in fake.rest.interactions.values():
        assert ix.token not in warnings, "an interaction token was logged"


# --- the gateway closes mid-load ---------------------------------------------------------------

@dataclass
class Sent:
    kind: str
    connected: bool          # was the bot's gateway connection open when this was sent?
    ix: object = None
    message_id: int | None = None


async def traffic(fake, stop: asyncio.Event, sent: list[Sent], users) -> None:
    """Users asking by /ask and by mention, one every ~20 ms, until ``stop``."""
    n = 0
    while not stop.is_set():
        user = users[n % len(users)]
        before = fake.gateway.connected
        if n % 3:
            ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"}, user=user)
            sent.append(Sent("ask", before and fake.gateway.connected, ix=ix))
        else:
            msg = await fake.send_message(f"{fake.bot_user.mention} what was the Safety Zone?", author=user)
            sent.append(Sent("mention", before and fake.gateway.connected, message_id=int(msg["id"])))
        n += 1
        await asyncio.sleep(0.02)


def answered(fake, s: Sent) -> bool:
    if s.kind == "ask":
        return s.ix.response is not None
    return any(str((m.get("message_reference") or {}).get("message_id")) == str(s.message_id)
               for m in fake.rest.channel_posts)


@pytest.mark.parametrize("code, resumable", [(4000, True), (1006, True), (4007, False), (4009, False)])
async def test_gateway_close_mid_load(fake_discord, bot, logs, code, resumable):
    fake = fake_discord
    from tests.support.fake_discord.payloads import User

    users = [User.new(f"asker{i}") for i in range(5)]
    for u in users:
        fake.add_member(u)
    stop, sent = asyncio.Event(), []
    runner = asyncio.create_task(traffic(fake, stop, sent, users))
    await fake.wait_for(lambda: len(sent) >= 15, what="traffic")
    mark = len(logs.records)
    await fake.close_gateway(code)
    if resumable:
        await fake.wait_for(lambda: fake.gateway.resumed_count == 1, what="a RESUME")
    else:
        await fake.wait_for(lambda: fake.gateway.identify_count == 2 and bot.is_ready(), what="a new IDENTIFY")
    after = len(sent)
    await fake.wait_for(lambda: len(sent) >= after + 15, what="traffic after the reconnection")
    stop.set()
    await runner
    await fake.wait_for(lambda: all(answered(fake, s) for s in sent if s.connected or resumable), timeout=10,
                        what="every delivered question answered")

    assert fake.gateway.identify_count == (1 if resumable else 2)
    for s in sent:
        if s.kind == "ask" and (s.connected or resumable):
            first = s.ix.response.at - s.ix.created_at
            assert first <= ACK_WINDOW, f"initial response after {first:.2f} s"
    # what was sent while the session was gone is lost, as on Discord; nothing else is
    lost = [s for s in sent if not answered(fake, s)]
    assert all(not s.connected for s in lost) and (resumable is False or not lost), lost
    # logged once, as a warning, and nothing logged as an error
    lines = [r.getMessage() for r in logs.at_least(logging.WARNING, mark)]
    assert sum(LOST in line for line in lines) == 1, lines
    assert not logs.at_least(logging.ERROR), [r.getMessage() for r in logs.at_least(logging.ERROR)]
    assert_no_interaction_token_logged(fake, logs)
    assert_never_pings(fake)


async def test_two_closes_in_a_row_then_a_reload(fake_discord, bot, logs):
    fake = fake_discord
    await fake.close_gateway(4000)
    await fake.wait_for(lambda: fake.gateway.resumed_count == 1, what="a RESUME")
    await fake.close_gateway(4009)
    await fake.wait_for(lambda: fake.gateway.identify_count == 2 and bot.is_ready(), what="a new IDENTIFY")
    ix = await fake.send_slash_command("reload", user=fake.moderator)
    assert "Reloaded in" in (await fake.wait_for_followup(ix)).content
    ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert "John Rabe" in (await fake.wait_for_original(ix)).embeds[0]["description"]
    assert sum(LOST in r.getMessage() for r in logs.at_least(logging.WARNING)) == 2


# --- REST faults -------------------------------------------------------------------------------

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
FOLLOWUP = r"^/webhooks/\d+/[^/]+$"
CHANNEL_POST = r"^/channels/\d+/messages$"


@pytest.mark.parametrize("status, route, what", [
    (429, CALLBACK, "ask"),
    (500, CALLBACK, "ask"),
    (429, FOLLOWUP, "reload"),
    (500, FOLLOWUP, "reload"),
    (429, CHANNEL_POST, "mention"),
    (500, CHANNEL_POST, "mention"),
], ids=["429-callback", "500-callback", "429-followup", "500-followup", "429-reply", "500-reply"])
async def test_rest_fault_is_retried_and_logged_once(fake_discord, bot, logs, status, route, what):
    fake = fake_discord
    mark = len(logs.records)
    rule = fake.fail_next("POST", route, status, retry_after=0.4)
    started = time.monotonic()
    if what == "ask":
        ix = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
        reply = await fake.wait_for_original(ix)
        assert ix.response.type == CB_CHANNEL_MESSAGE and "John Rabe" in reply.embeds[0]["description"]
        assert ix.response.at - ix.created_at <= ACK_WINDOW
    elif what == "reload":
        ix = await fake.send_slash_command("reload", user=fake.moderator)
        assert ix.response is None or ix.response.type == CB_DEFERRED_CHANNEL_MESSAGE
        assert "Reloaded in" in (await fake.wait_for_followup(ix)).content
    else:
        await fake.send_message(f"{fake.bot_user.mention} Who was John Rabe?")
        reply = await fake.wait_for_channel_message(fake.channel.id)
        assert "John Rabe" in reply.embeds[0]["description"]
    attempts = [r.status for r in fake.requests_matching("POST", route) if r.at >= started - 0.01]
    assert rule.hits == 1 and attempts[0] == status and any(200 <= a < 300 for a in attempts[1:]), attempts
    await asyncio.sleep(0.1)
    warnings = [r.getMessage() for r in logs.at_least(logging.WARNING, mark)]
    expected = "rate limited" if status == 429 else f"with HTTP {status}"
    assert len(warnings) == 1 and expected in warnings[0], warnings
    assert not logs.at_least(logging.ERROR)
    assert_no_interaction_token_logged(fake, logs)


async def test_rest_faults_on_every_route_at_once_under_traffic(fake_discord, bot, logs):
    """429s and 500s sprinkled over a burst: everything is still answered, each fault logged once."""
    fake = fake_discord
    rules = [fake.fail_next("POST", CALLBACK, 429, retry_after=0.2, times=2),
             fake.fail_next("POST", CALLBACK, 500, times=1),
             fake.fail_next("POST", CHANNEL_POST, 429, retry_after=0.2, times=1),
             fake.fail_next("POST", CHANNEL_POST, 500, times=1)]
    ixs, mentions = [], []
    for i in range(10):
        ixs.append(await fake.send_slash_command("ask", {"question": "What was the Safety Zone?"}))
        if i % 2:
            mentions.append(await fake.send_message(f"{fake.bot_user.mention} Who was Minnie Vautrin?"))
    await fake.wait_for(lambda: all(ix.response for ix in ixs) and len(fake.rest.channel_posts) >= len(mentions),
                        timeout=15, what="everything answered")
    assert all(ix.response.at - ix.created_at <= ACK_WINDOW for ix in ixs)
    assert [r.hits for r in rules] == [2, 1, 1, 1]
    warnings = [r.getMessage() for r in logs.at_least(logging.WARNING)]
    assert len(warnings) == 5, warnings
    assert sum("rate limited" in w for w in warnings) == 3 and sum("HTTP 500" in w for w in warnings) == 2
    assert not logs.at_least(logging.ERROR)
    assert_never_pings(fake)


# --- broken corpora through /reload ------------------------------------------------------------

def restore(corpus) -> None:
    if corpus.is_symlink() or corpus.is_file():
        corpus.unlink()
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(CORPUS, corpus)


async def test_every_broken_corpus_is_refused_by_reload_and_the_old_one_keeps_serving(fake_discord, bot, corpus, logs):
    fake = fake_discord
    for fault in FAULTS:
        restore(corpus)
        before = bot.live.current
        where, fragment = fault.apply(corpus)
        ix = await fake.send_slash_command("reload", user=fake.moderator)
        reply = await fake.wait_for_followup(ix)
        assert reply.ephemeral
        if where is None:  # BOM, CRLF
            assert "Reloaded in" in reply.content, (fault.name, reply.content)
            assert bot.live.current is not before
        else:
            assert "still serving the previous corpus" in reply.content, (fault.name, reply.content)
            shown = fragment.replace("`", "ˋ")
            assert f"`{where}: " in reply.content and shown in reply.content, (fault.name, reply.content)
            assert "\\" not in reply.content.replace("'\\t'", ""), reply.content  # no markdown escapes in code spans
            assert bot.live.current is before
        ask = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
        assert "John Rabe" in (await fake.wait_for_original(ask)).embeds[0]["description"], fault.name
    assert not logs.at_least(logging.ERROR)


async def test_corpus_vanishing_during_reload(fake_discord, bot, corpus, logs, monkeypatch):
    fake = fake_discord
    real_read = corpus_mod.read_file

    def vanish(path):
        data = real_read(path)
        shutil.rmtree(corpus, ignore_errors=True)
        return data

    monkeypatch.setattr(corpus_mod, "read_file", vanish)
    before = bot.live.current
    ix = await fake.send_slash_command("reload", user=fake.moderator)
    reply = await fake.wait_for_followup(ix)
    assert "still serving the previous corpus" in reply.content
    assert "`corpus:0: corpus folder disappeared" in reply.content
    assert bot.live.current is before
    ask = await fake.send_slash_command("ask", {"question": "Who was John Rabe?"})
    assert (await fake.wait_for_original(ask)).embeds
