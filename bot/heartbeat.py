"""A running bot's heartbeat, and the health check that reads it (``python -m bot health``).

``python -m bot run`` writes ``<data_dir>/heartbeat/<host>-<pid>.json`` from its event loop every
``BEAT_SECONDS``, and at once when its gateway connection comes or goes: the time, whether the
gateway connection is up (READY or RESUMED since the last loss) and the index version it serves.
A clean exit removes the file. ``python -m bot health`` is healthy when at least one bot process
of this host (this container) writes there, and each of them wrote within ``MAX_AGE_SECONDS``
that its gateway connection is up: a stuck event loop, a lost gateway or a process that is gone
is unhealthy. It says no more than that: not that Discord routes interactions to the process, nor
that Redis or the database answer (the bot keeps answering without them, saying so in its log).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

FOLDER = "heartbeat"
BEAT_SECONDS = 10.0
MAX_AGE_SECONDS = 30.0


@dataclass(frozen=True)
class Beat:
    host: str
    pid: int
    at: float           # wall-clock seconds
    gateway: bool       # the gateway connection is up
    index: str          # the served corpus hash (12 hex)
    passages: int

    @property
    def name(self) -> str:
        return file_name(self.host, self.pid)


def file_name(host: str, pid: int) -> str:
    """The heartbeat file of process ``pid`` of ``host``."""
    return f"{host}-{pid}.json"


def write_beat(folder: Path, beat: Beat) -> None:
    """Replace the process's file at once (a reader sees the old beat or the new one, never half)."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{beat.name}.tmp"
    tmp.write_text(json.dumps(asdict(beat)), encoding="utf-8")
    os.replace(tmp, folder / beat.name)


class Heartbeat:
    """Writes ``state()`` (gateway up, the served Index) as this process's beat, off the event loop."""

    def __init__(self, folder: Path, state: Callable[[], tuple[bool, object]], seconds: float = BEAT_SECONDS):
        self.folder, self.state, self.seconds = Path(folder), state, seconds
        self.host, self.pid = socket.gethostname(), os.getpid()
        self._poked = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._failing = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="heartbeat")

    def poke(self) -> None:
        """Something the beat reports changed: write now."""
        self._poked.set()

    async def stop(self) -> None:
        if self._task is not None:
            # the flag ends the loop even if the cancel is lost: Python 3.11's wait_for can swallow
            # a cancel that arrives as the event it waits for is set (a close right after a
            # gateway loss, which pokes), and then the close waited forever
            self._stopping = True
            self._poked.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(OSError):
            (self.folder / file_name(self.host, self.pid)).unlink(missing_ok=True)

    def beat(self) -> Beat:
        gateway, index = self.state()
        return Beat(self.host, self.pid, time.time(), bool(gateway), index.corpus.content_hash[:12],
                    index.passage_count)

    async def _run(self) -> None:
        while not self._stopping:
            self._poked.clear()
            try:
                await asyncio.to_thread(write_beat, self.folder, self.beat())
            except Exception as exc:  # a full or read-only disk above all: logged once, never fatal
                if not self._failing:
                    log.warning("cannot write the heartbeat to %s (%s: %s); `python -m bot health` reports "
                                "this process unhealthy", self.folder, type(exc).__name__, exc)
                self._failing = True
            else:
                if self._failing:
                    log.info("heartbeat written to %s again", self.folder)
                self._failing = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poked.wait(), self.seconds)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: alive
    return True


def _read(path: Path) -> Beat | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Beat(str(data["host"]), int(data["pid"]), float(data["at"]), bool(data["gateway"]),
                    str(data["index"]), int(data["passages"]))
    except FileNotFoundError:
        return None  # removed by a clean exit meanwhile
    except (OSError, ValueError, KeyError, TypeError):
        raise ValueError(f"{path}: not a heartbeat file") from None


def check(folder: Path, max_age: float = MAX_AGE_SECONDS, now: float | None = None,
          host: str | None = None) -> tuple[bool, list[str]]:
    """(healthy, one line per bot process of ``host``): see the module's docstring."""
    now, host = time.time() if now is None else now, host or socket.gethostname()
    lines, healthy, found = [], True, 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            beat = _read(path)
        except ValueError as exc:
            lines.append(f"unhealthy: {exc}")
            healthy = False
            continue
        if beat is None or beat.host != host or not _alive(beat.pid):
            continue  # another host's (its processes cannot be seen from here), or gone
        found += 1
        age = now - beat.at
        what = f"process {beat.pid}: index {beat.index} ({beat.passages} passages), last beat {age:.0f} s ago"
        if age > max_age:
            lines.append(f"unhealthy: {what}, over {max_age:.0f} s (its event loop is stuck)")
        elif not beat.gateway:
            lines.append(f"unhealthy: {what}, not connected to the Discord gateway")
        else:
            lines.append(f"ok: {what}, connected to the Discord gateway")
            continue
        healthy = False
    if not found:
        lines.append(f"unhealthy: no bot process of this host writes a heartbeat in {folder}")
    return healthy and found > 0, lines


def add_health_parser(sub) -> None:
    p = sub.add_parser("health", help="exit 0 when the bot processes here (`run`) are connected and their "
                                      "event loops answer; 1 otherwise (a container healthcheck)")
    p.add_argument("--config", type=Path, default=None, help="YAML config file (default: $BOT_CONFIG)")
    p.add_argument("--max-age", type=float, default=MAX_AGE_SECONDS,
                   help=f"seconds a heartbeat stays fresh (default {MAX_AGE_SECONDS:.0f})")
    p.set_defaults(func=cmd_health)


def cmd_health(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=err)
        return 2
    if not args.max_age > 0:
        print(f"--max-age must be more than 0 seconds, got {args.max_age}", file=err)
        return 2
    healthy, lines = check(config.data_dir / FOLDER, args.max_age)
    print("\n".join(lines), file=out if healthy else err)
    return 0 if healthy else 1
