"""Every corpus version kept: the corpus folder as a git repository (through the git command).

A version is a commit: who (a moderator's name and id, or ``host`` for hand edits), when, and a
summary. ``prepare`` validates a change on a staged copy of the current version and returns the
corpus it would make (for a preview); ``commit`` writes it: under a lock, only if the version the
preview was based on is still current (else :class:`CorpusChanged`), staged and validated again,
then the files are moved in and committed. ``rollback`` writes an old version's files as a new
version: nothing is ever lost. ``record_host_edits`` makes hand edits on the host a version.

Crash safety: before any file is moved in, a journal (``.git/corpus-journal.json``) names the
paths and the version they are based on. ``recover`` (run before every load, idempotent) finds
a journal left by a killed writer: if the commit was not made, the journal's paths are restored
from the last version; either way the repository ends consistent with its last commit. The
``CORPUS_VERSIONS_CRASH_AT`` environment variable kills the writer at a named step (for tests).
"""
from __future__ import annotations

import fcntl
import io
import json
import os
import re
import shutil
import signal
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from index.corpus.gitcmd import GitError, git, git_bytes
from index.corpus.loader import DEFAULT_MAX_SOURCE_BYTES, load_corpus
from index.corpus.model import Corpus

__all__ = ["Author", "CorpusChanged", "CorpusRepo", "GitError", "Version", "HOST", "recover", "CORPUS_PATH_RE"]

JOURNAL = "corpus-journal.json"
CORPUS_PATH_RE = re.compile(r"(sources/[a-z0-9][a-z0-9-]*\.md|timeline\.yaml|entities\.yaml)\Z")
_VERSION_RE = re.compile(r"[0-9a-f]{4,40}\Z")
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclass(frozen=True)
class Author:
    name: str
    ident: str        # a Discord user id, or "host"

    def git_author(self) -> str:
        name = re.sub(r"[<>\n\r\x00]", "", self.name).strip()[:80] or "unknown"
        ident = re.sub(r"[^0-9A-Za-z._-]", "", self.ident)[:40] or "unknown"
        return f"{name} <{ident}@{'host' if ident == 'host' else 'discord'}>"


HOST = Author("host", "host")


@dataclass(frozen=True)
class Version:
    id: str
    author: str
    author_id: str
    when: str         # ISO 8601
    summary: str

    @property
    def short(self) -> str:
        return self.id[:10]


class CorpusChanged(Exception):
    """The corpus got a new version since the preview was made."""

    def __init__(self, base: str, current: Version):
        super().__init__(f"the corpus changed since the preview (now {current.short} by {current.author})")
        self.base, self.current = base, current


