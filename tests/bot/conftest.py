"""tests/bot: the store's databases (SQLite and PostgreSQL), from tests/support/pg_fixtures.py."""
from tests.support.pg_fixtures import db_url, pg_url, postgres  # noqa: F401  (pytest fixtures by name)
