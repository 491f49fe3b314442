"""database_url checked before anything connects: a URL that cannot work (bad syntax, unknown
database kind, PostgreSQL without its driver) gets a plain message and `run` stops before Discord."""
from __future__ import annotations

import io
import logging
import sys

import pytest

from bot import cli
from bot.store import Store, store_url
from bot.store.connect import INSTALL_POSTGRES, StoreConfigError, describe, normalize, parse, url_problem
from bot.store.guarded import GuardedStore


@pytest.fixture
def no_psycopg(monkeypatch):
    """psycopg as on a machine that installed the bot without the [postgres] extra."""
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)   # `import psycopg` raises ImportError


def test_postgres_urls_mean_psycopg_3(tmp_path):
    assert normalize("postgres://bot:pw@db/bot") == "postgresql+psycopg://bot:pw@db/bot"
    assert normalize("postgresql://bot@db:5432/bot") == "postgresql+psycopg://bot@db:5432/bot"
    assert normalize("postgresql+psycopg://bot@db/bot") == "postgresql+psycopg://bot@db/bot"
    assert store_url(tmp_path, "postgres://bot@db/bot") == "postgresql+psycopg://bot@db/bot"
    assert store_url(tmp_path, None).startswith("sqlite:///") and url_problem(None) is None
    assert parse("postgresql://bot:pw@db/bot").get_driver_name() == "psycopg"


@pytest.mark.parametrize("url, words", [
    ("not a url at all", "is not a database URL"),
    ("mysql+nosuchdriver://bot:pw@db/bot", "unknown database kind"),
    ("oracle+cx_oracle://bot:s3cret@db/bot", "'cx_oracle' for oracle is not installed"),
    ("postgresql+psycopg://bot:s3cret@db:5432", "names no database"),
])
def test_urls_that_cannot_work(url, words):
    problem = url_problem(url)
    assert problem is not None and words in problem and "s3cret" not in problem


def test_postgres_without_its_driver_says_what_to_install(no_psycopg, caplog):
    problem = url_problem("postgresql+psycopg://bot:s3cret@db/bot")
    assert "PostgreSQL URL but its driver (psycopg) is not installed" in problem and INSTALL_POSTGRES in problem
    with pytest.raises(StoreConfigError, match="not installed"):
        assert Store("postgresql://bot@db/bot").engine is None


async def test_the_bot_does_not_start_on_a_url_that_cannot_work(no_psycopg, monkeypatch, tmp_path):
    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    monkeypatch.setenv("BOT_DATABASE_URL", "postgresql://bot:s3cret@db/bot")
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["run"], out, err) == 2
    assert err.getvalue().startswith("config error: database_url is a PostgreSQL URL")
    assert INSTALL_POSTGRES in err.getvalue() and "s3cret" not in err.getvalue()
    assert not (tmp_path / "index").exists()   # stopped before loading anything


async def test_a_guarded_store_logs_the_plain_message(no_psycopg, caplog):
    store = GuardedStore(Store("postgresql://bot:s3cret@db/bot"))
    assert await store.open() is False
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert INSTALL_POSTGRES in warning and "s3cret" not in warning
    await store.close()


def test_plain_words_for_common_server_errors():
    class Fake(Exception):
        pass

    assert describe(Fake('FATAL:  role "x" does not exist')).startswith("the server does not know the user")
    assert describe(Fake('relation "votes" does not exist')) == 'Fake: relation "votes" does not exist'
    assert "read-only" in describe(Fake("cannot execute INSERT in a read-only transaction"))
