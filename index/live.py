"""The live index: one immutable snapshot behind one reference, swapped atomically on reload."""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index.engine import Index
from index.corpus.errors import CorpusError
from index.corpus.versions import CorpusRepo, GitError, recover

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadReport:
    ok: bool
    before: dict[str, int]
    after: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    errors: tuple[str, ...] = ()


class LiveIndex:
    """Holds the snapshot the bot serves. Reloads are serialized; a failed one changes nothing.

    Readers take ``live.current`` once per question and use that object throughout, so a
    question in flight finishes on the snapshot it started with.
    """

    def __init__(self, root: Path | str, builder: Callable[[Path], Index] | None = None,
                 cache_dir: Path | None = None):
        self.root = Path(root)
        self._builder = builder or (lambda path: Index.from_dir(path, cache_dir=cache_dir))
        self._current: Index | None = None
        self._reload_lock = threading.Lock()

    @property
    def current(self) -> Index:
        if self._current is None:
            raise RuntimeError("no corpus loaded yet")
        return self._current

    def load(self) -> Index:
        """First load; raises CorpusError when the corpus is invalid."""
        with self._reload_lock:
            recover(self.root)  # a version write killed half way is undone before anything is read
            self._current = self._builder(self.root)
            return self._current

    def reload(self) -> ReloadReport:
        """Build a new snapshot (blocking: call from a worker thread) and swap it in if valid."""
        with self._reload_lock:
            before = self._current.counts if self._current else {}
            started = time.perf_counter()
            # While the new snapshot is built, the collector skips every object that already
            # exists (the served snapshot above all): its full passes, which pause the event loop
            # for as long as they scan, then cover only what the build allocates. Measured at 50k
            # passages: worst loop lag 80-110 ms -> 48 ms. Unfrozen afterwards, so nothing leaks.
            gc.freeze()
            try:
                recover(self.root)
                new = self._builder(self.root)
            except CorpusError as exc:
                errors = tuple(str(i) for i in exc.issues) or (str(exc),)
                return ReloadReport(False, before, seconds=time.perf_counter() - started, errors=errors)
            except Exception as exc:  # a reload must never take the served corpus down
                log.exception("reload failed")
                return ReloadReport(False, before, seconds=time.perf_counter() - started,
                                    errors=(f"{type(exc).__name__}: {exc}",))
            finally:
                gc.unfreeze()
            if not new.passages:
                return ReloadReport(False, before, seconds=time.perf_counter() - started,
                                    errors=(f"{self.root}:0: corpus has no passages",))
            self._current = new  # one reference assignment: atomic for readers
            self._record_host_edits()
            return ReloadReport(True, before, new.counts, time.perf_counter() - started)

    def _record_host_edits(self) -> None:
        """A versioned corpus folder (a git repository): hand edits just reloaded become a version."""
        try:
            CorpusRepo(self.root).record_host_edits()
        except (GitError, OSError) as exc:
            log.warning("could not record the corpus version after the reload: %s", exc)

    async def reload_async(self) -> ReloadReport:
        return await asyncio.to_thread(self.reload)
