"""Fixtures for the store's databases: every store test runs on a SQLite file and on a real
PostgreSQL server (tests/support/postgres.py: started once per session on 127.0.0.1 and a free
port, a fresh database per test). Where the server cannot start, the PostgreSQL cases are skipped
with the reason, except under CI=true, where they fail. tests/conftest.py registers them once
for the whole session (``pytest_plugins``)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer, ServerUnavailable

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres():
    """The session's PostgreSQL server."""
    with tempfile.TemporaryDirectory(prefix="bot-pg-") as tmp:
        server = PostgresServer(Path(tmp))
        try:
            server.start()
        except ServerUnavailable as exc:
            server.stop()
            reason = f"no PostgreSQL server for the store tests: {exc}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def pg_url(postgres):
    """A fresh, empty PostgreSQL database of its own."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """An empty database of each kind: a SQLite file that does not exist yet, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"
    return request.getfixturevalue("pg_url")
