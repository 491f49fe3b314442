from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config
from bot.discord.cooldowns import UserCooldowns


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_cooldown_allows_rate_then_warns_once_then_resets():
    clock = Clock()
    cd = UserCooldowns(rate=2, per=10, clock=clock)
    assert cd.hit(1) == (0.0, False)
    assert cd.hit(1) == (0.0, False)
    wait, warn = cd.hit(1)
    assert wait == pytest.approx(10) and warn
    assert cd.hit(1)[1] is False          # flooding: no second warning in the window
    assert cd.hit(2) == (0.0, False)      # other users unaffected
    clock.now = 10.5
    assert cd.hit(1) == (0.0, False)


def test_expired_users_are_forgotten_once_per_window():
    clock = Clock()
    cd = UserCooldowns(rate=1, per=10, clock=clock)
    for user in range(1000):
        cd.hit(user)
    clock.now = 11
    cd.hit(5000)
    assert len(cd._buckets) == 1


def test_config_defaults_file_and_env(tmp_path):
    assert load_config(None, {}) == Config()
    path = tmp_path / "bot.yaml"
    path.write_text("moderator_role_ids: [11, 22]\ncooldown_rate: 2\ndev_guild_id: 99\n", encoding="utf-8")
    cfg = load_config(path, {"BOT_COOLDOWN_RATE": "5", "BOT_QUOTES_PER_ANSWER": "2"})
    assert cfg.moderator_role_ids == {11, 22} and cfg.cooldown_rate == 5
    assert cfg.quotes_per_answer == 2 and cfg.dev_guild_id == 99
    assert load_config(None, {"BOT_CONFIG": str(path)}).cooldown_rate == 2


@pytest.mark.parametrize("content, message", [
    ("unknown_key: 1\n", "unknown setting"),
    ("cooldown_rate: many\n", "whole number"),
    ("quotes_per_answer: 50\n", "out of range"),
    ("log_level: LOUD\n", "log_level"),
    ("- a list\n", "mapping"),
    ("key: [unclosed\n", "cannot read"),
])
def test_config_errors_are_clear(tmp_path, content, message):
    path = tmp_path / "bot.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path, {})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml", {})


def test_relative_folders_resolve_against_the_working_folder(tmp_path, monkeypatch):
    """What the Docker image's CMD relies on: WORKDIR /app holds ./corpus, nothing set."""
    monkeypatch.chdir(tmp_path)
    cfg = load_config(None, {})
    assert cfg.corpus_dir == tmp_path / "corpus" and cfg.index_dir == tmp_path / ".cache" / "index"
    path = tmp_path / "bot.yaml"
    path.write_text("corpus_dir: data/corpus\n", encoding="utf-8")
    assert load_config(path, {"BOT_INDEX_DIR": "idx"}).corpus_dir == tmp_path / "data" / "corpus"
    assert load_config(path, {"BOT_INDEX_DIR": "idx"}).index_dir == tmp_path / "idx"
    assert load_config(None, {"BOT_CORPUS_DIR": "/srv/corpus"}).corpus_dir == Path("/srv/corpus")


def test_environment_wins_over_the_file_and_lists_parse(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("cooldown_seconds: 10\nlog_level: debug\nmoderator_role_ids: [1]\n", encoding="utf-8")
    cfg = load_config(path, {"BOT_COOLDOWN_SECONDS": "2.5", "BOT_MODERATOR_ROLE_IDS": "7, 8,", "BOT_DEV_GUILD_ID": ""})
    assert cfg.cooldown_seconds == 2.5 and cfg.moderator_role_ids == {7, 8}
    assert cfg.log_level == "DEBUG" and cfg.dev_guild_id is None


def test_a_bad_environment_value_names_its_variable():
    with pytest.raises(ConfigError, match="BOT_COOLDOWN_RATE.*whole number"):
        load_config(None, {"BOT_COOLDOWN_RATE": "lots"})
    with pytest.raises(ConfigError, match="BOT_COOLDOWN_SECONDS.*out of range"):
        load_config(None, {"BOT_COOLDOWN_SECONDS": "-1"})


def test_direct_construction_reads_no_environment(monkeypatch):
    monkeypatch.setenv("BOT_COOLDOWN_RATE", "99")
    assert Config().cooldown_rate == 6


def test_every_setting_has_its_help_and_environment_name():
    from bot.config import settings_help

    lines = settings_help()
    assert len(lines) == len(Config.model_fields)
    for name in Config.model_fields:
        line = next(line for line in lines if line.startswith(name))
        assert f"BOT_{name.upper()}" in line and "default" in line
def test_max_source_bytes_setting(tmp_path):
    from bot.config import ConfigError, load_config

    assert load_config(env={}).max_source_bytes == 4_000_000
    assert load_config(env={"BOT_MAX_SOURCE_BYTES": "8000000"}).max_source_bytes == 8_000_000
    with pytest.raises(ConfigError, match="max_source_bytes"):
        load_config(env={"BOT_MAX_SOURCE_BYTES": "12"})


def test_upload_settings(tmp_path):
    cfg = load_config(env={})
    assert cfg.upload_max_bytes == 2 * 1024 * 1024 and ".html" in cfg.upload_extensions
    cfg = load_config(env={"BOT_UPLOAD_EXTENSIONS": "md, .TXT,", "BOT_UPLOAD_MAX_BYTES": "4096"})
    assert cfg.upload_extensions == frozenset({".md", ".txt"}) and cfg.upload_max_bytes == 4096
    path = tmp_path / "c.yaml"
    path.write_text("upload_extensions: [html]\n", encoding="utf-8")
    assert load_config(path, {}).upload_extensions == frozenset({".html"})
    with pytest.raises(ConfigError, match="BOT_UPLOAD_MAX_BYTES: upload_max_bytes: out of range"):
        load_config(env={"BOT_UPLOAD_MAX_BYTES": "12"})
    with pytest.raises(ConfigError, match="upload_extensions: give at least one file extension"):
        load_config(env={"BOT_UPLOAD_EXTENSIONS": " , "})
