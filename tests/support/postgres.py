"""A real PostgreSQL server for the tests: the binaries the PyPI package ``pgserver`` ships
(initdb, pg_ctl, postgres), a data folder in a temp folder, listening on 127.0.0.1 and a free port
with password authentication (so a wrong password is refused as on a real deployment).

postgres refuses to run as root; this machine and CI run as root. pgserver's way around it, used
here too: run initdb and pg_ctl as an unprivileged system user (``pgserver``, created with
``useradd`` if missing) that owns the data folder. Where that user cannot reach the binaries
inside the virtual environment (a venv under /root), they are copied into the temp folder rather
than widening anyone's folder permissions.
"""
from __future__ import annotations

import importlib.util
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.ports import free_port

SYSTEM_USER = "pgserver"   # the name pgserver itself uses
ADMIN = "postgres"


class ServerUnavailable(RuntimeError):
    """The server could not be started here; the message says why."""


def pginstall() -> Path:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        raise ServerUnavailable("the PyPI package pgserver is not installed (pip install -e '.[test]')")
    home = Path(spec.origin).parent / "pginstall"
    if not (home / "bin" / "postgres").exists():
        raise ServerUnavailable(f"pgserver ships no PostgreSQL binaries for this platform ({home})")
    return home


def _others_can_reach(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                       check=True, capture_output=True, text=True)
        return pwd.getpwnam(SYSTEM_USER)


def _copy(home: Path, to: Path) -> Path:
    """pgserver/pginstall with the wheel's bundled libraries beside it (the binaries find them at
    $ORIGIN/../../../pgserver.libs), copied where the unprivileged user can read them."""
    libs = home.parent.parent / "pgserver.libs"
    if libs.exists():
        shutil.copytree(libs, to / libs.name)
    return Path(shutil.copytree(home, to / "pgserver" / "pginstall"))


@dataclass
class PostgresServer:
    root: Path                      # a temp folder this server owns
    port: int = 0
    password: str = field(default_factory=lambda: secrets.token_hex(8))
    fsync: bool = False             # tests: off (faster, nothing to keep); benchmarks: on, as in production
    _user: pwd.struct_passwd | None = None
    _bin: Path | None = None

    def url(self, database: str = "postgres", *, password: str | None = None, driver: str = "psycopg") -> str:
        return f"postgresql+{driver}://{ADMIN}:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        as_user = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []} if self._user else {}
        # output to a file, not a pipe: a server that pg_ctl leaves running could hold a pipe open
        # and the call would wait for it (pgserver's note)
        with tempfile.TemporaryFile("w+") as output:
            try:
                subprocess.run([str(self._bin / args[0]), *args[1:]], check=True, stdout=output,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, timeout=timeout,
                               cwd=self.root, **as_user)
            except subprocess.CalledProcessError:
                output.seek(0)
                log = self.root / "postgres.log"
                tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
                raise ServerUnavailable(f"{args[0]} failed: {output.read().strip()[-1500:]} {tail}") from None
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ServerUnavailable(f"{args[0]} could not run: {exc}") from None

    def start(self) -> PostgresServer:
        home = pginstall()
        if os.geteuid() == 0:
            self._user = _system_user()
            if not _others_can_reach(home / "bin" / "postgres"):
                home = _copy(home, self.root / "pg")
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
            if not _others_can_reach(self.root.parent):
                raise ServerUnavailable(f"the {SYSTEM_USER} user cannot reach {self.root}")
        self._bin = home / "bin"
        pwfile = self.root / "password"
        pwfile.write_text(self.password)
        if self._user:
            os.chown(pwfile, self._user.pw_uid, self._user.pw_gid)
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", ADMIN, "--pwfile", str(pwfile), "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync")
        for attempt in range(3):   # the free port may be taken between finding and binding it
            self.port = free_port()
            try:
                self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "postgres.log"), "-w", "-t", "60", "-o",
                          f"-h 127.0.0.1 -p {self.port} -k {self.root} {'' if self.fsync else '-F '}"
                          "-c max_connections=200", "start")
                return self
            except ServerUnavailable:
                if attempt == 2:
                    raise
        return self

    def stop(self) -> None:
        if self._bin is not None and (self.root / "data" / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
            except ServerUnavailable:
                pass

    # ------------------------------------------------------------------ databases
    def _admin(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=ADMIN, password=self.password,
                               dbname="postgres", autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        name = name or f"t_{secrets.token_hex(6)}"
        with self._admin() as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def execute(self, sql: str) -> None:
        with self._admin() as db:
            db.execute(sql)
