"""Vectors cached by the hash of the text they embed, so a reload embeds only what changed.

On disk: ``<dir>/<model name>.npz`` holding ``keys`` (the sha256 of each row's text) and
``vectors`` (float16 rows), in one file written aside and renamed into place. Vectors are derived
data: a missing, short or unreadable cache is ignored (and rebuilt), never trusted blindly: every
row is looked up by the hash of the exact text it embeds, and a row count that does not match its
keys discards the file.
A process-wide memory layer serves repeated builds of the same texts (tests, reloads).
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np

from index.semantic.embedder import Embedder, normalise

log = logging.getLogger(__name__)

_memory: dict[tuple[str, str], np.ndarray] = {}   # (model, text hash) -> float16 row
_memory_lock = threading.Lock()
MEMORY_LIMIT = 200_000


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    def __init__(self, embedder: Embedder, directory: Path | None = None):
        self.embedder = embedder
        self.path = Path(directory) / f"{embedder.name}.npz" if directory else None
        self._stored: dict[str, np.ndarray] | None = None   # the file's rows, read once

    def missing(self, texts: list[str]) -> int:
        """How many of ``texts`` would have to be embedded (found in no cache)."""
        keys = list(dict.fromkeys(text_key(t) for t in texts))
        found = self._from_memory(keys)
        left = [k for k in keys if k not in found]
        if left and self.path:
            stored = self._from_disk()
            left = [k for k in left if k not in stored]
        return len(left)

    def passages(self, texts: list[str]) -> np.ndarray:
        """Normalised float32 vectors of ``texts`` (passage side), embedding only new texts."""
        keys = [text_key(t) for t in texts]
        found = self._from_memory(keys)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing and self.path:
            stored = self._from_disk()
            found.update((k, stored[k]) for k in missing if k in stored)
            missing = [k for k in missing if k not in found]
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = self.embedder.passages([by_key[k] for k in missing]).astype(np.float16)
            found.update(zip(missing, fresh, strict=True))
            if self.path:
                self._save(found)
        self._remember(found)
        if not keys:
            return np.zeros((0, self.embedder.dim), np.float32)
        return normalise(np.vstack([found[k] for k in keys]).astype(np.float32))

    def _from_memory(self, keys: list[str]) -> dict[str, np.ndarray]:
        with _memory_lock:
            return {k: v for k in keys if (v := _memory.get((self.embedder.name, k))) is not None}

    def _remember(self, found: dict[str, np.ndarray]) -> None:
        with _memory_lock:
            if len(_memory) + len(found) > MEMORY_LIMIT:
                _memory.clear()
            for k, v in found.items():
                _memory[(self.embedder.name, k)] = v

    def _read(self) -> dict[str, np.ndarray]:
        """The file's rows by key; empty when there is none or it does not hold together."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys = [k.decode("ascii") for k in data["keys"]]
                vectors = data["vectors"]
        except (OSError, ValueError, KeyError, UnicodeDecodeError):
            return {}
        if vectors.ndim != 2 or vectors.shape != (len(keys), self.embedder.dim) or vectors.dtype != np.float16:
            log.warning("ignoring the vector cache %s: its rows do not match its keys", self.path)
            return {}
        return dict(zip(keys, vectors, strict=True))

    def _from_disk(self) -> dict[str, np.ndarray]:
        if self._stored is None:
            self._stored = self._read()
        return self._stored

    def _save(self, found: dict[str, np.ndarray]) -> None:
        """Merge ``found`` into the stored cache; a read-only disk costs time later, nothing else.
        The file is read again first: another process may have added rows since."""
        rows = {**self._read(), **found}
        keys = list(rows)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.path, lambda f: np.savez(
                f, keys=np.array([k.encode("ascii") for k in keys], dtype="S64"),
                vectors=np.vstack([rows[k] for k in keys]).astype(np.float16)))
        except OSError as exc:
            log.warning("could not save vectors to %s: %s", self.path, exc)
        self._stored = rows


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_rows(directory: Path | None) -> int:
    """An upper bound of the passage vectors cached (rows of any vector file there, plus the
    process's memory layer), read from the files' headers only."""
    rows = len(_memory)
    for path in (sorted(Path(directory).glob("*.npz")) if directory else ()):
        try:
            with zipfile.ZipFile(path) as z, z.open("keys.npy") as f:
                major, _ = np.lib.format.read_magic(f)
                read = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                shape = read(f)[0]
            rows += int(shape[0]) if shape else 0
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            continue
    return rows