def _crash_point(step: str) -> None:
    if os.environ.get("CORPUS_VERSIONS_CRASH_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _check_paths(changes: dict[str, bytes | None]) -> None:
    if bad := [rel for rel in changes if not CORPUS_PATH_RE.match(rel)]:
        raise ValueError(f"not a corpus file name: {bad[0]!r}")


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class CorpusRepo:
    def __init__(self, root: Path | str, max_source_bytes: int | None = DEFAULT_MAX_SOURCE_BYTES):
        self.root, self.max_source_bytes = Path(os.path.abspath(root)), max_source_bytes
        self.git_dir = self.root / ".git"
        with _LOCKS_GUARD:
            self._thread_lock = _THREAD_LOCKS.setdefault(str(self.root), threading.Lock())

    # ---------------------------------------------------------------- locking and recovery
    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time: across threads (a lock) and processes (flock, freed by a kill)."""
        with self._thread_lock:
            self.git_dir.mkdir(exist_ok=True)
            with open(self.git_dir / "corpus-write.lock", "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def is_repo(self) -> bool:
        return (self.git_dir / "HEAD").is_file()

    def ensure(self) -> Version:
        """Make the folder a repository if it is not one, recover, and record hand edits."""
        with self.locked():
            if not self.is_repo():
                git(self.root, "init", "-q")
                git(self.root, "config", "user.name", "nanking-bot")
                git(self.root, "config", "user.email", "bot@corpus")
            self._recover()
            self._record(HOST, "hand edits on the host" if self._has_commits() else "the corpus as found")
            return self.head()

    def record_host_edits(self) -> Version | None:
        """Commit whatever changed in the folder as a version by ``host`` (after a /reload)."""
        if not self.is_repo():
            return None
        with self.locked():
            self._recover()
            self._record(HOST, "hand edits on the host")
            return self.head()

    def _record(self, author: Author, summary: str) -> None:
        git(self.root, "add", "-A", "--", ".")
        if self._has_commits() and not git(self.root, "status", "--porcelain").strip():
            return
        git(self.root, "commit", "-q", "--allow-empty", "-m", summary, f"--author={author.git_author()}")

    def _has_commits(self) -> bool:
        try:
            git(self.root, "rev-parse", "--verify", "-q", "HEAD")
            return True
        except GitError:
            return False

    def _recover(self) -> None:
        """Undo what a killed writer left (call with the lock held)."""
        lock = self.git_dir / "index.lock"
        if lock.exists():  # a git command killed mid-way; nothing of ours runs now (we hold the lock)
            lock.unlink()
        journal = self.git_dir / JOURNAL
        if journal.exists():
            try:
                data = json.loads(journal.read_text(encoding="utf-8"))
            except ValueError:  # killed while writing the journal: no file was moved yet
                data = {"base": None, "paths": []}
            head = self.head().id if self._has_commits() else None
            paths = [p for p in data.get("paths", []) if CORPUS_PATH_RE.match(p)]
            if data.get("base") == head and paths:  # not committed: back to the last version
                for rel in paths:
                    self._restore(rel)
                git(self.root, "reset", "-q", "--", *paths)
            journal.unlink()
        for stale in self.git_dir.glob("corpus-stage-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def _restore(self, rel: str) -> None:
        try:
            data = git_bytes(self.root, "show", f"HEAD:{rel}")
        except GitError:  # not in the last version: the writer added it
            (self.root / rel).unlink(missing_ok=True)
            return
        _write_atomic(self.root / rel, data)

    # ---------------------------------------------------------------- reading versions
    def head(self) -> Version:
        return self.history(1)[0]

    def history(self, limit: int = 20, rev: str = "HEAD") -> list[Version]:
        out = git(self.root, "log", f"-n{int(limit)}", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e", rev, "--")
        versions = []
        for record in filter(None, (r.strip("\n") for r in out.split("\x1e"))):
            sha, name, email, when, summary = record.split("\x1f")
            versions.append(Version(sha, name, email.split("@")[0], when, summary))
        return versions

    def resolve(self, version: str) -> Version:
        """A version by its id or a prefix of it (four characters or more)."""
        version = version.strip().lower()
        if not _VERSION_RE.match(version):
            raise ValueError(f"“{version[:40]}” is not a version id (use one from /corpus history)")
        try:
            sha = git(self.root, "rev-parse", "--verify", "-q", f"{version}^{{commit}}").strip()
        except GitError:
            raise ValueError(f"no version {version} in the corpus history") from None
        return self.history(1, sha)[0]

    def files(self, rev: str) -> dict[str, bytes]:
        """The corpus files (sources, timeline, entities) of a version."""
        names = git(self.root, "ls-tree", "-r", "--name-only", "-z", rev).split("\0")
        return {n: git_bytes(self.root, "show", f"{rev}:{n}") for n in names if CORPUS_PATH_RE.match(n)}

    def parent(self, version: Version) -> str | None:
        parents = git(self.root, "rev-list", "--parents", "-n1", version.id).split()
        return parents[1] if len(parents) > 1 else None

    # ---------------------------------------------------------------- writing versions
    def _stage(self, base: str, changes: dict[str, bytes | None]) -> tuple[Path, Path]:
        holder = Path(tempfile.mkdtemp(prefix="corpus-stage-", dir=self.git_dir))
        stage = holder / self.root.name
        stage.mkdir()
        archive = git_bytes(self.root, "archive", "--format=tar", base)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(stage, filter="data")
        (stage / "sources").mkdir(exist_ok=True)
        for rel, data in changes.items():
            if data is None:
                (stage / rel).unlink(missing_ok=True)
            else:
                _write_atomic(stage / rel, data)
        return holder, stage

    def prepare(self, changes: dict[str, bytes | None]) -> tuple[Version, Corpus]:
        """Validate ``changes`` on top of the current version: (that version, the new corpus).

        Raises ``CorpusError`` (``file:line: message``) when the result is not a valid corpus."""
        _check_paths(changes)
        with self.locked():
            self._recover()
            base = self.head()
            holder, stage = self._stage(base.id, changes)
        try:
            return base, load_corpus(stage, self.max_source_bytes)
        finally:
            shutil.rmtree(holder, ignore_errors=True)

    def commit(self, changes: dict[str, bytes | None], author: Author, summary: str, base: str) -> Version:
        """Write ``changes`` as a new version, if ``base`` is still the current one."""
        _check_paths(changes)
        with self.locked():
            self._recover()
            current = self.head()
            if current.id != base:
                raise CorpusChanged(base, current)
            holder, stage = self._stage(base, changes)
            try:
                load_corpus(stage, self.max_source_bytes)  # validated again: never move in what does not load
                _crash_point("staged")
                self._move_in(stage, changes, base)
                git(self.root, "add", "-A", "--", *changes)
                _crash_point("added")
                git(self.root, "commit", "-q", "-m", summary[:200], f"--author={author.git_author()}",
                    "--", *changes)
                _crash_point("committed")
                (self.git_dir / JOURNAL).unlink()
            finally:
                shutil.rmtree(holder, ignore_errors=True)
            return self.head()

    def _move_in(self, stage: Path, changes: dict[str, bytes | None], base: str) -> None:
        _write_atomic(self.git_dir / JOURNAL, json.dumps({"base": base, "paths": sorted(changes)}).encode())
        _crash_point("journaled")
        for n, rel in enumerate(sorted(changes)):
            if changes[rel] is None:
                (self.root / rel).unlink(missing_ok=True)
            else:
                (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / rel, self.root / rel)
            if n == 0:
                _crash_point("moved-one")
        _crash_point("moved")

    def rollback_changes(self, version: Version) -> dict[str, bytes | None]:
        """The changes that make the current files those of ``version``."""
        old, now = self.files(version.id), self.files("HEAD")
        changes: dict[str, bytes | None] = {rel: data for rel, data in old.items() if now.get(rel) != data}
        changes.update({rel: None for rel in now if rel not in old})
        return changes


def recover(root: Path | str) -> None:
    """Before loading a corpus folder: undo a write a crash left half done (no-op without git)."""
    repo = CorpusRepo(root)
    left = (repo.git_dir / JOURNAL).exists() or (repo.git_dir / "index.lock").exists() or \
        any(repo.git_dir.glob("corpus-stage-*"))
    if repo.is_repo() and left:
        with repo.locked():
            repo._recover()

