"""Run the schema migrations shipped in this package (Alembic's command API, no alembic.ini).

Several processes may start at once on one database: each migrates under a lock (PostgreSQL: a
transaction-level advisory lock; SQLite: the file's write lock, taken by ``BEGIN IMMEDIATE``, which
also makes the migration one transaction) and Alembic reads the version inside it, so the first
migrates and the others find the schema already there."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x6E616E6B696E67   # pg_advisory_xact_lock's key for "migrating the bot's store"


def alembic_config(connection: sa.Connection | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``; a database already there is only read."""
    if revision == "head" and current(engine) == head():
        return
    with engine.begin() as connection:
        _lock(connection)
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``base``: no tables); a developer's tool."""
    with engine.begin() as connection:
        _lock(connection)
        command.downgrade(alembic_config(connection), revision)


def _lock(connection: sa.Connection) -> None:
    """Held until the migration's transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    elif connection.dialect.name == "sqlite":
        # Python's sqlite3 opens no transaction before DDL or SELECT: open it here, for writing
        connection.exec_driver_sql("BEGIN IMMEDIATE")
