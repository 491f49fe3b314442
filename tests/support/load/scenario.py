"""The load scenario: users, flooders, pretenders and a moderator at work on the fake Discord.

``run_load`` sets up the corpus versions (``tests.support.load.versions``) and the members, starts
the bot, drives the users and the reloads at once (``LoadRun``), then evaluates every action
(``tests.support.load.evaluation``) into a ``Report``. ``benchmarks/bench_load.py``'s docstring
tells the whole story.
"""
from __future__ import annotations

import asyncio
import logging
import math
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.discord.client import QuoteBot
from index.live import LiveIndex
from tests.support.fake_discord.payloads import FLAG_EPHEMERAL, Role, User, find_component, snowflake
from tests.support.fake_discord.records import CB_DEFERRED_CHANNEL_MESSAGE
from tests.support.fake_discord.server import FakeDiscord
from tests.support.load.evaluation import Evaluation, tags_of
from tests.support.load.report import Action, LoadConfig, Report
from tests.support.load.versions import MARKER_QUESTION, Version, build_versions, point

QUESTIONS = [
    "Who was John Rabe?",
    "What was the Safety Zone?",
    "when did japan attack shanghai",
    "how many people were killed in Nanking",
    "Who ran Nanking after the massacre?",
    "what happened to the city itself during the occupation",
    "what happens to tangs sister in law in city of life and death",
    "dec 14-21 what happened",
    "what did the commenters say about the film",
    "Who was Minnie Vautrin?",
    "what is The Truth about Nanking",
    "Who directed City of Life and Death?",
    "When were the Tokyo Trials?",
    "what was Iwane Matsui convicted of",
    "whats the weather like in nanjing this week",         # not in the sources
    "what is the capital of france",                        # not in the sources
    "Feb 30 what happened",                                 # an impossible date: searched as words
    "@everyone who was **John Rabe** <@&123456789012345678> <#42>",
    "نانجينغ \u200b南京大屠杀 \u202eJohn Rabe\u202c",
    "the of and to",                                        # only stopwords
    "?!?...",                                               # only punctuation
    "Who was John Rabe? " + "please tell me more about the safety zone " * 20,   # > 500 characters
    MARKER_QUESTION,
    MARKER_QUESTION,
]


