"""The store: operations, migrations from the first schema version on a database with data, and
storage faults (read-only, missing, locked by another process) that lose nothing. Each test that
takes ``db_url`` runs on SQLite and on PostgreSQL (tests/support/pg_fixtures.py)."""
from __future__ import annotations

import logging
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.store import AnswerRecord, GuildSettings, Store, migrate
from bot.store.connect import create_engine, redact
from bot.store.guarded import GuardedStore
from bot.store.schema import metadata


class Clock:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def record(answer_id: str, at: float, guild: int | None = 1, question: str | None = None, user: int | None = None,
           declined: bool = False) -> AnswerRecord:
    return AnswerRecord(answer_id, at, guild, 10, "slash", "hash1", ("p1", "p2"), declined, None, ("john-rabe",),
                        top_quote="A quote.", question=question, user_id=user)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "bot.sqlite3"


def test_answers_votes_settings_round_trip(db_url):
    clock = Clock()
    store = Store(db_url, clock=clock)
    store.record_answer(record("a1", clock.now, question="who was rabe", user=7))
    store.record_answer(record("a2", clock.now, guild=None))
    assert store.vote("a1", 7, 1) is None
    assert store.vote("a1", 7, -1, "misleading") == 1       # changed, not a second vote
    assert store.vote("a1", 8, -1) is None
    votes = sorted((v.user_id, v.vote, v.reason) for v in store.votes_for(["a1"]))
    assert votes == [(7, -1, "misleading"), (8, -1, None)]
    rows = store.answers_since(1, 0)
    assert [(r.id, r.question, r.user_id, r.passage_ids) for r in rows] == [("a1", "who was rabe", 7, ("p1", "p2"))]
    assert store.settings(1) == GuildSettings(1)             # defaults before anything is saved
    store.save_settings(GuildSettings(1, frozenset({5, 6}), True, True, 7, 3, 60.0))
    store.save_settings(GuildSettings(1, frozenset({5}), True, True, 7, 3, 60.0))
    assert store.settings(1) == GuildSettings(1, frozenset({5}), True, True, 7, 3, 60.0)


def test_forget_me_and_retention(db_url):
    clock = Clock()
    store = Store(db_url, clock=clock)
    day = 86400
    store.save_settings(GuildSettings(2, retention_days=3))
    store.record_answer(record("old1", clock.now - 31 * day, guild=1, question="q", user=7))   # default: 30 days
    store.record_answer(record("new1", clock.now - 29 * day, guild=1, question="q", user=7))
    store.record_answer(record("old2", clock.now - 4 * day, guild=2, question="q", user=8))    # 3 days here
    store.record_answer(record("new2", clock.now - 2 * day, guild=2))
    store.record_answer(record("olddm", clock.now - 31 * day, guild=None))
    for answer_id in ("old1", "new1", "old2", "new2"):
        store.vote(answer_id, 7, 1)
    assert store.purge_expired() == 3
    assert {r.id for r in store.answers_since(1, 0)} == {"new1"}
    assert {r.id for r in store.answers_since(2, 0)} == {"new2"}
    assert {v.answer_id for v in store.votes_for(["old1", "new1", "old2", "new2"])} == {"new1", "new2"}
    assert store.user_counts(7) == (2, 1) and store.user_counts(8) == (0, 0)
    assert store.forget_user(7) == (2, 1)
    assert store.user_counts(7) == (0, 0)
    assert store.answer("new1") is not None                  # the answer record has no user in it


def test_migration_from_the_first_version_keeps_the_data(db_url):
    engine = create_engine(db_url, 2.0)
    migrate.upgrade(engine, "0001")
    with engine.begin() as db:  # data written by the first version, in its own schema
        db.execute(sa.text("INSERT INTO answers (id, created_at, guild_id, channel_id, via, corpus_hash, passage_ids, "
                           "declined) VALUES ('v1', 1000.0, 1, 10, 'mention', 'h0', '[\"s#3\"]', :no)"), {"no": False})
        db.execute(sa.text("INSERT INTO votes VALUES ('v1', 7, -1, 'wrong-passage', 1001.0, 1001.0)"))
    assert migrate.current(engine) == "0001"
    engine.dispose()

    store = Store(db_url)
    old = store.answer("v1")
    assert migrate.current(store.engine) == migrate.head() == "0003"
    assert (old.passage_ids, old.via, old.topic, old.entities) == (("s#3",), "mention", None, ())
    assert store.user_vote("v1", 7).reason == "wrong-passage"
    store.vote("v1", 7, 1)                                   # the old rows take part in the new version
    store.save_settings(GuildSettings(1, log_questions=True))
    assert store.user_vote("v1", 7).vote == 1 and store.settings(1).log_questions
    with store.engine.connect() as db:                       # the migrations build exactly schema.py
        assert compare_metadata(MigrationContext.configure(db), metadata) == []


