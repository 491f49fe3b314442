"""Reading the corpus folder's files for ``index.corpus.loader.load_corpus``.

Filesystem trouble is never a raw exception: a missing, unreadable or non-folder root raises
:class:`~index.corpus.errors.CorpusError` at once; an unreadable file, a broken or looping symlink or a
file that vanishes mid-load is logged as ``file:0: ...`` and the load goes on. Every file read
is kept (as :class:`CorpusFile`) for the corpus' content hash. ``decode`` turns bytes into text
(strict UTF-8, BOM stripped, every line ending ``\\n``) or says where the bad byte is.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.corpus.errors import CorpusError, CorpusIssue, IssueLog

__all__ = ["CorpusFile", "FolderReader", "decode", "is_dir", "read_bytes"]


@dataclass
class CorpusFile:
    rel: str        # "sources/x.md", relative to the root, posix style
    path: Path
    data: bytes


def read_bytes(path: Path) -> bytes:
    """Read a whole file."""
    with open(path, "rb") as f:
        return f.read()


def decode(data: bytes) -> tuple[str | None, int, str]:
    """UTF-8 (strict) -> text with the BOM stripped and every line ending as ``\\n``.

    Returns ``(text, 0, "")`` or, for bad bytes, ``(None, line, message)``.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        prefix = data[:pos].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = prefix.count(b"\n") + 1
        line_start = prefix.rfind(b"\n") + 1
        column = len(prefix) - line_start + 1
        if line == 1 and prefix.startswith(b"\xef\xbb\xbf"):
            column -= 3
        return None, line, f"not valid UTF-8 (byte 0x{data[pos]:02x} at column {column})"
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, 0, ""


def is_dir(path: Path) -> bool:
    """A folder (following symlinks); ``False`` for anything that cannot be looked at."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


class FolderReader:
    """Reads the files under ``root``, logging trouble in ``log``; ``files`` holds every file read.

    ``read_bytes`` reads one whole file (``index.corpus.loader`` passes its test seam).
    """

    def __init__(self, root: Path, log: IssueLog,
                 read_bytes: Callable[[Path], bytes] = read_bytes):
        self.root = root
        self.log = log
        self.files: list[CorpusFile] = []
        self._read_bytes = read_bytes

    def check_root(self) -> None:
        """Raise ``CorpusError`` unless the root exists and is a folder."""
        label = self.log.label
        try:
            os.stat(self.root)
        except FileNotFoundError:
            raise CorpusError([CorpusIssue(label, 0, f"corpus folder not found: {self.root}")]) from None
        except OSError as exc:  # a symlink loop, no permission...: say so, not "not found"
            raise CorpusError([CorpusIssue(label, 0, f"cannot open corpus folder {self.root}: "
                                                     f"{exc.strerror or exc}")]) from None
        if not is_dir(self.root):
            raise CorpusError([CorpusIssue(label, 0, f"corpus root is not a folder: {self.root}")])

    def read(self, rel: str, path: Path) -> bytes | None:
        """The file's bytes, recorded for the content hash; ``None`` (and an issue) if unreadable."""
        try:
            st = os.stat(path)  # follows symlinks: a broken or looping one fails here
            if not stat.S_ISREG(st.st_mode):
                self.log.err(rel, 0, "not a regular file")
                return None
            data = self._read_bytes(path)
        except OSError as exc:
            self.log.err(rel, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        self.files.append(CorpusFile(rel, path, data))
        return data

    def read_optional(self, name: str) -> bytes | None:
        """``root/name`` if it exists (``None`` if not, or if unreadable, with an issue)."""
        path = self.root / name
        try:
            os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.log.err(name, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        return self.read(name, path)

    def source_names(self) -> list[str]:
        """The ``*.md`` file names directly in ``root/sources``, sorted."""
        src_dir = self.root / "sources"
        if not is_dir(src_dir):
            return []
        try:
            with os.scandir(src_dir) as it:
                names = [e.name for e in it]
        except OSError as exc:
            self.log.err("sources", 0, f"cannot list folder: {exc.strerror or exc}")
            return []
        # Only *.md directly in sources/; hidden files (editor lock files such as ".#x.md")
        # are never sources (an id cannot start with a dot).
        return sorted(n for n in names if n.endswith(".md") and not n.startswith("."))
