"""The store as several processes and machines use it: processes sharing one database and
migrations up and down (SQLite and PostgreSQL), and on PostgreSQL connections that fail or drop;
values SQLite accepts that a server checks."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.store import AnswerRecord, GuildSettings, Store, migrate
from bot.store.connect import create_engine
from bot.store.guarded import GuardedStore
from bot.store.schema import metadata
from tests.support.ports import free_port
from tests.support.store_twin import run_twins

TWINS = 3
WRITES = 60   # per process: answer records, votes and settings each


def test_processes_on_one_database_see_each_other_and_do_not_collide(db_url):
    # a SQLite file takes one writer at a time: on a busy machine its turn may take seconds
    results, seen, _ = run_twins(db_url, TWINS, WRITES, busy=60 if db_url.startswith("sqlite") else 2)
    assert [r["errors"] for r in results] == [[]] * TWINS
    for k, others in enumerate(seen):   # each process reads every other's answer records
        assert others == sorted(f"p{j}-{i:04d}" for j in range(TWINS) if j != k for i in range(WRITES))
    store = Store(db_url)
    assert migrate.current(store.engine) == migrate.head()
    with store.engine.connect() as db:
        counts = {t: db.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar()
                  for t in ("answers", "questions", "votes", "guild_settings")}
    # one vote row per (shared answer, user): 10 answers x 5 users, however many processes voted
    assert counts == {"answers": TWINS * WRITES, "questions": TWINS * WRITES, "votes": 50, "guild_settings": 1}
    assert store.user_counts(0)[1] == TWINS * WRITES // 5


def test_migrations_up_and_down(db_url):
    engine = create_engine(db_url, 2.0)
    migrate.upgrade(engine)
    with engine.connect() as db:
        assert compare_metadata(MigrationContext.configure(db), metadata) == []
    Store(db_url).record_answer(AnswerRecord("a1", 1.0, 1, 10, "slash", "h", ("p1",), False, "john-rabe"))
    migrate.downgrade(engine, "0002")          # drops the columns 0003 added, keeps the rows
    with engine.connect() as db:
        assert "topic" not in {c["name"] for c in sa.inspect(db).get_columns("answers")}
        assert db.execute(sa.text("SELECT id FROM answers")).scalars().all() == ["a1"]
    migrate.downgrade(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    engine.dispose()


def test_text_a_server_would_refuse_is_stored(db_url):
    store = Store(db_url)
    rec = AnswerRecord("n1", 1.0, 1, 10, "mention", "h", ("p1",), False, topic="t" * 150,
                       top_quote="a\x00b", question="who\x00 was rabe", user_id=7)
    store.record_answer(rec)
    [got] = store.answers_since(1, 0)
    assert (got.question, got.top_quote, got.topic) == ("who\ufffd was rabe", "a\ufffdb", "t" * 100)


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name == "bot.store.guarded"]


@pytest.mark.parametrize("fault, message", [
    ("password", "the server refused the user name or password"),
    ("database", "does not exist on the server"),
    ("port", "nothing answers at the host and port"),
])
async def test_a_server_that_cannot_be_used_is_named_plainly_and_nothing_is_lost(postgres, pg_url, caplog, fault,
                                                                                 message):
    Store(pg_url).record_answer(AnswerRecord("kept", 1.0, 1, 10, "slash", "h", ("p1",), False))
    url = {"password": postgres.url(pg_url.rsplit("/", 1)[1], password="wrong-pw"),
           "database": postgres.url("no_such_db"),
           "port": pg_url.replace(f":{postgres.port}/", f":{free_port()}/")}[fault]
    broken = GuardedStore(Store(url))
    assert await broken.open() is False
    assert await broken.vote("kept", 7, 1) is False
    warnings = _warnings(caplog)
    assert len(warnings) == 2 and all(message in w for w in warnings)
    assert not any(postgres.password in w or "wrong-pw" in w for w in warnings)
    await broken.close()
    store = Store(pg_url)
    assert store.answer("kept") is not None and store.user_vote("kept", 7) is None


def test_a_dropped_connection_is_replaced(postgres, pg_url):
    store = Store(pg_url)
    store.save_settings(GuildSettings(1, thread_mode=True))
    postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     f"WHERE datname = '{pg_url.rsplit('/', 1)[1]}' AND pid <> pg_backend_pid()")
    assert store.vote("a", 7, 1) is None and store.settings(1).thread_mode
