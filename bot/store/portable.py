"""What differs between SQLite and PostgreSQL, in one place: an atomic insert-or-update (two
processes saving the same row at once must not fail or write twice), and values a server checks
that SQLite lets through (string lengths, NUL characters)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert(db: sa.Connection, table: sa.Table, key: dict[str, Any], values: dict[str, Any],
           insert_only: dict[str, Any] | None = None) -> None:
    """Insert the row ``key`` + ``values`` (+ ``insert_only``), or update ``values`` where a row
    with ``key`` exists, in one statement (``ON CONFLICT (key) DO UPDATE``) where the database
    has it."""
    row = {**key, **values, **(insert_only or {})}
    insert = _INSERTS.get(db.dialect.name)
    if insert is not None:
        statement = insert(table).values(**row)
        db.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))
        return
    where = sa.and_(*(table.c[name] == value for name, value in key.items()))
    if not db.execute(table.update().where(where).values(**values)).rowcount:
        db.execute(table.insert().values(**row))


def fit(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as every database stores them: NUL characters (PostgreSQL refuses them in text)
    replaced by U+FFFD, strings cut to their column's length (PostgreSQL refuses longer ones,
    SQLite keeps them); key columns are left alone."""
    out = dict(values)
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        column = table.c[name]
        value = value.replace("\x00", "\ufffd")
        length = getattr(column.type, "length", None)
        if length and not column.primary_key:
            value = value[:length]
        out[name] = value
    return out
