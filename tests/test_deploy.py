"""No Docker engine runs here: deploy/compose.yaml is parsed (pyyaml, with its anchors and merge
keys resolved as Compose resolves them) and checked for coherence."""
from __future__ import annotations

import re
import subprocess
import tomllib
from urllib.parse import urlsplit

import pytest
import yaml

from bot.cli import build_parser
from bot.coordination.shards import parse_plan
from bot.heartbeat import cmd_health
from bot.store.connect import parse
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
TEXT = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
# ${NAME:?message} (required: Compose stops with the message when unset) or ${NAME:-default}
_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")
SAMPLE = {"DISCORD_TOKEN": "token-from-env", "POSTGRES_PASSWORD": "pw-from-env"}


def _interpolate(text: str, env: dict[str, str]) -> str:
    """What Compose substitutes, as it does it (an unset required variable is an error)."""
    def value(m: re.Match) -> str:
        name, kind, rest = m.groups()
        if name in env:
            return env[name]
        if kind == "?":
            raise KeyError(f"{name}: {rest}")
        return rest or ""
    return _VARIABLE.sub(value, text)


COMPOSE = yaml.safe_load(_interpolate(TEXT, SAMPLE))
SERVICES = COMPOSE["services"]
BOTS = {name: s for name, s in SERVICES.items() if s.get("command", [])[:4] == ["python", "-m", "bot", "run"]}
BUILDS = {name: s for name, s in SERVICES.items() if s.get("command") == ["python", "-m", "bot", "build"]}


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    return dict(e.split("=", 1) for e in env) if isinstance(env, list) else env


def _flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_there_are_several_bot_processes_and_one_build():
    assert len(BOTS) >= 2 and len(BUILDS) == 1
    assert SERVICES["redis"]["image"].startswith("redis:") and SERVICES["postgres"]["image"].startswith("postgres:")


def test_shard_ranges_cover_every_shard_exactly_once():
    # read as `bot run` reads its flags: a range it would refuse fails here too
    plans = [parse_plan(_flag(s["command"], "--shards"), _flag(s["command"], "--shard-count")) for s in BOTS.values()]
    counts = {plan.count for plan in plans}
    assert len(counts) == 1
    [count] = counts
    assert sorted(shard for plan in plans for shard in plan.ids) == list(range(count))


@pytest.mark.parametrize("name", sorted(BOTS))
def test_every_bot_gets_the_token_and_urls_to_services_that_exist(name):
    env = _env(BOTS[name])
    assert env["DISCORD_TOKEN"] == SAMPLE["DISCORD_TOKEN"]                        # from the environment or .env
    redis = urlsplit(env["BOT_REDIS_URL"])
    assert redis.scheme == "redis" and redis.hostname in SERVICES and redis.port == 6379
    database = parse(env["BOT_DATABASE_URL"])                                      # our own check: driver, name
    pg = _env(SERVICES["postgres"])
    assert database.get_backend_name() == "postgresql" and database.host in SERVICES and database.port == 5432
    assert (database.username, database.database) == (pg["POSTGRES_USER"], pg["POSTGRES_DB"])
    assert database.password == pg["POSTGRES_PASSWORD"] == SAMPLE["POSTGRES_PASSWORD"]


def test_secrets_are_required_from_the_environment_never_written_in():
    for name in SAMPLE:   # without them Compose stops with a message instead of starting half-configured
        with pytest.raises(KeyError, match=name):
            _interpolate(TEXT, {k: v for k, v in SAMPLE.items() if k != name})
    assert {m.group(1) for m in _VARIABLE.finditer(TEXT) if m.group(2) != "-"} == set(SAMPLE)


@pytest.mark.parametrize("name", sorted(BOTS))
def test_bots_start_after_the_build_and_healthy_servers(name):
    depends = BOTS[name]["depends_on"]
    [build] = BUILDS
    assert depends[build] == {"condition": "service_completed_successfully"}
    for server in ("redis", "postgres"):
        assert depends[server] == {"condition": "service_healthy"} and SERVICES[server]["healthcheck"]["test"]
    assert BUILDS[build].get("restart") == "no"


@pytest.mark.parametrize("name", sorted(BOTS))
def test_bots_are_healthchecked_by_the_bots_own_health_command(name):
    check = BOTS[name]["healthcheck"]
    assert check["test"][:4] == ["CMD", "python", "-m", "bot"]
    assert build_parser().parse_args(check["test"][4:]).func is cmd_health   # a command `python -m bot` has
    assert "healthcheck" not in BUILDS["build-index"]                         # a one-shot job has none


def test_one_index_and_one_corpus_volume_shared_at_the_same_paths():
    mounts = {name: sorted(s["volumes"]) for name, s in {**BOTS, **BUILDS}.items()}
    assert len({tuple(m) for m in mounts.values()}) == 1                        # the same for every process
    [volumes] = {tuple(m) for m in mounts.values()}
    named = {v.split(":")[0]: v.split(":")[1] for v in volumes}
    assert set(named) <= set(COMPOSE["volumes"]) and "pgdata" in COMPOSE["volumes"]
    for service in {**BOTS, **BUILDS}.values():
        env = _env(service)
        assert env["BOT_CORPUS_DIR"] == named["corpus"]
        assert env["BOT_INDEX_DIR"].startswith(named["index"] + "/")             # vectors go beside it, inside too
    assert SERVICES["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]


def test_the_image_builds_from_the_repository_dockerfile_with_existing_extras():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for service in {**BOTS, **BUILDS}.values():
        build = service["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == ROOT / "Dockerfile"
        named = build["args"]["BOT_EXTRAS"].split(",")
        assert "postgres" in named and set(named) <= set(extras)                  # each one pip can install
    assert "ARG BOT_EXTRAS" in (ROOT / "Dockerfile").read_text()


def test_the_env_file_is_an_example_and_never_committed():
    example = (DEPLOY / ".env.example").read_text()
    assert re.search(r"^DISCORD_TOKEN=$", example, re.M) and re.search(r"^POSTGRES_PASSWORD=$", example, re.M)
    ignored = subprocess.run(["git", "check-ignore", "-q", "deploy/.env"], cwd=ROOT).returncode == 0
    assert ignored or "deploy/.env" in (ROOT / ".gitignore").read_text().split()
