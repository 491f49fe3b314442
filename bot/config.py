"""Configuration: typed settings, validated at start, from a YAML file and then the environment.

Each setting is declared once below: its type, default, bounds and help; its environment
variable is ``BOT_`` + its name in capitals. ``load_config`` reads the YAML file (``--config``
or ``$BOT_CONFIG``) and then the environment, which wins; an unknown key in the file, a value
of the wrong type or out of bounds is a ``ConfigError`` that says which setting and where it
came from. Relative folders are resolved against the current working folder when the
configuration is loaded (``./corpus`` is the corpus of the folder the bot runs in). The
Discord token is not a setting: it comes only from ``DISCORD_TOKEN``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

ENV_PREFIX = "BOT_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
UPLOAD_EXTENSIONS = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".yaml", ".yml"})

# The environment the settings are read from: load_config sets it for the duration of a load,
# so that a Config built directly (Config(...), in tests and tools) reads no environment.
_ENVIRON: ContextVar[Mapping[str, str]] = ContextVar("bot_config_environ", default=MappingProxyType({}))


class ConfigError(ValueError):
    pass


class _MappingEnvSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of ``os.environ``."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(_ENVIRON.get(), self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True, env_ignore_empty=True,
                                      validate_default=True)

    corpus_dir: Path = Field(Path("corpus"), description="the corpus folder")
    index_dir: Path = Field(Path(".cache/index"), description="the persisted index (rebuilt when the corpus changes)")
    moderator_role_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(),
        description="role ids that may /reload and /corpus besides Manage Server (comma-separated in the environment)")
    cooldown_rate: int = Field(6, ge=1, le=1000, description="questions per user per cooldown_seconds")
    cooldown_seconds: float = Field(30.0, ge=0, le=3600, description="the cooldown window, in seconds")
    quotes_per_answer: int = Field(3, ge=1, le=10, description="quotes per page of an answer")
    dev_guild_id: int | None = Field(None, description="the guild `--sync guild` pushes the commands to")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="logs go to stderr")
    max_source_bytes: int = Field(4_000_000, ge=1_000, le=2_000_000_000,
                                  description="a corpus file larger than this is refused unread")
    data_dir: Path = Field(Path(".data"), description="the SQLite database bot.sqlite3 (votes, answer records, "
                                                      "server settings, logged questions); created if missing")
    database_url: str | None = Field(None, min_length=1, max_length=2000,
                                     description="any SQLAlchemy URL instead of the SQLite file; wins over data_dir")
    conversation_minutes: float = Field(15.0, gt=0, le=1440, description="a conversation forgets its topic after "
                                                                         "this long without a question")
    upload_max_bytes: int = Field(2 * 1024 * 1024, ge=1024, le=25 * 1024 * 1024,
                                  description="/corpus uploads: the largest file accepted, in bytes")
    upload_extensions: Annotated[frozenset[str], NoDecode] = Field(
        UPLOAD_EXTENSIONS, description="/corpus uploads: the file types accepted (comma-separated in the environment)")
    redis_url: str | None = Field(None, min_length=1, max_length=2000,
                                  description="several bot processes (shards): a Redis URL (redis://host:6379/0) "
                                              "through which they share index versions and cooldowns")
    redis_sync_seconds: float = Field(30.0, ge=1, le=3600, description="with redis_url: how often a process "
                                                                       "checks the published index version")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        # the environment first (it wins), then the values given: the YAML file's in load_config
        return _MappingEnvSource(settings_cls), init_settings

    @field_validator("corpus_dir", "index_dir", "data_dir")
    @classmethod
    def _from_working_folder(cls, value: Path) -> Path:
        value = value.expanduser()
        return value if value.is_absolute() else Path.cwd() / value

    @field_validator("moderator_role_ids", mode="before")
    @classmethod
    def _role_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise ValueError("expected a list of role ids")
        return value

    @field_validator("database_url", "redis_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return (value.strip() or None) if isinstance(value, str) else value
    @field_validator("upload_extensions", mode="before")
    @classmethod
    def _extensions(cls, value: Any) -> Any:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple, set, frozenset)):
            raise ValueError("expected a list of file extensions such as .md")
        exts = frozenset("." + str(v).strip().lower().lstrip(".") for v in items if str(v).strip())
        if not exts:
            raise ValueError("give at least one file extension")
        return exts

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


def env_name(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def settings_help() -> list[str]:
    """One line per setting: name, environment variable, default and help."""
    lines = []
    for name, f in Config.model_fields.items():
        default = f.default if not isinstance(f.default, (set, frozenset)) else ", ".join(sorted(map(str, f.default)))
        shown = f"./{default}" if isinstance(default, Path) else (default if default not in (None, "") else "none")
        lines.append(f"{name} ({env_name(name)}, default {shown}): {f.description}")
    return lines


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return data


_PLAIN = {"int_parsing": "expected a whole number", "int_type": "expected a whole number",
          "int_from_float": "expected a whole number", "float_parsing": "expected a number",
          "float_type": "expected a number", "path_type": "expected a folder path",
          "literal_error": f"expected {', '.join(LOG_LEVELS)}"}


def _bounds(name: str) -> str:
    metadata = Config.model_fields[name].metadata
    low = next((m.ge if hasattr(m, "ge") else m.gt for m in metadata if hasattr(m, "ge") or hasattr(m, "gt")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    return f"out of range ({low}-{high})"


def _message(error: dict, path: Path | None, env: Mapping[str, str]) -> str:
    """One pydantic error as: where it came from, which setting, what is wrong."""
    name = str(error["loc"][0]) if error["loc"] else "?"
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown setting {name!r} (known: {', '.join(Config.model_fields)})"
    source = env_name(name) if env.get(env_name(name)) else str(path)
    if error["type"] in ("less_than_equal", "greater_than_equal", "greater_than", "less_than"):
        what = _bounds(name)
    else:
        what = _PLAIN.get(error["type"]) or error["msg"].removeprefix("Value error, ")
    return f"{source}: {name}: {what}, got {error.get('input')!r}"


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Defaults, then the YAML file (``path`` or $BOT_CONFIG), then environment variables."""
    env = os.environ if env is None else env
    path = path or (Path(env["BOT_CONFIG"]) if env.get("BOT_CONFIG") else None)
    values = _read_yaml(path) if path is not None else {}
    token = _ENVIRON.set(env)
    try:
        return Config(**values)
    except ValidationError as exc:
        raise ConfigError("; ".join(_message(e, path, env) for e in exc.errors())) from None
    finally:
        _ENVIRON.reset(token)
