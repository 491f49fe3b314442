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


def test_max_source_bytes_setting(tmp_path):
    from bot.config import ConfigError, load_config

    assert load_config(env={}).max_source_bytes == 4_000_000
    assert load_config(env={"BOT_MAX_SOURCE_BYTES": "8000000"}).max_source_bytes == 8_000_000
    with pytest.raises(ConfigError, match="max_source_bytes"):
        load_config(env={"BOT_MAX_SOURCE_BYTES": "12"})
