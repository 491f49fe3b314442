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
import math
import os
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from bot.config import Config
from bot.discord_client import QuoteBot
from bot.render.discord_embeds import escape
from index.live import LiveIndex
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_records import CB_CHANNEL_MESSAGE, CB_DEFERRED_CHANNEL_MESSAGE, CB_UPDATE_MESSAGE, InteractionRecord
from tests.discord.payloads import FLAG_EPHEMERAL, Role, User, find_component, snowflake

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ACK_WINDOW = 3.0           # Discord's deadline for an interaction's initial response
TAG_RE = re.compile(r"SNAP(\d\d)")
MARKER_WORD = "zephyrquartz"
MARKER_ID = "load-marker"
MARKER_TEXT = f"The {MARKER_WORD} ledger is kept by the load test; it records nothing about history.\n"
MARKER_QUESTION = f"What does the {MARKER_WORD} ledger record?"
FILE_LINE = re.compile(r"`corpus(?:/[\w.-]+)*:\d+: ")

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


# ============================================================================ corpus versions

def _split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n"), "a source starts with its front matter"
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + len("\n---\n"):]


def _join_front_matter(fm: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + body


def tag_source(text: str, tag: str) -> str:
    """The source with ``tag`` in front of its title, attributions and context notes."""
    fm, body = _split_front_matter(text)
    default = f"{fm['title']} ({fm['publisher']})"   # the loader's default attribution
    fm["attribution"] = f"{tag} {fm.get('attribution') or default}"
    fm["title"] = f"{tag} {fm['title']}"
    if fm.get("context"):
        fm["context"] = f"{tag} {fm['context']}"
    for section in fm.get("sections") or []:
        for key in ("attribution", "context"):
            if section.get(key):
                section[key] = f"{tag} {section[key]}"
    return _join_front_matter(fm, body)


def marker_source(tag: str) -> str:
    fm = {"id": MARKER_ID, "title": f"{tag} Load-test ledger", "kind": "test", "publisher": "the load test",
          "seed": "none.txt", "context": f"{tag} A source that exists only in some corpus versions."}
    return _join_front_matter(fm, MARKER_TEXT)


def _fault_latin1(d: Path) -> None:
    (d / "sources" / "zz-latin1.md").write_bytes(
        b"---\nid: zz-latin1\ntitle: T\nkind: k\npublisher: P\nseed: s\n---\nCaf\xe9 au lait.\n")


def _fault_tab(d: Path) -> None:
    (d / "sources" / "zz-tab.md").write_text(
        "---\nid: zz-tab\ntitle: T\nkind: k\npublisher: P\nseed: s\nsections:\n\t- heading: A\n---\n## A\nText.\n",
        encoding="utf-8")


def _fault_timeline_source(d: Path) -> None:
    with open(d / "timeline.yaml", "a", encoding="utf-8") as f:
        f.write("\n- id: t-zz-missing\n  source: no-such-source\n  date_text: \"1937\"\n  date: \"1937\"\n"
                "  text: Something happened\n")


def _fault_date(d: Path) -> None:
    with open(d / "timeline.yaml", "a", encoding="utf-8") as f:
        f.write("\n- id: t-zz-date\n  source: documentary-nanking\n  date_text: August 13\n  date: 1937-02-30\n"
                "  text: Japanese attack Shanghai\n")


def _fault_truncated(d: Path) -> None:
    (d / "sources" / "zz-truncated.md").write_text("---\nid: zz-truncated\ntitle: The Tr", encoding="utf-8")


def _fault_duplicate(d: Path) -> None:
    text = (d / "sources" / "documentary-nanking.md").read_text(encoding="utf-8")
    (d / "sources" / "zz-copy.md").write_text(text, encoding="utf-8")


def _fault_empty(d: Path) -> None:
    shutil.rmtree(d)
    d.mkdir()


def _fault_vanished(d: Path) -> None:
    shutil.rmtree(d)


FAULTS: dict[str, Callable[[Path], None]] = {
    "latin-1 bytes": _fault_latin1,
    "tab-indented YAML": _fault_tab,
    "timeline entry with a missing source": _fault_timeline_source,
    "impossible date 1937-02-30": _fault_date,
    "truncated front matter": _fault_truncated,
    "duplicate source id": _fault_duplicate,
    "empty corpus folder": _fault_empty,
    "corpus folder gone": _fault_vanished,
}


@dataclass
class Version:
    number: int
    tag: str
    path: Path
    fault: Optional[str] = None           # None: a valid corpus
    marker: bool = False
    titles: tuple[str, ...] = ()           # the source titles, as a "not in my sources" reply lists them
    note: Optional[str] = None             # a big corpus: what is big about it


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
         "ut labore et dolore magna aliqua.\n\n")


