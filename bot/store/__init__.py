"""What the bot stores (answers, votes, per-server settings, logged questions): one small interface,
SQLite by default, any SQLAlchemy database URL by configuration, versioned migrations (Alembic)."""
from bot.store.records import AnswerRecord, GuildSettings
from bot.store.store import Store, store_url

__all__ = ["AnswerRecord", "GuildSettings", "Store", "store_url"]
