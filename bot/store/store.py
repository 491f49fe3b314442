"""The store: synchronous SQLAlchemy Core calls (the bot runs them on worker threads through
``bot.store.guarded.GuardedStore``). Portable SQL, with the few differences between SQLite and
PostgreSQL in ``bot.store.portable`` and ``bot.store.connect``: one store or several processes'
stores on one PostgreSQL database behave the same."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlalchemy as sa

from bot.store.connect import create_engine, normalize
from bot.store.migrate import upgrade
from bot.store.portable import fit, upsert
from bot.store.records import DEFAULT_RETENTION_DAYS, AnswerRecord, GuildSettings, VoteRow
from bot.store.schema import answers, guild_settings, questions, votes

DB_FILE = "bot.sqlite3"
BUSY_SECONDS = 2.0     # wait this long for another process' lock, then fail (SQLite busy timeout, PG lock_timeout)
DAY = 86400.0


def store_url(data_dir: Path, database_url: str | None) -> str:
    """The database URL: ``database_url`` when set (``postgresql://`` meaning psycopg 3), else a
    SQLite file in ``data_dir``."""
    return normalize(database_url) if database_url else f"sqlite:///{Path(data_dir).resolve() / DB_FILE}"


def _ids(values: Iterable[int] | None) -> str | None:
    return None if values is None else json.dumps(sorted(values))


class Store:
    def __init__(self, url: str, clock: Callable[[], float] = time.time, busy_seconds: float = BUSY_SECONDS):
        self.url, self.clock = url, clock
        self._busy = busy_seconds
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle
    @property
    def engine(self) -> sa.Engine:
        """The engine, opened and migrated to the last schema version on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = self._open()
            return self._engine

    def _open(self) -> sa.Engine:
        engine = create_engine(self.url, self._busy)
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # ------------------------------------------------------------------ answers and votes
    def record_answer(self, rec: AnswerRecord) -> None:
        with self.engine.begin() as db:
            db.execute(answers.insert().values(**fit(answers, dict(
                id=rec.id, created_at=rec.created_at, guild_id=rec.guild_id, channel_id=rec.channel_id,
                via=rec.via, corpus_hash=rec.corpus_hash, passage_ids=json.dumps(list(rec.passage_ids)),
                declined=rec.declined, topic=rec.topic, entities=json.dumps(list(rec.entities)),
                top_quote=rec.top_quote))))
            if rec.question is not None and rec.user_id is not None:
                db.execute(questions.insert().values(**fit(questions, dict(
                    answer_id=rec.id, user_id=rec.user_id, guild_id=rec.guild_id, text=rec.question,
                    created_at=rec.created_at))))

    def vote(self, answer_id: str, user_id: int, vote: int, reason: str | None = None) -> int | None:
        """Record or change a user's vote (one per answer); returns the previous vote, if any.
        A changed vote loses the reason of the old one unless a new reason is given. Two processes
        storing the same user's vote at once leave one row: the last write wins."""
        now = self.clock()
        key = (votes.c.answer_id == answer_id) & (votes.c.user_id == user_id)
        with self.engine.begin() as db:
            previous = db.execute(sa.select(votes.c.vote).where(key).with_for_update()).scalar()
            upsert(db, votes, dict(answer_id=answer_id, user_id=user_id),
                   fit(votes, dict(vote=vote, reason=reason, updated_at=now)), insert_only=dict(created_at=now))
        return previous

    def user_vote(self, answer_id: str, user_id: int) -> VoteRow | None:
        with self.engine.connect() as db:
            mine = (votes.c.answer_id == answer_id) & (votes.c.user_id == user_id)
            row = db.execute(sa.select(votes).where(mine)).first()
        return None if row is None else VoteRow(row.answer_id, row.user_id, row.vote, row.reason, row.created_at)

    def answer(self, answer_id: str) -> AnswerRecord | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(answers).where(answers.c.id == answer_id)).first()
        return None if row is None else _answer(row)

    # ------------------------------------------------------------------ settings
    def settings(self, guild_id: int) -> GuildSettings:
        with self.engine.connect() as db:
            row = db.execute(sa.select(guild_settings).where(guild_settings.c.guild_id == guild_id)).first()
        if row is None:
            return GuildSettings(guild_id)
        channels = json.loads(row.mention_channels) if row.mention_channels is not None else None
        return GuildSettings(guild_id, None if channels is None else frozenset(channels), bool(row.thread_mode),
                             bool(row.log_questions), row.retention_days, row.cooldown_rate, row.cooldown_seconds)

    def save_settings(self, s: GuildSettings) -> None:
        values = dict(mention_channels=_ids(s.mention_channels), thread_mode=s.thread_mode,
                      log_questions=s.log_questions, retention_days=s.retention_days, cooldown_rate=s.cooldown_rate,
                      cooldown_seconds=s.cooldown_seconds, updated_at=self.clock())
        with self.engine.begin() as db:
            upsert(db, guild_settings, dict(guild_id=s.guild_id), values)

    # ------------------------------------------------------------------ insights
    def answers_since(self, guild_id: int, since: float) -> list[AnswerRecord]:
        query = (sa.select(answers, questions.c.text, questions.c.user_id)
                 .select_from(answers.outerjoin(questions, questions.c.answer_id == answers.c.id))
                 .where((answers.c.guild_id == guild_id) & (answers.c.created_at >= since))
                 .order_by(answers.c.created_at))
        with self.engine.connect() as db:
            return [_answer(row) for row in db.execute(query)]

    def votes_for(self, answer_ids: list[str]) -> list[VoteRow]:
        out: list[VoteRow] = []
        with self.engine.connect() as db:
            for i in range(0, len(answer_ids), 500):  # bounded IN lists
                rows = db.execute(sa.select(votes).where(votes.c.answer_id.in_(answer_ids[i:i + 500])))
                out += [VoteRow(r.answer_id, r.user_id, r.vote, r.reason, r.created_at) for r in rows]
        return out

    # ------------------------------------------------------------------ privacy
    def user_counts(self, user_id: int) -> tuple[int, int]:
        """(votes, logged questions) stored for a user."""
        with self.engine.connect() as db:
            n_votes = db.execute(sa.select(sa.func.count()).select_from(votes)
                                 .where(votes.c.user_id == user_id)).scalar()
            n_questions = db.execute(sa.select(sa.func.count()).select_from(questions)
                                     .where(questions.c.user_id == user_id)).scalar()
        return int(n_votes or 0), int(n_questions or 0)

    def forget_user(self, user_id: int) -> tuple[int, int]:
        """Delete a user's votes and logged questions; returns how many of each."""
        with self.engine.begin() as db:
            n_votes = db.execute(votes.delete().where(votes.c.user_id == user_id)).rowcount
            n_questions = db.execute(questions.delete().where(questions.c.user_id == user_id)).rowcount
        return n_votes, n_questions

    def purge_expired(self) -> int:
        """Delete answers older than their server's retention (DMs and servers without settings:
        the default), with their votes and logged questions. Returns the answers deleted."""
        now = self.clock()
        deleted = 0
        with self.engine.begin() as db:
            custom = {r.guild_id: r.retention_days for r in db.execute(
                sa.select(guild_settings.c.guild_id, guild_settings.c.retention_days)
                .order_by(guild_settings.c.guild_id))}   # one order in every process: no deadlock
            for guild_id, days in custom.items():
                deleted += db.execute(answers.delete().where(
                    (answers.c.guild_id == guild_id) & (answers.c.created_at < now - days * DAY))).rowcount
            default = answers.c.created_at < now - DEFAULT_RETENTION_DAYS * DAY
            others = answers.c.guild_id.is_(None)
            if custom:
                others = others | answers.c.guild_id.not_in(list(custom))
            deleted += db.execute(answers.delete().where(default & others)).rowcount
            kept = sa.select(answers.c.id)
            db.execute(votes.delete().where(votes.c.answer_id.not_in(kept)))
            db.execute(questions.delete().where(questions.c.answer_id.not_in(kept)))
        return deleted


def _answer(row) -> AnswerRecord:
    m = row._mapping
    return AnswerRecord(
        id=m["id"], created_at=m["created_at"], guild_id=m["guild_id"], channel_id=m["channel_id"], via=m["via"],
        corpus_hash=m["corpus_hash"], passage_ids=tuple(json.loads(m["passage_ids"])), declined=bool(m["declined"]),
        topic=m["topic"], entities=tuple(json.loads(m["entities"] or "[]")), top_quote=m["top_quote"],
        question=m.get("text"), user_id=m.get("user_id"))