def _big_source(d: Path, tag: str) -> dict[str, str]:
    n = 50_000_000 // len(LOREM)
    body = "".join(f"## Part {i}\n{LOREM * (n // 500)}" for i in range(500))
    title = f"{tag} A 50 MB dump"
    (d / "sources" / "zz-big.md").write_text(_join_front_matter(
        {"id": "zz-big", "title": title, "kind": "dump", "publisher": "the load test", "seed": "none.txt"}, body),
        encoding="utf-8")
    return {"zz-big": title}


def _many_sources(d: Path, tag: str) -> dict[str, str]:
    titles = {}
    for i in range(10_000):
        sid, title = f"zz-note-{i:05d}", f"{tag} Note {i}"
        (d / "sources" / f"{sid}.md").write_text(_join_front_matter(
            {"id": sid, "title": title, "kind": "note", "publisher": "the load test", "seed": "none.txt"},
            f"Note {i} of the load test, number {i * 7}.\n"), encoding="utf-8")
        titles[sid] = title
    return titles


BIG = {"a 50 MB source": _big_source, "10,000 small sources": _many_sources}


def build_versions(base: Path, reloads: int, big: bool = False) -> list[Version]:
    """Version 0 (served at start), then one per reload: odd reloads valid, even ones broken;
    with ``big``, two more valid ones: one with a 50 MB source, one with 10,000 small sources."""
    versions = []
    sources = sorted((CORPUS / "sources").glob("*.md"))
    extra = list(BIG) if big else []
    for n in range(reloads + 1 + len(extra)):
        tag = f"SNAP{n:02d}"
        d = base / f"v{n:02d}"
        (d / "sources").mkdir(parents=True)
        titles: dict[str, str] = {}
        for src in sources:
            text = tag_source(src.read_text(encoding="utf-8"), tag)
            (d / "sources" / src.name).write_text(text, encoding="utf-8")
            titles[src.stem] = _split_front_matter(text)[0]["title"]
        for name in ("timeline.yaml", "entities.yaml"):
            shutil.copy(CORPUS / name, d / name)
        note = extra[n - reloads - 1] if n > reloads else None
        fault = None if note or n == 0 or n % 2 == 1 else list(FAULTS)[(n // 2 - 1) % len(FAULTS)]
        marker = fault is None and not note and n % 4 == 1
        if marker:
            (d / "sources" / f"{MARKER_ID}.md").write_text(marker_source(tag), encoding="utf-8")
            titles[MARKER_ID] = f"{tag} Load-test ledger"
        if note:
            titles.update(BIG[note](d, tag))
        if fault:
            FAULTS[fault](d)
        # "not in my sources" lists the titles in the corpus' order (by source id)
        versions.append(Version(n, tag, d, fault, marker, tuple(titles[k] for k in sorted(titles)), note))
    return versions


def point(link: Path, target: Path) -> None:
    """Atomically make ``link`` a symlink to ``target`` (the folder the bot reloads from)."""
    tmp = link.with_name(link.name + f".tmp{snowflake()}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


# ============================================================================ the run

@dataclass
class LoadConfig:
    interactions: int = 2000       # user actions: /ask, mentions and button clicks
    users: int = 100
    reloads: int = 10              # half of them broken
    flooders: int = 5              # users who send far more than the cooldown allows
    pretenders: int = 3            # /reload attempts by members with roles *named* like moderators'
    mention_share: float = 0.3
    click_share: float = 0.05
    think: tuple[float, float] = (0.3, 1.5)   # seconds an ordinary user waits between actions
    cooldown_rate: int = 0         # 0: just above what an ordinary user sends
    seed: int = 1937
    reply_timeout: float = 30.0
    big_reloads: bool = False      # two more reloads: a 50 MB source, then 10,000 small sources


@dataclass
class Action:
    kind: str                      # ask / mention / click / reload / pretend
    user: User
    flooder: bool = False
    question: Optional[str] = None
    sent_at: float = 0.0
    ix: Optional[InteractionRecord] = None
    message_id: Optional[int] = None   # mentions: the user's message
    expect_own: Optional[bool] = None  # clicks: on the user's own answer?
    version: Optional[Version] = None  # reloads: the corpus being loaded
    origin_tag: Optional[str] = None   # clicks: the tag of the answer clicked
    detail: Optional[str] = None       # reloads: the moderator's reply
    # filled in by the evaluation
    first: Optional[float] = None      # seconds to the initial response
    outcome: str = "pending"
    problem: Optional[str] = None
    tag: Optional[str] = None


@dataclass
class Report:
    config: LoadConfig
    actions: list[Action]
    reloads_done: int = 0
    reloads_refused: int = 0
    pretenders_refused: int = 0
    mixed: int = 0
    stale: int = 0
    late: int = 0
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    flooder_warnings: dict[int, int] = field(default_factory=dict)
    flooder_answers: dict[int, int] = field(default_factory=dict)
    cooldown_rate: int = 0
    big: dict[str, Optional[float]] = field(default_factory=dict)
    peak_rss: Optional[int] = None

    @property
    def user_actions(self) -> list[Action]:
        return [a for a in self.actions if a.kind in ("ask", "mention", "click")]

    @property
    def failed(self) -> list[Action]:
        return [a for a in self.actions if a.problem]

    def problems(self, limit: int = 20) -> list[str]:
        out = [f"{a.kind} by {a.user.username} ({a.question or ''!r:.60}): {a.problem}" for a in self.failed]
        return (out + [f"logged: {e}" for e in self.errors])[:limit]

    def latencies(self, kinds: tuple[str, ...]) -> list[float]:
        return sorted(a.first for a in self.actions if a.kind in kinds and a.first is not None)

    def summary(self) -> str:
        c = self.config
        acts = self.user_actions
        by_kind = {k: sum(a.kind == k for a in acts) for k in ("ask", "mention", "click")}
        outcomes: dict[str, int] = {}
        for a in acts:
            outcomes[a.outcome] = outcomes.get(a.outcome, 0) + 1
        answered = sum(1 for a in acts if not a.problem and a.outcome != "silenced")
        silenced = sum(1 for a in acts if not a.problem and a.outcome == "silenced")
        ix = self.latencies(("ask", "click", "reload", "pretend"))
        mentions = self.latencies(("mention",))
        reloads = [a for a in self.actions if a.kind == "reload"]
        pretend = [a for a in self.actions if a.kind == "pretend"]
        lines = [
            f"load: {len(acts)} interactions from {c.users} users ({c.flooders} flooders), "
            f"{len(reloads)} reloads ({sum(1 for r in reloads if r.version and r.version.fault)} broken), "
            f"cooldown {self.cooldown_rate} questions/hour, seed {c.seed}",
            f"interactions sent      {len(acts)}  (/ask {by_kind['ask']}, mentions {by_kind['mention']}, "
            f"More-results clicks {by_kind['click']})",
            f"answered               {answered}  (" + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())
                                                         if k != "silenced") + ")",
            f"silenced by cooldown   {silenced}  (flooders' mentions after their one warning)",
            f"failed                 {len(self.failed)}",
            f"late initial responses {self.late}  (Discord's {ACK_WINDOW:.0f} s window)",
            f"mixed answers          {self.mixed}  (stale: {self.stale})",
            "time to first response " + _percentiles(ix) + f"  ({len(ix)} interactions: /ask, clicks, /reload)",
            "time to mention reply  " + _percentiles(mentions) + f"  ({len(mentions)} replies)",
            f"reloads done / refused {self.reloads_done} / {self.reloads_refused}  "
            f"(non-moderators refused {self.pretenders_refused}/{len(pretend)})",
        ]
        for r in reloads:
            if r.version and r.version.fault:
                first = (r.detail or "").split("\n")[1:2]
                lines.append(f"  refused {r.version.fault}: {first[0][:110] if first else r.outcome}")
        flooders: dict[tuple[int, int], int] = {}
        for u, w in self.flooder_warnings.items():
            key = (self.flooder_answers.get(u, 0), w)
            flooders[key] = flooders.get(key, 0) + 1
        lines += [
            "flooders               " + (", ".join(f"{n} got {a} answers + {w} cooldown warning"
                                                   for (a, w), n in sorted(flooders.items())) or "none"),
            f"errors logged          {len(self.errors)}",
            f"wall time              {self.wall:.1f} s",
        ]
        for note, seconds in self.big.items():
            lines.append(f"big reload ({note}): " + (f"{seconds:.2f} s while serving" if seconds is not None else "failed"))
        if self.peak_rss:
            lines.append(f"peak RSS of the process (bot, fake Discord and driver) {self.peak_rss / 1e6:.0f} MB")
        return "\n".join(lines)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "p50 -  p95 -  p99 -"

    def pct(p: float) -> float:
        return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]

    return (f"p50 {pct(50) * 1000:.0f} ms  p95 {pct(95) * 1000:.0f} ms  p99 {pct(99) * 1000:.0f} ms  "
            f"max {values[-1] * 1000:.0f} ms")