def test_opening_twice_migrates_once(db_url):
    Store(db_url).record_answer(record("a", 1.0))
    again = Store(db_url)
    assert again.answer("a") is not None and migrate.current(again.engine) == "0003"


# --- faults ----------------------------------------------------------------------------------

def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name == "bot.store.guarded"]


def _read_only(db_url: str) -> tuple[str, str]:
    """The same database opened read-only, and the word its refusal says."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true", "readonly"
    return f"{db_url}?options=-c%20default_transaction_read_only%3Don", "read-only"


async def test_read_only_database_keeps_what_it_has_and_logs_once(db_url, caplog):
    Store(db_url).record_answer(record("kept", 1.0, question="q", user=7))
    read_only_url, refusal = _read_only(db_url)
    read_only = GuardedStore(Store(read_only_url))
    assert (await read_only.settings(1)) == GuildSettings(1)          # reading still works
    for _ in range(3):
        assert await read_only.vote("kept", 7, 1) is False
        assert await read_only.record_answer(record("new", 2.0)) is False
    warnings = _warnings(caplog)
    assert len(warnings) == 2 and any("store a vote" in w and refusal in w for w in warnings)
    store = Store(db_url)
    assert store.answer("kept") is not None and store.answer("new") is None and store.user_counts(7) == (0, 1)


async def test_missing_folder_is_created_and_an_impossible_one_is_survived(tmp_path, caplog):
    created = GuardedStore(Store(f"sqlite:///{tmp_path / 'a' / 'b' / 'bot.sqlite3'}"))
    assert await created.record_answer(record("x", 1.0))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    broken = GuardedStore(Store(f"sqlite:///{blocker / 'bot.sqlite3'}"))
    assert await broken.open() is False
    assert await broken.vote("x", 1, 1) is False and await broken.vote("x", 1, 1) is False
    assert (await broken.settings(5)) == GuildSettings(5)             # defaults, not an error
    assert len(_warnings(caplog)) == 3   # open, vote, settings: one line each, not one per call
    assert blocker.read_text().startswith("a file")


_LOCKERS = {"sqlite": """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1].removeprefix("sqlite:///"), isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
""", "postgresql": """
import sys, psycopg
db = psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"))
db.execute("LOCK TABLE votes IN ACCESS EXCLUSIVE MODE")   # inside the transaction psycopg opened
print("locked", flush=True)
sys.stdin.readline()
db.rollback()
"""}


async def test_database_locked_by_another_process(db_url, caplog):
    caplog.set_level(logging.INFO, logger="bot.store.guarded")
    plain = Store(db_url)
    plain.record_answer(record("before", 1.0))
    guarded = GuardedStore(Store(db_url, busy_seconds=0.2))
    assert await guarded.record_answer(record("warm", 1.5))          # opened and migrated before the lock
    locker = subprocess.Popen([sys.executable, "-c", _LOCKERS[db_url.split(":")[0].split("+")[0]], db_url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        assert await guarded.vote("before", 7, 1) is False
        assert await guarded.vote("before", 8, 1) is False
        assert [w for w in _warnings(caplog) if "locked" in w] and len(_warnings(caplog)) == 1
    finally:
        locker.communicate("\n", timeout=10)
    assert await guarded.vote("before", 7, -1) is True
    assert any("works again" in r.getMessage() for r in caplog.records)
    assert {r.id for r in plain.answers_since(1, 0)} == {"before", "warm"}
    assert plain.user_vote("before", 7).vote == -1


def test_database_url_passwords_are_not_logged():
    assert redact("postgresql://bot:s3cret@db:5432/bot") == "postgresql://bot:***@db:5432/bot"
    assert redact("postgresql+psycopg://bot:p@ss:w0rd@db/bot") == "postgresql+psycopg://bot:***@db/bot"
    assert redact("sqlite:////data/bot.sqlite3") == "sqlite:////data/bot.sqlite3"