class _Capture(logging.Handler):
    """Every WARNING+ record of any logger while the bot runs (but discord.py's note that voice
    support is not installed)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "voice will NOT be supported" not in record.getMessage():
            self.records.append(record)



class LoadRun:
    """One scenario: set up the world and the corpus versions, start the bot, drive, evaluate."""

    def __init__(self, fake: FakeDiscord, workdir: Path, config: LoadConfig,
                 start_bot: Callable[..., Any] | None = None) -> None:
        self.fake, self.workdir, self.cfg = fake, workdir, config
        self.rng = random.Random(config.seed)
        self._start_bot = start_bot or fake.start_bot
        self.actions: list[Action] = []
        self.answers: list[tuple[Action, dict]] = []   # public answers with a pager: (action, message)
        self.served: list[tuple[float, float | None, Version]] = []  # (from, until, version)
        self.sent = 0
        self._reply_index: dict[int, Any] = {}
        self._posts_seen = 0
        self.bot: QuoteBot | None = None
        self.running = None
        self.big: dict[str, float | None] = {}   # big reloads: seconds the bot reported

    # ------------------------------------------------------------------ setup
    def _per_user(self) -> tuple[int, int]:
        """(actions per ordinary user, per flooder)."""
        c = self.cfg
        ordinary = max(1, c.users - c.flooders)
        per = max(1, math.ceil(c.interactions / (ordinary + 2 * c.flooders)))
        return per, 2 * per + 2

    async def setup(self) -> None:
        c, fake = self.cfg, self.fake
        self.versions = build_versions(self.workdir / "versions", c.reloads, c.big_reloads)
        self.live_dir = self.workdir / "corpus"
        point(self.live_dir, self.versions[0].path)
        self.users = [User.new(f"user{i:03d}") for i in range(c.users)]
        for u in self.users:
            fake.add_member(u)
        # members whose roles are named like moderators' but give no permission
        named = [Role(snowflake(), name, 0, position=2 + i) for i, name in enumerate(("Moderators", "Admin", "Owner"))]
        fake.guild.roles += named
        self.pretenders = []
        for i in range(c.pretenders):
            u = User.new(f"pretender{i}")
            fake.add_member(u, roles=[named[i % len(named)].id])
            self.pretenders.append(u)
        per, flood = self._per_user()
        self.per_user, self.per_flooder = per, flood
        rate = c.cooldown_rate or per + 1
        self.cooldown_rate = rate
        live = LiveIndex(self.live_dir)
        live.load()
        self.bot = QuoteBot(live, Config(corpus_dir=self.live_dir, cooldown_rate=rate, cooldown_seconds=3600.0,
                                         dev_guild_id=fake.guild.id))
        self.running = await self._start_bot(self.bot)
        await self.bot.sync_commands("guild", fake.guild.id)
        self.served.append((0.0, None, self.versions[0]))

    # ------------------------------------------------------------------ driving
    def reply_to(self, message_id: int) -> dict | None:
        posts = self.fake.rest.channel_posts
        while self._posts_seen < len(posts):
            post = posts[self._posts_seen]
            self._posts_seen += 1
            ref = post.get("message_reference") or {}
            if ref.get("message_id"):
                self._reply_index.setdefault(int(ref["message_id"]), post)
        return self._reply_index.get(message_id)

    def _done(self, a: Action) -> bool:
        if a.ix is not None:
            cb = a.ix.response
            return cb is not None and (cb.type != CB_DEFERRED_CHANNEL_MESSAGE or bool(a.ix.followups))
        return a.message_id is not None and self.reply_to(a.message_id) is not None

    async def _wait_done(self, a: Action, timeout: float) -> bool:
        try:
            await self.fake.wait_for(lambda: self._done(a), timeout, what=f"{a.kind} answered")
            return True
        except AssertionError:
            return False

    async def _ask(self, user: User, flooder: bool, mention: bool) -> Action:
        question = self.rng.choice(QUESTIONS)
        a = Action("mention" if mention else "ask", user, flooder, question)
        self.actions.append(a)
        self.sent += 1
        a.sent_at = time.monotonic()
        if mention:
            msg = await self.fake.send_message(f"{self.fake.bot_user.mention} {question}", author=user)
            a.message_id = int(msg["id"])
        else:
            a.ix = await self.fake.send_slash_command("ask", {"question": question}, user=user)
        return a

    async def _click(self, user: User) -> Action | None:
        candidates = [(o, m) for o, m in self.answers if not m.deleted]
        if not candidates:
            return None
        own = [(o, m) for o, m in candidates if o.user.id == user.id]
        origin, message = self.rng.choice(own) if own and self.rng.random() < 0.5 else self.rng.choice(candidates)
        for label in ("More results", "Previous"):
            try:
                if not find_component(message, label=label).get("disabled"):
                    break
            except LookupError:
                return None
        else:
            return None
        a = Action("click", user, expect_own=origin.user.id == user.id, origin_tag=origin.tag)
        self.actions.append(a)
        self.sent += 1
        a.sent_at = time.monotonic()
        a.ix = await self.fake.click_button(message, label=label, user=user)
        return a

    def _remember_pager(self, a: Action) -> None:
        message = None
        if a.ix is not None:
            message = a.ix.followups[0] if a.ix.followups else a.ix.original
        elif a.message_id is not None:
            message = self.reply_to(a.message_id)
        if message is None or message.get("flags", 0) & FLAG_EPHEMERAL or not message.get("components"):
            return
        tags = tags_of(message)
        a.tag = next(iter(tags)) if len(tags) == 1 else None
        self.answers.append((a, message))

    async def _ordinary(self, user: User) -> None:
        c = self.cfg
        await asyncio.sleep(self.rng.uniform(0, c.think[1]))  # users do not all start at once
        for _ in range(self.per_user):
            if self.sent >= c.interactions:
                return
            a = None
            if self.rng.random() < c.click_share:
                a = await self._click(user)
            if a is None:
                a = await self._ask(user, False, self.rng.random() < c.mention_share)
            if await self._wait_done(a, c.reply_timeout) and a.kind != "click":
                self._remember_pager(a)
            await asyncio.sleep(self.rng.uniform(*c.think))

    async def _flooder(self, user: User) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.cfg.think[1]))
        for i in range(self.per_flooder):
            if self.sent >= self.cfg.interactions:
                return
            await self._ask(user, True, mention=i % 3 != 2)
            await asyncio.sleep(0.005)

    async def _reload(self, version: Version, user: User, kind: str = "reload") -> Action:
        a = Action(kind, user, version=version)
        self.actions.append(a)
        a.sent_at = time.monotonic()
        a.ix = await self.fake.send_slash_command("reload", user=user, check_available=kind == "reload")
        await self._wait_done(a, self.cfg.reply_timeout)
        return a

    async def _moderators(self) -> None:
        c = self.cfg
        total = c.interactions
        pretend_at = {round((i + 0.5) * c.reloads / max(1, c.pretenders)) for i in range(c.pretenders)}
        pretenders = iter(self.pretenders)
        count = len(self.versions) - 1
        for n, version in enumerate(self.versions[1:], start=1):
            await self.fake.wait_for(lambda n=n: self.sent >= n * total / (count + 1) or self._users_done,
                                     timeout=600, what="progress")
            point(self.live_dir, version.path if version.path.exists() else self.workdir / "gone")
            a = await self._reload(version, self.fake.moderator)
            reply = a.ix.followups[0] if a.ix and a.ix.followups else None
            if version.fault is None and reply is not None and "Reloaded in" in reply.content:
                self.served[-1] = (self.served[-1][0], time.monotonic(), self.served[-1][2])
                self.served.append((a.sent_at, None, version))
            if version.note and reply is not None:
                found = re.search(r"Reloaded in ([\d.]+) s", reply.content)
                self.big[version.note] = float(found.group(1)) if found else None
            if n in pretend_at:
                user = next(pretenders, None)
                if user is not None:
                    await self._reload(version, user, "pretend")
        for user in pretenders:
            await self._reload(self.versions[-1], user, "pretend")

    async def drive(self) -> None:
        c = self.cfg
        self._users_done = False
        flooders = set(u.id for u in self.users[c.users - c.flooders:]) if c.flooders else set()
        tasks = [asyncio.create_task(self._flooder(u) if u.id in flooders else self._ordinary(u)) for u in self.users]
        moderators = asyncio.create_task(self._moderators())
        await asyncio.gather(*tasks)
        self._users_done = True
        await moderators
        # let the flooders' last messages settle: every interaction answered, replies stop coming
        pending = [a for a in self.actions if a.ix is not None or not a.flooder]
        try:
            await self.fake.wait_for(lambda: all(self._done(a) for a in pending), c.reply_timeout, what="all answered")
        except AssertionError:
            pass
        quiet, last = 0, len(self.fake.rest.requests)
        while quiet < 3:
            await asyncio.sleep(0.2)
            now = len(self.fake.rest.requests)
            quiet, last = (quiet + 1, now) if now == last else (0, now)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, capture: _Capture, loop_errors: list[str]) -> Report:
        return Evaluation(self).evaluate(capture.records, loop_errors)


async def run_load(fake: FakeDiscord, workdir: Path, config: LoadConfig,
                   start_bot: Callable[..., Any] | None = None,
                   before_drive: Callable[[LoadRun], None] | None = None) -> Report:
    """Run the scenario on a started ``fake``; the bot is stopped at the end unless ``start_bot``
    (the tests' fixture, which stops it itself) is given."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    loop = asyncio.get_running_loop()
    loop_errors: list[str] = []
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(
        lambda _loop, ctx: loop_errors.append(f"unhandled: {ctx.get('message')} {ctx.get('exception')!r}"))
    run = LoadRun(fake, workdir, config, start_bot)
    started = time.monotonic()
    try:
        await run.setup()
        if before_drive is not None:
            before_drive(run)
        await run.drive()
    finally:
        wall = time.monotonic() - started
        if start_bot is None and run.running is not None:
            await run.running.stop()
        root.removeHandler(capture)
        loop.set_exception_handler(previous_handler)
    report = run.evaluate(capture, loop_errors)
    report.wall = wall
    return report