class _Capture(logging.Handler):
    """Every WARNING+ record of any logger while the bot runs (but discord.py's note that voice
    support is not installed)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "voice will NOT be supported" not in record.getMessage():
            self.records.append(record)


def _peak_rss() -> Optional[int]:
    """The process' peak resident set size in bytes (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def message_text(message: dict) -> str:
    parts = [message.get("content") or ""]
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text", "")]
        parts += [f"{f.get('name', '')} {f.get('value', '')}" for f in e.get("fields", [])]
    return "\n".join(parts)


def classify(message: dict) -> str:
    text = message_text(message)
    if message.get("embeds"):
        return "quotes"
    if "Try again in" in text:
        return "cooldown warning"
    if "Still cooling down" in text:
        return "still cooling down"
    if "Not in my sources" in text:
        return "not in my sources"
    if "Please ask a question" in text or "Ask me a question" in text:
        return "asked to ask"
    return "other"


def tags_of(message: dict) -> set[str]:
    return {f"SNAP{m}" for m in TAG_RE.findall(message_text(message))}


class LoadRun:
    """One scenario: set up the world and the corpus versions, start the bot, drive, evaluate."""

    def __init__(self, fake: FakeDiscord, workdir: Path, config: LoadConfig,
                 start_bot: Optional[Callable[..., Any]] = None) -> None:
        self.fake, self.workdir, self.cfg = fake, workdir, config
        self.rng = random.Random(config.seed)
        self._start_bot = start_bot or fake.start_bot
        self.actions: list[Action] = []
        self.answers: list[tuple[Action, dict]] = []   # public answers with a pager: (action, message)
        self.served: list[tuple[float, Optional[float], Version]] = []  # (from, until, version)
        self.sent = 0
        self._reply_index: dict[int, Any] = {}
        self._posts_seen = 0
        self.bot: Optional[QuoteBot] = None
        self.running = None
        self.big: dict[str, Optional[float]] = {}   # big reloads: seconds the bot reported

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
    def _reply_to(self, message_id: int) -> Optional[dict]:
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
        return a.message_id is not None and self._reply_to(a.message_id) is not None

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

    async def _click(self, user: User) -> Optional[Action]:
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
            message = self._reply_to(a.message_id)
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
            await self.fake.wait_for(lambda: self.sent >= n * total / (count + 1) or self._users_done,
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
    def _allowed(self, start: float, end: float) -> set[str]:
        """Tags of the corpus versions served at some moment in [start, end]."""
        return {v.tag for since, until, v in self.served if since <= end and (until is None or until >= start)}

    def _version(self, tag: str) -> Optional[Version]:
        return next((v for v in self.versions if v.tag == tag), None)

    def _check_answer(self, a: Action, message: dict, end: float) -> Optional[str]:
        kind = classify(message)
        a.outcome = kind
        tags = tags_of(message)
        if kind in ("quotes", "not in my sources"):
            if len(tags) != 1:
                self.report.mixed += 1
                return f"mixed answer: tags {sorted(tags)}"
            a.tag = tag = next(iter(tags))
            version = self._version(tag)
            if tag not in self._allowed(a.sent_at, end) or version is None or version.fault:
                self.report.stale += 1
                self.report.mixed += 1
                return f"answer from {tag}, not a snapshot served during the question"
            quoted = any(MARKER_WORD in (e.get("description") or "").replace("*", "").lower()
                         for e in message.get("embeds") or [])
            if a.question == MARKER_QUESTION and quoted != version.marker:
                self.report.mixed += 1
                return f"marker quote {'present' if quoted else 'absent'} in an answer tagged {tag}"
            if kind == "not in my sources":
                rest = message_text(message).split("I know about: ", 1)[-1]
                expected = "; ".join(f"*{escape(t)}*" for t in version.titles)
                listed, whole = (rest.split(".\n", 1)[0], True) if ".\n" in rest else (rest.removesuffix(" …"), False)
                if listed != expected if whole else not expected.startswith(listed.rstrip()):
                    self.report.mixed += 1
                    return f"the sources listed are not those of {tag}: {listed[:200]}"
        elif tags:
            return f"unexpected snapshot tags in a {kind} reply"
        if kind in ("cooldown warning", "still cooling down") and not a.flooder:
            return "an ordinary user was cooled down"
        if kind == "other":
            return f"unexpected reply: {message_text(message)[:200]!r}"
        return None

    def _evaluate_interaction(self, a: Action) -> Optional[str]:
        ix = a.ix
        assert ix is not None
        cb = ix.response
        if cb is None:
            self.report.late += 1
            return "no initial response within the 3 s window"
        a.first = cb.at - ix.created_at
        if a.first > ACK_WINDOW:
            self.report.late += 1
            return f"initial response after {a.first:.2f} s"
        if a.kind == "click":
            own = cb.type == CB_UPDATE_MESSAGE
            refused = cb.type == CB_CHANNEL_MESSAGE and "Only the person who asked" in (cb.data.get("content") or "")
            a.outcome = "page turned" if own else "paging refused" if refused else "other"
            if a.expect_own and not own:
                return f"the asker could not turn the page: {cb.type} {cb.data}"
            if not a.expect_own and not refused:
                return f"someone else turned the asker's page: {cb.type}"
            if own:
                tags = tags_of(cb.data)
                if tags != {a.origin_tag}:
                    self.report.mixed += 1
                    return f"page 2 of an answer tagged {a.origin_tag} shows {sorted(tags)}"
            return None
        if cb.type == CB_DEFERRED_CHANNEL_MESSAGE:
            if not ix.followups:
                return "deferred, then never followed up"
            message = ix.followups[0]
            end = self._followup_at.get(ix.token, time.monotonic())
        else:
            message = ix.original or {"content": cb.data.get("content"), "embeds": cb.data.get("embeds")}
            end = cb.at
        if a.kind == "reload":
            return self._check_reload(a, message)
        if a.kind == "pretend":
            a.outcome = "refused" if "moderators only" in message_text(message) else "other"
            if a.outcome == "refused":
                self.report.pretenders_refused += 1
                return None
            return "a member without Manage Server could reload"
        return self._check_answer(a, message, end)

    def _check_reload(self, a: Action, message: dict) -> Optional[str]:
        text = a.detail = message_text(message)
        assert a.version is not None
        if a.version.fault is None:
            a.outcome = "reloaded" if "Reloaded in" in text else "other"
            if a.outcome == "reloaded":
                self.report.reloads_done += 1
                return None
            return f"a valid corpus was refused: {text[:300]}"
        a.outcome = "refused" if "still serving the previous corpus" in text else "other"
        if a.outcome != "refused":
            return f"a broken corpus ({a.version.fault}) was not refused: {text[:300]}"
        self.report.reloads_refused += 1
        if not FILE_LINE.search(text):
            return f"the refusal of a broken corpus ({a.version.fault}) has no file:line: {text[:300]}"
        return None

    def _evaluate_mention(self, a: Action) -> Optional[str]:
        assert a.message_id is not None
        reply = self._reply_to(a.message_id)
        if reply is None:
            a.outcome = "silenced"
            return None if a.flooder else "never answered"
        end = self._reply_at.get(a.message_id, time.monotonic())
        a.first = end - a.sent_at
        return self._check_answer(a, reply, end)

    def evaluate(self, capture: _Capture, loop_errors: list[str]) -> Report:
        self.report = report = Report(self.cfg, self.actions, cooldown_rate=self.cooldown_rate)
        # when a follow-up or a reply was sent: the fake records the request that created it
        self._followup_at: dict[str, float] = {}
        self._reply_at: dict[int, float] = {}
        for r in self.fake.rest.requests:
            if r.method != "POST":
                continue
            if r.path.startswith("/webhooks/"):
                self._followup_at.setdefault(r.path.split("/")[3], r.at)
            elif r.path.endswith("/messages") and isinstance(r.json, dict) and r.json.get("message_reference"):
                self._reply_at.setdefault(int(r.json["message_reference"]["message_id"]), r.at)
        for a in self.actions:
            a.problem = self._evaluate_interaction(a) if a.ix is not None else self._evaluate_mention(a)
        flooders = {a.user.id for a in self.actions if a.flooder}
        for uid in flooders:
            mine = [a for a in self.actions if a.user.id == uid and a.kind in ("ask", "mention")]
            warnings = sum(a.outcome == "cooldown warning" for a in mine)
            answers = sum(a.outcome in ("quotes", "not in my sources", "asked to ask") for a in mine)
            report.flooder_warnings[uid], report.flooder_answers[uid] = warnings, answers
            if warnings != (1 if len(mine) > self.cooldown_rate else 0):
                mine[-1].problem = mine[-1].problem or f"a flooder got {warnings} cooldown warnings"
            if answers != min(len(mine), self.cooldown_rate):
                mine[-1].problem = mine[-1].problem or (
                    f"a flooder got {answers} answers for {len(mine)} questions (cooldown {self.cooldown_rate})")
        for rec in capture.records:
            report.errors.append(f"{rec.levelname} {rec.name}: {rec.getMessage()[:300]}")
        report.errors += loop_errors
        report.errors += [f"fake Discord: {e!r}" for e in self.fake.rest.handler_errors]
        report.errors += [f"unknown route {r.method} {r.path}" for r in self.fake.rest.unknown_requests]
        report.big = dict(self.big)
        report.peak_rss = _peak_rss()
        if self.running is not None:
            report.errors += [f"discord.py: {r.getMessage()}" for r in self.running.errors
                              if r not in capture.records]
        return report


async def run_load(fake: FakeDiscord, workdir: Path, config: LoadConfig,
                   start_bot: Optional[Callable[..., Any]] = None,
                   before_drive: Optional[Callable[[LoadRun], None]] = None) -> Report:
    """Run the scenario on a started ``fake``; the bot is stopped at the end unless ``start_bot``
    (the tests' fixture, which stops it itself) is given."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    loop = asyncio.get_running_loop()
    loop_errors: list[str] = []
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, ctx: loop_errors.append(f"unhandled: {ctx.get('message')} {ctx.get('exception')!r}"))
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


# ============================================================================ command line

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
