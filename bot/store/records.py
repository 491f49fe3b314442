"""What the store reads and writes, as plain data."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_RETENTION_DAYS = 30
REASONS = {
    "wrong-passage": "Wrong passage",
    "did-not-answer": "Didn't answer my question",
    "misleading": "Misleading without context",
}


@dataclass(frozen=True)
class AnswerRecord:
    id: str
    created_at: float
    guild_id: int | None
    channel_id: int | None
    via: str
    corpus_hash: str
    passage_ids: tuple[str, ...]
    declined: bool
    topic: str | None = None
    entities: tuple[str, ...] = ()
    top_quote: str | None = None       # the first quote, verbatim corpus text
    question: str | None = None        # stored only where the server logs questions
    user_id: int | None = None         # with the question only


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    mention_channels: frozenset[int] | None = None   # None: every channel
    thread_mode: bool = False
    log_questions: bool = False
    retention_days: int = DEFAULT_RETENTION_DAYS
    cooldown_rate: int | None = None
    cooldown_seconds: float | None = None

    def answers_in(self, channel_id: int, parent_id: int | None = None) -> bool:
        """Whether mentions are answered in this channel (a thread follows its parent channel)."""
        if self.mention_channels is None:
            return True
        return channel_id in self.mention_channels or (parent_id is not None and parent_id in self.mention_channels)


@dataclass(frozen=True)
class VoteRow:
    answer_id: str
    user_id: int
    vote: int
    reason: str | None
    created_at: float
