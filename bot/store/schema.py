"""The tables, as SQLAlchemy Core (portable SQL: SQLite by default, PostgreSQL by URL).

The migrations in ``bot/store/migrations/versions`` create exactly these; a test compares them.
Times are Unix seconds (floats): the same in every database, easy to compare and purge.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# One row per answer the bot sent: what was answered, never who asked or (here) what was asked.
answers = sa.Table(
    "answers", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("guild_id", sa.BigInteger, nullable=True, index=True),   # NULL: a DM
    sa.Column("channel_id", sa.BigInteger, nullable=True),
    sa.Column("via", sa.String(16), nullable=False),                     # slash / mention / dm / menu
    sa.Column("corpus_hash", sa.String(64), nullable=False),
    sa.Column("passage_ids", sa.Text, nullable=False),                   # JSON list, quote order
    sa.Column("declined", sa.Boolean, nullable=False),
    sa.Column("topic", sa.String(100), nullable=True),                   # entity id assumed (0003)
    sa.Column("entities", sa.Text, nullable=True),                       # JSON list of entity ids (0003)
    sa.Column("top_quote", sa.Text, nullable=True),                      # the first quote, verbatim (0003)
)

# One vote per user per answer; changing it updates the row.
votes = sa.Table(
    "votes", metadata,
    sa.Column("answer_id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.BigInteger, primary_key=True),
    sa.Column("vote", sa.SmallInteger, nullable=False),                  # +1 / -1
    sa.Column("reason", sa.String(40), nullable=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("updated_at", sa.Float, nullable=False),
)

# Per-server settings (0002).
guild_settings = sa.Table(
    "guild_settings", metadata,
    sa.Column("guild_id", sa.BigInteger, primary_key=True),
    sa.Column("mention_channels", sa.Text, nullable=True),               # JSON list of ids; NULL: all
    sa.Column("thread_mode", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("log_questions", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("retention_days", sa.Integer, nullable=False, server_default="30"),
    sa.Column("cooldown_rate", sa.Integer, nullable=True),
    sa.Column("cooldown_seconds", sa.Float, nullable=True),
    sa.Column("updated_at", sa.Float, nullable=False),
)

# The question text, only where the server turned question logging on (0002).
questions = sa.Table(
    "questions", metadata,
    sa.Column("answer_id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("guild_id", sa.BigInteger, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)
