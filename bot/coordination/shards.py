"""Which gateway shards a process runs: ``--shards 0-3 --shard-count 8`` read and checked."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHARDS = 65536
_RANGE = re.compile(r"(\d+)(?:-(\d+))?")


class ShardError(ValueError):
    """A bad --shards / --shard-count value; the message says what to write instead."""


@dataclass(frozen=True)
class ShardPlan:
    """``count`` None: one plain connection (no sharding). ``ids`` None with a count: all shards
    in this process. ``count`` 0 means Discord's recommended count (``--shard-count auto``)."""
    ids: tuple[int, ...] | None = None
    count: int | None = None

    @property
    def sharded(self) -> bool:
        return self.count is not None

    def describe(self) -> str:
        if self.count is None:
            return "one connection, no sharding"
        if self.count == 0:
            return "every shard, as many as Discord recommends"
        ids = self.ids if self.ids is not None else tuple(range(self.count))
        return f"shards {_ranges(ids)} of {self.count}"


def _ranges(ids: tuple[int, ...]) -> str:
    parts, start = [], None
    for i, shard in enumerate(ids):
        start = shard if start is None else start
        if i + 1 == len(ids) or ids[i + 1] != shard + 1:
            parts.append(str(shard) if start == shard else f"{start}-{shard}")
            start = None
    return ",".join(parts)


def parse_count(text: str) -> int:
    """A shard count (1 to 65536), or ``auto`` (0): the count Discord recommends."""
    value = text.strip().lower()
    if value == "auto":
        return 0
    if not value.isdigit() or not 1 <= int(value) <= MAX_SHARDS:
        raise ShardError(f"--shard-count must be a whole number from 1 to {MAX_SHARDS} or 'auto', got {text!r}")
    return int(value)


def parse_ids(text: str, count: int) -> tuple[int, ...]:
    """``0-3``, ``5`` or ``0-3,6,8-9``: sorted shard ids, each below ``count``."""
    ids: set[int] = set()
    for part in text.replace(" ", "").split(","):
        m = _RANGE.fullmatch(part)
        if not m:
            raise ShardError(f"--shards takes shard ids and ranges such as 0-3 or 0,2,5-7, got {text!r}")
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if high < low:
            raise ShardError(f"--shards {part}: a range goes from low to high (write {high}-{low})")
        if high >= count:
            raise ShardError(f"--shards {text}: shard ids go from 0 to {count - 1} with --shard-count {count}")
        ids.update(range(low, high + 1))
    return tuple(sorted(ids))


def parse_plan(shards: str | None, shard_count: str | None) -> ShardPlan:
    """The plan the two flags describe; raises ShardError with a message for the user."""
    if shard_count is None:
        if shards is not None:
            raise ShardError("--shards needs --shard-count (the total number of shards across all processes)")
        return ShardPlan()
    count = parse_count(shard_count)
    if shards is None:
        return ShardPlan(None, count)
    if count == 0:
        raise ShardError("--shards needs a fixed --shard-count (every process must agree on it), not 'auto'")
    return ShardPlan(parse_ids(shards, count), count)
