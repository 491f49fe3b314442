"""Reading the corpus folder's files for ``index.corpus.loader.load_corpus``.

Filesystem trouble is never a raw exception: a missing, unreadable or non-folder root raises
:class:`~index.corpus.errors.CorpusError` at once; an unreadable file, a broken or looping symlink or a
file that vanishes mid-load is logged as ``file:0: ...`` and the load goes on. Every file read
is kept (as :class:`CorpusFile`) for the corpus' content hash.

Nothing outside the corpus folder is ever opened: a path whose real location (symlinks resolved)
is outside the folder's real location is refused before it is opened, and the message names
only the file in the corpus, never anything of the target. A file over ``max_bytes`` is refused
from its size, unread. A file is read whole or not at all: its size, inode, mtime and ctime
before and after the read must agree and the bytes read must be its size; after every file is
read, files changed less than ``settle_seconds`` before are looked at again once that time has
passed, and any change refuses the file for this load (the next load reads it again). ``decode`` turns bytes into text
(strict UTF-8, BOM stripped, every line ending ``\\n``) or says where the bad byte is.

A file's stat signature (device, inode, size, mtime and ctime in nanoseconds) is kept with the
SHA-256 of the bytes read when it had not changed for ``STABLE_SECONDS`` before the load began
(``FolderReader.stable``). A build in a child process (``index.rebuild``) may then take that
SHA-256 without reading the file while the file still has that signature (``take_unread``): ctime
cannot be set back by ``os.utime``, but a signature is only a hint (a clock set back could repeat
one), so the serving process, which reads and hashes every file itself, serves a version only if
built from the very bytes it read.
"""
from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from index.corpus.errors import CorpusError, CorpusIssue, IssueLog
from index.corpus.reads import FileChanged, read_bytes
from index.corpus.reads import file_signature as _signature  # a seam for the tests of lying signatures

__all__ = ["CorpusFile", "FileChanged", "FolderReader", "decode", "is_dir", "read_bytes"]

# A signature is kept only for files that had not changed for this long when the load began: a
# file written again within the clock tick of the read could keep its signature ("racy" in git).
STABLE_SECONDS = 2.0
T = TypeVar("T")
CHANGED = ("changed while the corpus was being loaded, so it was not loaded this time (reload "
           "again; edit by writing a new file and renaming it over the old one)")


@dataclass
class CorpusFile:
    rel: str        # "sources/x.md", relative to the root, posix style
    path: Path
    data: bytes     # b"" once the loader has no more use for them (``sha`` and ``size`` kept)
    sha: str = ""   # SHA-256 (hex) of the bytes read
    size: int = 0


class _Refused(Exception):
    """A file the reader does not open; the message says why (for ``file:0: message``)."""


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.3g}"


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
                 read_bytes: Callable[[Path], bytes] = read_bytes, max_bytes: int | None = None):
        self.root = root
        self.log = log
        self.files: list[CorpusFile] = []
        self._read_bytes = read_bytes
        self.max_bytes = max_bytes
        self._real_root = os.path.realpath(root)
        # rel, real path, signature before the read (or the one a file was taken unread with)
        self._seen: list[tuple[str, str, tuple]] = []
        self._began = time.time_ns()
        self._real_dirs: dict[str, str] = {}

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
            real, st = self._admitted(path)
            data = self._read_bytes(Path(real))
        except _Refused as why:
            self.log.err(rel, 0, str(why))
            return None
        except FileChanged:
            self.log.err(rel, 0, CHANGED)
            return None
        except OSError as exc:
            self.log.err(rel, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        if self.max_bytes is not None and len(data) > self.max_bytes:  # grew since the stat
            self.log.err(rel, 0, CHANGED)
            return None
        self._seen.append((rel, real, _signature(st)))
        self.files.append(CorpusFile(rel, path, data, "", len(data)))  # the loader hashes it
        return data

    def take_unread(self, rel: str, path: Path, signed: tuple[tuple[int, ...], str] | None,
                    use: Callable[[CorpusFile], T | None]) -> T | None:
        """``use(file)`` for the file left unread, with the SHA-256 ``signed`` gives it
        (``(signature, sha256)`` from the read that took it), when it has that signature and would
        be read (``read``: inside the folder, a regular file within the size limit); None
        otherwise (then read it). The file counts among those loaded only if ``use`` gives
        something."""
        if signed is None:
            return None
        try:
            real, st = self._admitted(path)
        except (_Refused, OSError):
            return None
        if tuple(signed[0]) != _signature(st):
            return None
        f = CorpusFile(rel, path, b"", signed[1], st.st_size)
        taken = use(f)
        if taken is not None:
            self._seen.append((rel, real, _signature(st)))
            self.files.append(f)
        return taken

    def stable(self) -> dict[str, tuple[int, ...]]:
        """rel -> stat signature of the files loaded that had not changed (mtime, ctime) for
        ``STABLE_SECONDS`` when the load began: the signatures worth keeping with their SHA-256."""
        limit = self._began - STABLE_SECONDS * 1e9
        return {rel: sig for rel, _, sig in self._seen if max(sig[3], sig[4]) < limit}

    def _admitted(self, path: Path) -> tuple[str, os.stat_result]:
        """The real path and stat of a file the reader may open; ``_Refused`` (or OSError: a
        broken or looping symlink) otherwise. Nothing is opened."""
        real = self._realpath(path)  # resolves symlinks without opening anything
        if os.path.commonpath([real, self._real_root]) != self._real_root:
            raise _Refused("is a link to a file outside the corpus folder: refused, not opened")
        st = os.stat(real)  # a broken or looping symlink fails here
        if not stat.S_ISREG(st.st_mode):
            raise _Refused("not a regular file")
        if self.max_bytes is not None and st.st_size > self.max_bytes:
            raise _Refused(f"is {_mb(st.st_size)} MB, over the limit of {_mb(self.max_bytes)} MB (max_source_bytes)")
        return real, st

    def _realpath(self, path: Path) -> str:
        """``os.path.realpath(path)``, the folder's resolved once (thousands of sources)."""
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
        parent = os.fspath(path.parent)
        if parent not in self._real_dirs:
            self._real_dirs[parent] = os.path.realpath(parent)
        return os.path.join(self._real_dirs[parent], path.name)

    def settle(self, seconds: float) -> None:
        """Refuse every file read that changed since, looking again ``seconds`` after the most
        recent change of any of them (a writer between two chunks of a rewrite keeps changing
        it; a file written whole and renamed into place does not)."""
        if not self._seen:
            return
        newest = max(sig[3] for _, _, sig in self._seen) / 1e9
        wait = newest + seconds - time.time()
        if wait > 0:
            time.sleep(min(wait, seconds))
        for rel, real, sig in self._seen:
            try:
                now = _signature(os.stat(real))
            except OSError:
                now = None
            if now != sig:
                self.log.err(rel, 0, CHANGED)

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
