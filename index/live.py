"""The live index: one immutable snapshot behind one reference, swapped atomically on reload."""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.corpus import loader
from index.corpus.errors import CorpusError
from index.corpus.versions import CorpusRepo, GitError, recover
from index.engine import Index
from index.published import NotPublished, load_published
from index.rebuild import BuildCancelled, ChildBuild
from index.snapshot import version
from index.spare import SpareBuild

log = logging.getLogger(__name__)

# A reload looks at the corpus files again this long after their latest change and refuses any
# that changed (index.corpus.files): a file being rewritten in place is never served half-written.
SETTLE_SECONDS = 0.5
CANCELLED = "reload cancelled: the bot is shutting down; the previous corpus was kept"
# A corpus with this much source text or more keeps a spare build process for its next reload
# (``index.spare``): about 100k passages, whose reload's child build takes a couple of seconds.
SPARE_CHARS = 40_000_000


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

    ``freeze``: the serving process's live index. What the load and each successful swap leave
    alive (the served snapshot above all) is frozen (``gc.freeze``): the collector's full passes,
    which hold the event loop for as long as they scan, leave it out. Measured at a million
    passages: a full pass 92-126 ms -> 0.2-0.7 ms, about one every 3,000 questions. A replaced
    snapshot is still freed, by its reference count: it holds no cycle (tested). Objects alive at
    a freeze that later become cyclic garbage stay until the process ends: a question's
    leftovers at the moment of a reload, little.
    """

    def __init__(self, root: Path | str, builder: Callable[[Path], Index] | None = None,
                 cache_dir: Path | None = None,
                 max_source_bytes: int | None = loader.DEFAULT_MAX_SOURCE_BYTES,
                 settle_seconds: float = SETTLE_SECONDS, freeze: bool = False):
        self.root = Path(root)
        self._freeze = freeze
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.max_source_bytes = max_source_bytes
        self.settle_seconds = settle_seconds
        self._builder = builder or self._build
        self._current: Index | None = None
        self._reload_lock = threading.Lock()
        self._child_lock = threading.Lock()   # ``_cancelled`` and ``_child``: a child started is one ``cancel`` sees
        self._child: ChildBuild | None = None
        self._spare = SpareBuild()
        self._reloading = False
        self._cancelled = False
        self._waiters: set[asyncio.Future] = set()

    def _build(self, root: Path) -> Index:
        """Load the corpus here (sources the published version was built from are not parsed
        again); with a cache, build its index version in a child process (unless one is
        published already) and load that. A reload starts the child at once, so both
        processes read the corpus at the same time (a reload is asked for because it changed);
        the version it publishes is used only if built from the very corpus loaded here."""
        published, known, signed = version.published_inputs(self.cache_dir, root)
        early = self._start_child(root, None) if self.cache_dir and self._reloading else None
        # a start (not a reload: that is asked for because the corpus changed) opens the
        # published version while the corpus is read, and takes a large corpus's files whose
        # stat signature is unchanged unread (``load_corpus``); a reload reads every byte
        prepared = None if self._reloading else version.preparing(self.cache_dir, root, published)
        try:
            corpus = loader.load_corpus(root, self.max_source_bytes, self.settle_seconds, known=known,
                                        signed=None if self._reloading else signed)
        except BaseException:
            if early:
                early.cancel()
                self._child = None
            raise
        if self.cache_dir is None:
            return Index(corpus)
        if published == corpus.content_hash:
            if early:
                early.cancel()
                self._child = None
        else:
            self._child_build(early, root, corpus.content_hash)
        return Index(corpus, cache_dir=self.cache_dir, prepared=prepared)  # verified load (builds here if it must)

    def _start_child(self, root: Path, corpus_hash: str | None, signed: bool = True) -> ChildBuild | None:
        with self._child_lock:   # else a cancel between the check and the assignment misses this child
            if self._cancelled:
                raise BuildCancelled()
            self._child = child = self._spare.take()
        try:
            child.start(root, self.cache_dir, self.max_source_bytes, corpus_hash, signed)
        except OSError as exc:  # no child process: the build happens here
            log.warning("%s; building the index in this process", exc)
            self._child = None
            return None
        return child

    def _child_build(self, child: ChildBuild | None, root: Path, corpus_hash: str) -> None:
        """Have a child build and publish the version of ``corpus_hash``. The first child takes
        the files whose stat signature is unchanged unread (``index.rebuild --signed``); when
        what it built is not the corpus read here, or it failed, a second child reads every
        byte, and only its answer counts (it is given ``corpus_hash``: it refuses another corpus)."""
        try:
            child = child or self._start_child(root, corpus_hash)
            if child is None:
                return
            try:
                built_from = child.wait()
            except (CorpusError, RuntimeError):   # e.g. a text that is not the hash its signature vouched for
                built_from = None
            if built_from != corpus_hash:
                log.info("the index build did not find the corpus read here; building again from every byte")
                child = self._start_child(root, corpus_hash, signed=False)
                if child is None:
                    return
                child.wait()
        except (RuntimeError, OSError) as exc:  # no child process: the build happens here
            log.warning("%s; building the index in this process", exc)
        finally:
            self._child = None

    def cancel(self) -> None:
        """Shutting down: kill a running build, answer every waiting ``reload_async`` and
        ``adopt_async`` with a failed report at once, and refuse further reloads. Call on the
        event loop."""
        with self._child_lock:
            self._cancelled = True
            child = self._child
        if child is not None:
            child.cancel()
        self._spare.close()
        before = self._current.counts if self._current else {}
        for fut in list(self._waiters):
            if not fut.done():
                fut.set_result(ReloadReport(False, before, errors=(CANCELLED,)))

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
            if self._freeze:
                gc.collect()   # the start's garbage is not frozen with it
                gc.freeze()
            self._keep_spare()
            return self._current

    def reload(self) -> ReloadReport:
        """Build a new snapshot (blocking: call from a worker thread) and swap it in if valid."""
        with self._reload_lock:
            report = self._swap(self._rebuild, "reload")
            if report.ok:
                self._record_host_edits()
            self._keep_spare()
            return report

    def _keep_spare(self) -> None:
        """A large corpus keeps a spare build process ready for its next reload (``index.spare``)."""
        if self.cache_dir is not None and self._builder == self._build and \
                self.current.corpus.text_length >= SPARE_CHARS:
            self._spare.keep()

    def spare_pid(self) -> int | None:
        """The process id of the spare build process kept ready, if any."""
        return self._spare.pid()

    def _rebuild(self) -> Index:
        self._reloading = True
        try:
            return self._builder(self.root)
        finally:
            self._reloading = False

    def adopt(self, corpus_hash: str) -> ReloadReport:
        """Swap to the version another process built and published for ``corpus_hash`` (blocking:
        call from a worker thread); never builds one. A report with ``after == before`` and no
        time: already serving it. A refused one (the folder or the store moved on) changes nothing."""
        with self._reload_lock:
            current = self._current
            if not self._cancelled and current is not None and current.corpus.content_hash == corpus_hash:
                return ReloadReport(True, current.counts, current.counts)
            return self._swap(lambda: load_published(self.root, self.cache_dir, corpus_hash, self.max_source_bytes,
                                                      self.settle_seconds), "adopting the published index version")

    def _swap(self, make: Callable[[], Index], what: str) -> ReloadReport:
        """``make()`` a new snapshot (reload lock held) and swap it in if it holds passages; a
        failure of any kind is a failed report and changes nothing."""
        before = self._current.counts if self._current else {}
        if self._cancelled:
            return ReloadReport(False, before, errors=(CANCELLED,))
        started = time.perf_counter()
        # While the new snapshot is built, the collector skips every object that already
        # exists (the served snapshot above all): its full passes, which pause the event loop
        # for as long as they scan, then cover only what the build allocates. Measured at 50k
        # passages: worst loop lag 80-110 ms -> 48 ms. Unfrozen afterwards, so nothing leaks,
        # unless this is the serving process's index: then what it serves stays frozen.
        gc.freeze()
        try:
            recover(self.root)
            new = make()
        except CorpusError as exc:
            errors = tuple(str(i) for i in exc.issues) or (str(exc),)
        except BuildCancelled:
            errors = (CANCELLED,)
        except NotPublished as exc:
            errors = (str(exc),)
        except Exception as exc:  # a reload must never take the served corpus down
            log.exception("%s failed", what)
            errors = (f"{type(exc).__name__}: {exc}",)
        else:
            errors = () if new.passages else (f"{self.root}:0: corpus has no passages",)
        finally:
            if not self._freeze:
                gc.unfreeze()
        if errors:
            return ReloadReport(False, before, seconds=time.perf_counter() - started, errors=errors)
        self._current = new  # one reference assignment: atomic for readers
        if self._freeze:
            gc.freeze()
        return ReloadReport(True, before, new.counts, time.perf_counter() - started)

    def _record_host_edits(self) -> None:
        """A versioned corpus folder (a git repository): hand edits just reloaded become a version."""
        try:
            CorpusRepo(self.root).record_host_edits()
        except (GitError, OSError) as exc:
            log.warning("could not record the corpus version after the reload: %s", exc)

    async def reload_async(self) -> ReloadReport:
        """``reload`` on a daemon thread (not the default executor, which the interpreter waits
        for at exit); answered at once with a failed report when ``cancel`` is called."""
        return await self._on_daemon_thread(self.reload, "reload")

    async def adopt_async(self, corpus_hash: str) -> ReloadReport:
        """``adopt`` on a daemon thread, answered at ``cancel`` like ``reload_async``."""
        return await self._on_daemon_thread(lambda: self.adopt(corpus_hash), "adopt-index")

    async def _on_daemon_thread(self, job: Callable[[], ReloadReport], name: str) -> ReloadReport:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()

        def settle(result: ReloadReport | None, error: BaseException | None) -> None:
            if not fut.done():
                fut.set_exception(error) if error else fut.set_result(result)

        def work() -> None:
            try:
                result, error = job(), None
            except BaseException as exc:  # reported to the awaiting coroutine
                result, error = None, exc
            try:
                loop.call_soon_threadsafe(settle, result, error)
            except RuntimeError:
                pass  # the loop is closed: nobody waits any more

        self._waiters.add(fut)
        threading.Thread(target=work, name=name, daemon=True).start()
        try:
            return await fut
        finally:
            self._waiters.discard(fut)
