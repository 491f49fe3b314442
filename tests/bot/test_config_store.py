"""The store's and conversations' settings: data_dir, database_url, conversation_minutes."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.store import store_url


def test_defaults_and_environment(tmp_path):
    config = load_config(env={})
    assert config.data_dir == Path.cwd() / ".data" and config.database_url is None and config.conversation_minutes == 15
    assert store_url(config.data_dir, None) == f"sqlite:///{Path.cwd() / '.data' / 'bot.sqlite3'}"
    env = {"BOT_DATA_DIR": str(tmp_path), "BOT_DATABASE_URL": "postgresql://bot@db/bot",
           "BOT_CONVERSATION_MINUTES": "5"}
    config = load_config(env=env)
    assert config.data_dir == tmp_path and config.database_url == "postgresql://bot@db/bot"
    assert config.conversation_minutes == 5
    assert store_url(config.data_dir, config.database_url) == "postgresql+psycopg://bot@db/bot"  # psycopg 3


@pytest.mark.parametrize("value", ["0", "-3", "soon", "2000"])
def test_bad_conversation_minutes(value):
    with pytest.raises(ConfigError, match="conversation_minutes"):
        load_config(env={"BOT_CONVERSATION_MINUTES": value})


def test_yaml_file(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("data_dir: ~/botdata\nconversation_minutes: 30\n", encoding="utf-8")
    config = load_config(path, env={})
    assert config.data_dir == Path("~/botdata").expanduser() and config.conversation_minutes == 30
