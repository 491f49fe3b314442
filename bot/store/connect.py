"""Opening a database URL: SQLite (the default file) or PostgreSQL (psycopg 3), with what each
needs to behave the same under several threads and processes, and plain-language messages for a
URL that cannot work (bad syntax, unknown database, driver not installed) or a server that cannot
be used (unreachable, wrong password, no such database). Passwords never appear in a message."""
from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

POSTGRES_DRIVER = "psycopg"     # psycopg 3: pip install 'nanking-quote-bot[postgres]'
INSTALL_POSTGRES = "pip install 'nanking-quote-bot[postgres]' (or: pip install 'psycopg[binary]')"
CONNECT_SECONDS = 5             # whole seconds (libpq): PostgreSQL: give up on an unreachable server after this long
EXAMPLES = "e.g. postgresql+psycopg://bot:PASSWORD@db:5432/bot or sqlite:////srv/bot/bot.sqlite3"
_SECRET = re.compile(r"(://[^:/@]+:).*@")   # a password in a database URL (to the last @: it may hold one)


class StoreConfigError(ValueError):
    """database_url cannot work as given; the message says why and what to do."""


def redact(url: str) -> str:
    return _SECRET.sub(r"\1***@", url)


def normalize(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (no driver named) mean psycopg 3, the driver the
    project installs; SQLAlchemy's own default there is psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return f"postgresql+{POSTGRES_DRIVER}://" + url[len(prefix):]
    return url


def parse(url: str) -> sa.URL:
    """The URL, checked: it parses, its database kind is known and its driver is installed."""
    try:
        parsed = sa.make_url(normalize(url))
    except sa.exc.ArgumentError:
        raise StoreConfigError(f"database_url {redact(url)!r} is not a database URL ({EXAMPLES})") from None
    try:
        dialect = parsed.get_dialect()
    except sa.exc.NoSuchModuleError:
        raise StoreConfigError(f"database_url: unknown database kind {parsed.drivername!r} ({EXAMPLES})") from None
    try:
        dialect.import_dbapi()
    except ImportError:
        if parsed.get_backend_name() == "postgresql":
            raise StoreConfigError(f"database_url is a PostgreSQL URL but its driver ({parsed.get_driver_name()}) "
                                   f"is not installed: {INSTALL_POSTGRES}") from None
        raise StoreConfigError(f"database_url: the driver {parsed.get_driver_name()!r} for "
                               f"{parsed.get_backend_name()} is not installed") from None
    if parsed.get_backend_name() == "postgresql" and not parsed.database:
        raise StoreConfigError(f"database_url {redact(url)!r} names no database ({EXAMPLES})")
    return parsed


def url_problem(database_url: str | None) -> str | None:
    """What is wrong with ``database_url`` before anything connects (None: nothing; no URL is the
    SQLite default)."""
    if not database_url:
        return None
    try:
        parse(database_url)
    except StoreConfigError as exc:
        return str(exc)
    return None


def create_engine(url: str, busy_seconds: float) -> sa.Engine:
    """An engine for ``url``; a lock held by another process is waited for ``busy_seconds``."""
    parsed = parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return sa.create_engine(parsed, connect_args={"timeout": busy_seconds})
    if backend == "postgresql":
        # lock_timeout: a row or table locked by another process fails the statement after
        # busy_seconds (as SQLite's busy timeout does) instead of holding a store thread
        options = " ".join(filter(None, [parsed.query.get("options"), f"-c lock_timeout={int(busy_seconds * 1000)}"]))
        connect = {"connect_timeout": CONNECT_SECONDS, "options": options,
                   "application_name": "nanking-quote-bot"}
        # pre-ping: a connection the server dropped (a restart, a failover) is replaced, not used
        return sa.create_engine(parsed, connect_args=connect, pool_pre_ping=True)
    return sa.create_engine(parsed)


_PLAIN = (
    ("password authentication failed", "the server refused the user name or password in database_url"),
    ("no password supplied", "the server asks for a password and database_url has none"),
    ("role \"[^\"]*\" does not exist", "the server does not know the user in database_url"),
    ("database \"[^\"]*\" does not exist", "the database in database_url does not exist on the server (create it, "
                                          "or fix the URL)"),
    ("connection refused", "nothing answers at the host and port in database_url: is the server running?"),
    ("timeout expired", "the server in database_url did not answer in time: is the host right and reachable?"),
    ("could not translate host name", "the host name in database_url is unknown"),
    ("name or service not known", "the host name in database_url is unknown"),
    ("lock timeout", "a row or table is locked by another process (lock_timeout)"),
    ("read-only transaction", "the database is read-only"),
)


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, in plain words where the cause is a common one."""
    if isinstance(exc, StoreConfigError):
        return str(exc)
    original = getattr(exc, "orig", None) or exc
    first = (str(original).strip().splitlines() or [""])[0]
    lowered = str(original).lower()
    for pattern, plain in _PLAIN:
        if re.search(pattern, lowered):
            return f"{plain} ({type(original).__name__}: {redact(first)[:200]})"
    return f"{type(original).__name__}: {redact(first)[:300]}"
