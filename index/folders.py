"""The file-system side of an index store: writers' temp folders held by a lock file, the
store's publish lock, and fsync. A temp folder whose lock nobody holds belongs to a writer that
died (``kill -9`` releases flock), so it can be swept."""
from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
