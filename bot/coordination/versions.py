"""The index version every process should serve, as one Redis hash plus a channel.

A version is named by the content hash of the corpus it was built from (the store keeps one
verified index version per corpus; ``index.store``). A record says which corpus, when it was
made (wall-clock seconds) and by which process. Publishing is a compare-and-set on that time:
a record replaces the stored one only when it is newer, so a process that reloaded while Redis
was down publishes its version when Redis returns, unless someone published a newer one since.
"""
from __future__ import annotations

from dataclasses import dataclass

KEY = "nanking-bot:index:current"
CHANNEL = "nanking-bot:index:published"

# KEYS[1] the record; ARGV corpus hash, time, by, channel. 1 if stored (and announced), 0 if older.
PUBLISH = """
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '-1')
if tonumber(ARGV[2]) <= at then return 0 end
redis.call('HSET', KEYS[1], 'corpus_hash', ARGV[1], 'at', ARGV[2], 'by', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
"""


@dataclass(frozen=True)
class VersionRecord:
    corpus_hash: str
    at: float
    by: str

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> VersionRecord | None:
        try:
            return cls(data["corpus_hash"], float(data["at"]), data.get("by", "?"))
        except (KeyError, ValueError):
            return None  # none yet, or not ours: the next publish replaces it


class VersionBoard:
    def __init__(self, client):
        self.client = client
        self._publish = client.register_script(PUBLISH)

    async def read(self) -> VersionRecord | None:
        return VersionRecord.from_hash(await self.client.hgetall(KEY))

    async def publish(self, record: VersionRecord) -> bool:
        """Store and announce ``record`` if it is newer than the stored one."""
        stored = await self._publish(keys=[KEY], args=[record.corpus_hash, f"{record.at:.6f}", record.by, CHANNEL])
        return bool(stored)
