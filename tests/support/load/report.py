"""What a load run is told and what it finds: ``LoadConfig``, one ``Action`` per thing a user or
moderator did (with its evaluation), and the ``Report`` with its printed ``summary``."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from tests.support.fake_discord.payloads import User
from tests.support.fake_discord.records import InteractionRecord
from tests.support.load.versions import Version

ACK_WINDOW = 3.0           # Discord's deadline for an interaction's initial response


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
    question: str | None = None
    sent_at: float = 0.0
    ix: InteractionRecord | None = None
    message_id: int | None = None   # mentions: the user's message
    expect_own: bool | None = None  # clicks: on the user's own answer?
    version: Version | None = None  # reloads: the corpus being loaded
    origin_tag: str | None = None   # clicks: the tag of the answer clicked
    detail: str | None = None       # reloads: the moderator's reply
    # filled in by the evaluation
    first: float | None = None      # seconds to the initial response
    outcome: str = "pending"
    problem: str | None = None
    tag: str | None = None


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
    big: dict[str, float | None] = field(default_factory=dict)
    peak_rss: int | None = None

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
        return "\n".join(self._summary_counts() + self._summary_reloads() + self._summary_rest())

    def _summary_counts(self) -> list[str]:
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
        return [
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
        ]

    def _summary_reloads(self) -> list[str]:
        reloads = [a for a in self.actions if a.kind == "reload"]
        pretend = [a for a in self.actions if a.kind == "pretend"]
        lines = [f"reloads done / refused {self.reloads_done} / {self.reloads_refused}  "
                 f"(non-moderators refused {self.pretenders_refused}/{len(pretend)})"]
        for r in reloads:
            if r.version and r.version.fault:
                first = (r.detail or "").split("\n")[1:2]
                lines.append(f"  refused {r.version.fault}: {first[0][:110] if first else r.outcome}")
        return lines

    def _summary_rest(self) -> list[str]:
        flooders: dict[tuple[int, int], int] = {}
        for u, w in self.flooder_warnings.items():
            key = (self.flooder_answers.get(u, 0), w)
            flooders[key] = flooders.get(key, 0) + 1
        lines = [
            "flooders               " + (", ".join(f"{n} got {a} answers + {w} cooldown warning"
                                                   for (a, w), n in sorted(flooders.items())) or "none"),
            f"errors logged          {len(self.errors)}",
            f"wall time              {self.wall:.1f} s",
        ]
        for note, seconds in self.big.items():
            outcome = f"{seconds:.2f} s while serving" if seconds is not None else "failed"
            lines.append(f"big reload ({note}): {outcome}")
        if self.peak_rss:
            lines.append(f"peak RSS of the process (bot, fake Discord and driver) {self.peak_rss / 1e6:.0f} MB")
        return lines


def _percentiles(values: list[float]) -> str:
    if not values:
        return "p50 -  p95 -  p99 -"

    def pct(p: float) -> float:
        return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]

    return (f"p50 {pct(50) * 1000:.0f} ms  p95 {pct(95) * 1000:.0f} ms  p99 {pct(99) * 1000:.0f} ms  "
            f"max {values[-1] * 1000:.0f} ms")
