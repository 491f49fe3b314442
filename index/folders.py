"""The file-system side of an index store: writers' temp folders held by a lock file, the
store's publish lock, fsync, and old versions swept (renamed out of the list at once, deleted
after). A temp folder whose lock nobody holds belongs to a writer that died (``kill -9``
releases flock), so it can be swept."""
from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

VERSION_ID = re.compile(r"[0-9a-f]{32}")   # a version folder's name


@contextmanager
def temp_folder(parent: Path) -> Iterator[Path]:
    """A fresh folder under ``parent`` whose lock file this process holds until it is done."""
    name = secrets.token_hex(8)
    lock_path = parent / f"{name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        folder = parent / name
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # gone already when it was published
            lock_path.unlink(missing_ok=True)
    finally:
        os.close(fd)


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    fd = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def writer_gone(lock_path: Path) -> bool:
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def hash_file(path: Path, chunk: int = 1 << 23) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while data := f.read(chunk):
            digest.update(data)
            size += len(data)
    return digest.hexdigest(), size


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def hash_and_sync(path: Path) -> tuple[str, int]:
    """``hash_file``, then the file fsynced."""
    found = hash_file(path)
    fsync_path(path)
    return found


def map_whole(f) -> mmap.mmap | bytes:
    """The whole of the open file ``f`` mapped read-only (``b""`` when it is empty)."""
    size = os.fstat(f.fileno()).st_size
    return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""


class Retired(NamedTuple):
    """A folder to delete; ``lock_fd`` holds its lock while this process deletes it (None: the
    folder of a writer that is gone, which any sweep may delete)."""
    folder: Path
    lock_fd: int | None = None


def sweep(directory: Path, current: str | None, keep: int) -> None:
    """Remove old versions (beyond the newest ``keep``, never ``current``) and the temp folders
    of writers that are gone. Call with the store's lock held."""
    remove(retire(directory, current, keep))


def retire(directory: Path, current: str | None, keep: int) -> list[Retired]:
    """Move old versions (beyond the newest ``keep``, never ``current``) out of the list into
    ``tmp/`` (a rename: at once), each with its lock held until ``remove`` is done with it, and
    list them with the temp folders of writers that are gone. So no other sweep deletes a
    retired folder a second time while it is being deleted, and a deletion cut short (the
    process killed: its lock released) leaves garbage for the next sweep, never a half-deleted
    folder among the versions (its mtime would make it look newest). Call with the store's lock
    held."""
    versions, tmp = directory / "versions", directory / "tmp"
    found = [p for p in versions.iterdir() if p.is_dir()] if versions.is_dir() else []
    found.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    kept = {current} if current else set()
    doomed = []
    for path in found:
        if path.name in kept:
            continue
        if len(kept) < keep and VERSION_ID.fullmatch(path.name):
            kept.add(path.name)
            continue
        tmp.mkdir(exist_ok=True)
        retired = tmp / f"retired-{path.name}-{secrets.token_hex(4)}"
        fd = os.open(tmp / f"{retired.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(path, retired)
        doomed.append(Retired(retired, fd))
    ours = {r.folder for r in doomed}
    for path in (tmp.iterdir() if tmp.is_dir() else ()):
        if path.is_dir() and path not in ours and writer_gone(tmp / f"{path.name}.lock"):
            doomed.append(Retired(path))
    return doomed


def remove(doomed: list[Retired]) -> None:
    """Delete what ``retire`` returned (no store lock needed: the store lists none of it)."""
    for folder, lock_fd in doomed:
        shutil.rmtree(folder, ignore_errors=True)
        (folder.parent / f"{folder.name}.lock").unlink(missing_ok=True)
        if lock_fd is not None:
            os.close(lock_fd)
