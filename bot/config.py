"""Configuration: one YAML file merged with environment variables. The token only from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

import yaml

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT / "corpus"
DEFAULT_INDEX_DIR = PROJECT / ".cache" / "index"

# YAML key -> (environment variable, parser)
_ENV = {
    "corpus_dir": "BOT_CORPUS_DIR",
    "index_dir": "BOT_INDEX_DIR",
    "moderator_role_ids": "BOT_MODERATOR_ROLE_IDS",
    "cooldown_rate": "BOT_COOLDOWN_RATE",
    "cooldown_seconds": "BOT_COOLDOWN_SECONDS",
    "quotes_per_answer": "BOT_QUOTES_PER_ANSWER",
    "dev_guild_id": "BOT_DEV_GUILD_ID",
    "log_level": "BOT_LOG_LEVEL",
    "upload_max_bytes": "BOT_UPLOAD_MAX_BYTES",
    "upload_extensions": "BOT_UPLOAD_EXTENSIONS",
}
DEFAULT_UPLOAD_EXTENSIONS = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".yaml", ".yml"})


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = DEFAULT_CORPUS
    index_dir: Path = DEFAULT_INDEX_DIR  # the persisted BM25 index (rebuilt when the corpus changes)
    moderator_role_ids: frozenset[int] = field(default_factory=frozenset)
    cooldown_rate: int = 6            # questions per user ...
    cooldown_seconds: float = 30.0    # ... per this many seconds
    quotes_per_answer: int = 3
    dev_guild_id: int | None = None   # where `--sync guild` puts the commands
    log_level: str = "INFO"
    upload_max_bytes: int = 2 * 1024 * 1024   # /corpus uploads: the largest file accepted
    upload_extensions: frozenset[str] = DEFAULT_UPLOAD_EXTENSIONS  # ... and the file types


def _int(value: Any, key: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {value!r}") from None


def _parse(key: str, value: Any) -> Any:
    if key in ("corpus_dir", "index_dir"):
        return Path(str(value)).expanduser()
    if key == "moderator_role_ids":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise ConfigError(f"{key}: expected a list of role ids")
        return frozenset(_int(v, key) for v in items if str(v).strip())
    if key in ("cooldown_rate", "quotes_per_answer"):
        n = _int(value, key)
        if not 1 <= n <= (10 if key == "quotes_per_answer" else 1000):
            raise ConfigError(f"{key}: {n} is out of range")
        return n
    if key == "cooldown_seconds":
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key}: expected a number of seconds, got {value!r}") from None
        if not 0 <= seconds <= 3600:
            raise ConfigError(f"{key}: {seconds} is out of range (0-3600)")
        return seconds
    if key == "dev_guild_id":
        return None if value in (None, "") else _int(value, key)
    if key == "log_level":
        level = str(value).upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"{key}: expected DEBUG, INFO, WARNING or ERROR, got {value!r}")
        return level
    if key == "upload_max_bytes":
        n = _int(value, key)
        if not 1024 <= n <= 25 * 1024 * 1024:
            raise ConfigError(f"{key}: {n} is out of range (1024 to 26214400 bytes)")
        return n
    if key == "upload_extensions":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise ConfigError(f"{key}: expected a list of file extensions such as .md")
        exts = frozenset("." + str(v).strip().lower().lstrip(".") for v in items if str(v).strip())
        if not exts:
            raise ConfigError(f"{key}: give at least one file extension")
        return exts
    raise ConfigError(f"unknown setting {key!r}")


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Defaults, then the YAML file (``path`` or $BOT_CONFIG), then environment variables."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = path or (Path(env["BOT_CONFIG"]) if env.get("BOT_CONFIG") else None)
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of settings")
        known = {f.name for f in fields(Config)}
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
            values[key] = _parse(key, value)
    for key, var in _ENV.items():
        if env.get(var):
            values[key] = _parse(key, env[var])
    return Config(**values)
