"""No Docker engine runs here: check the image's recipe matches the README install and the design."""
from tests.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_slim_python_311_installed_from_pyproject():
    assert "FROM python:3.11-slim" in DOCKERFILE
    assert "COPY pyproject.toml" in DOCKERFILE and 'pip install ".[${BOT_EXTRAS}]"' in DOCKERFILE


def test_every_package_is_copied():
    import tomllib

    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    for top in {p.rstrip("*").split(".")[0] for p in found["include"]}:
        assert f"COPY {top} ./{top}" in DOCKERFILE


def test_non_root_corpus_baked_token_from_env_and_exec_form():
    assert "USER bot" in DOCKERFILE and "useradd" in DOCKERFILE
    assert "COPY corpus ./corpus" in DOCKERFILE and "WORKDIR /app" in DOCKERFILE
    # the defaults (./corpus, ./.cache/index) resolve against WORKDIR: tests/bot/test_cooldowns_config.py
    assert "BOT_CORPUS_DIR" not in DOCKERFILE and "BOT_INDEX_DIR" not in DOCKERFILE
    assert "DISCORD_TOKEN=" not in DOCKERFILE.replace("docker run -e DISCORD_TOKEN=", "")
    assert 'CMD ["python", "-m", "bot", "run"]' in DOCKERFILE  # exec form: python gets SIGTERM


def test_the_extras_it_installs_exist():
    """BOT_EXTRAS (default postgres) names extras of pyproject.toml: a PostgreSQL database_url works."""
    import re
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    default = re.search(r"^ARG BOT_EXTRAS=(\S+)$", DOCKERFILE, re.M).group(1)
    assert set(default.split(",")) <= set(extras) and "psycopg" in " ".join(extras["postgres"])


def test_git_is_installed_for_corpus_versions():
    assert "apt-get install -y --no-install-recommends git" in DOCKERFILE


def test_the_image_compiles_the_kernels_a_start_needs():
    """numba compiles a kernel on first use and caches it in NUMBA_CACHE_DIR: the build compiles the
    build's kernels, opening the index (an ``ask``) those of validation and queries; without them
    every new container spent about 13 s compiling before its first answer."""
    assert "NUMBA_CACHE_DIR=" in DOCKERFILE
    assert 'RUN python -m bot build && python -m bot ask "' in DOCKERFILE
