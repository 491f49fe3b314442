"""Build an index version in a child process: ``python -m index.rebuild --corpus DIR --index-dir DIR``.

The serving process loads and validates the corpus itself (it serves that text), then, when the
store has no published version for that exact corpus, runs this module in a child process to
build and publish one (``index.store``), and loads it. The child parses again only the sources
whose bytes changed since the published version (``index.corpus.records``), reuses that
version's passages, terms and spelling words for the others (``index.snapshot.assemble``) and
reads the changed ones on every core (``index.snapshot.work``). So the build's CPU and garbage stay out of
the bot, and a build can be cancelled at once by killing the child (shutdown): its half-written
temporary folder is swept by the next save. The child refuses to build when the corpus it reads
is not the one the parent read (``--expect-hash``): the corpus changed in between.

With ``--signed`` the child does not even read a source file whose stat signature (device, inode,
size, mtime and ctime) is the one the published version recorded with its SHA-256
(``index.corpus.files``): it takes that SHA-256. A signature is a hint, not a proof, so this is
safe only because the parent reads and hashes every file itself and serves a version only if its
corpus hash is the parent's (``index.live``): a build whose hash differs is refused there and
done again by a child started without ``--signed``, which reads every byte.

The child prints one JSON line: ``{"ok": true}`` or ``{"ok": false, "errors": [...]}``.

A spare (``ChildBuild.standby``, ``--standby``) is this child started ahead of need: it imports
the build's code and loads its compiled kernels (about 0.8 s), then waits for its command line
on stdin, so a reload of a large corpus does not wait for that (``index.live``).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from index.corpus import loader
from index.corpus.errors import CorpusError, CorpusIssue

log = logging.getLogger(__name__)

# What follows sys.executable in the child's command line (a test wraps it to slow the build).
CHILD = ["-m", "index.rebuild"]
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


class BuildCancelled(Exception):
    """The build was cancelled (the bot is shutting down)."""


class ChildBuild:
    """One build in a child process; ``cancel()`` (from any thread) kills it."""

    def __init__(self):
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self.cancelled = False
        self.standing_by = False
        self._made_for: tuple | None = None   # a spare: the command and environment it was started with

    @classmethod
    def standby(cls) -> ChildBuild:
        """A spare: the child started now, waiting for ``start`` to give it its arguments."""
        child = cls()
        child._made_for = (tuple(CHILD), _child_env())
        child._proc = subprocess.Popen([sys.executable, *CHILD, "--standby"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child._made_for[1],
                                       start_new_session=True)
        child.standing_by = True
        return child

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def fits(self) -> bool:
        """A spare still waiting, started with today's child command and environment."""
        return self.standing_by and self.running() and self._made_for == (tuple(CHILD), _child_env())

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, root: Path, index_dir: Path, max_source_bytes: int | None, corpus_hash: str | None,
              signed: bool = True) -> None:
        """Start the build (``wait`` for it); ``corpus_hash`` None: build whatever corpus is there;
        ``signed``: files whose stat signature is unchanged are not read (``--signed``). A spare
        is given these arguments; one that died waiting is replaced by a new child."""
        args = ["--corpus", str(root), "--index-dir", str(index_dir), "--max-source-bytes", str(max_source_bytes or 0)]
        args += ["--expect-hash", corpus_hash] if corpus_hash else []
        args += ["--signed"] if signed else []
        with self._lock:
            if self.cancelled:
                raise BuildCancelled()
            if self.standing_by:
                self.standing_by = False
                try:
                    self._proc.stdin.write((json.dumps(args) + "\n").encode("utf-8"))
                    self._proc.stdin.flush()   # ``wait`` closes it
                    return
                except OSError:   # it died waiting: a new child instead
                    self._proc.kill()
                    self._proc.communicate()
            self._proc = subprocess.Popen([sys.executable, *CHILD, *args], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_env(),
                                          start_new_session=True)

    def reap(self, timeout: float = 2.0) -> None:
        """Wait for the process after ``cancel`` (a killed child is gone at once)."""
        try:
            if self._proc is not None:
                self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("build process %s did not exit after it was killed", self._proc.pid)

    def wait(self) -> str:
        """The corpus hash the build published from; raises CorpusError, BuildCancelled or
        RuntimeError."""
        out, err = self._proc.communicate()
        if self.cancelled:
            raise BuildCancelled()
        result = _last_json(out)
        if result.get("ok"):
            return str(result.get("corpus_hash", ""))
        if result.get("errors"):
            raise CorpusError([CorpusIssue(e.get("path", ""), e.get("line", 0), e.get("message", ""))
                               for e in result["errors"]])
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"the index build (child process) failed with exit code "
                           f"{self._proc.returncode}: {tail[0][:300]}")

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            if self._proc is not None and self._proc.poll() is None:
                try:
                    os.killpg(self._proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    self._proc.kill()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    return env


def _last_json(out: bytes) -> dict:
    for line in reversed(out.decode("utf-8", "replace").splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _exit_with_parent() -> None:
    """The build is for the process that started it: when that one is gone, stop."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _make_room(index_dir: Path, root: Path, retired: threading.Event) -> None:
    """Retire the oldest version while the corpus is read (``retired`` is set when the store no
    longer lists it), then delete its files while the new one is built: not after it is
    published, and not before the build starts (a second at a million passages)."""
    from index import folders, store
    from index.snapshot import version

    doomed: list[folders.Retired] = []
    try:
        doomed = store.make_room(version.home(index_dir, root))
    except OSError as exc:   # a read-only index folder: the save says so
        print(f"could not sweep old index versions: {exc}", file=sys.stderr)
    finally:
        retired.set()
    folders.remove(doomed)


def _orders() -> list[str] | None:
    """A spare's wait: load what a build runs, then read its command line from stdin (None: the
    parent closed stdin without one)."""
    import numpy as np

    from index.bm25.scorers import FastBM25
    from index.engine import Index  # noqa: F401  (imported now, not when the build is asked for)

    FastBM25.from_token_ids(np.array([0, 1, 1], np.int32), np.array([0, 2, 3]), ["a", "b"]).warmup()
    line = sys.stdin.readline()
    return json.loads(line) if line.strip() else None


def main(argv: list[str] | None = None) -> int:
    _exit_with_parent()
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--standby"]:
        argv = _orders()
        if argv is None:
            return 0
    parser = argparse.ArgumentParser(prog="python -m index.rebuild", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--expect-hash", default=None)
    parser.add_argument("--max-source-bytes", type=int, default=loader.DEFAULT_MAX_SOURCE_BYTES,
                        help="0: no limit")
    parser.add_argument("--signed", action="store_true",
                        help="take the recorded SHA-256 of a file whose stat signature is unchanged, unread")
    args = parser.parse_args(argv)
    # the oldest version leaves the store's list while the corpus is read, before the build
    # forks its workers; its files are deleted meanwhile (a thread in unlink holds no lock a
    # forked worker needs), and are gone before the child exits
    retired = threading.Event()
    room = threading.Thread(target=_make_room, args=(args.index_dir, args.corpus, retired), name="make-room",
                            daemon=True)
    room.start()
    try:
        return _build(args, retired)
    finally:
        room.join()


def _build(args, retired: threading.Event) -> int:
    from index.engine import Index
    from index.snapshot import version

    try:
        _, known, signed = version.published_inputs(args.index_dir, args.corpus)
        corpus = loader.load_corpus(args.corpus, args.max_source_bytes or None, known=known, lazy=True,
                                    signed=signed if args.signed else None)
    except CorpusError as exc:
        issues = [{"path": str(i.path), "line": i.line, "message": i.message} for i in exc.issues]
        print(json.dumps({"ok": False, "errors": issues}), flush=True)
        return 1
    finally:
        retired.wait()
    if args.expect_hash and corpus.content_hash != args.expect_hash:
        message = "the corpus changed while it was being reloaded; reload again"
        print(json.dumps({"ok": False, "errors": [{"path": corpus.root.name, "line": 0,
                                                   "message": message}]}), flush=True)
        return 1
    Index(corpus, cache_dir=args.index_dir, workers=os.cpu_count() or 1)
    print(json.dumps({"ok": True, "corpus_hash": corpus.content_hash}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
