"""At most one spare build child (``index.rebuild.ChildBuild.standby``) kept ready for the next
reload of a large corpus: its imports done and kernels loaded, the reload's child build starts
about 0.5-0.8 s sooner. It costs an idle process (about 150 MB resident, 60 MB of it its own
memory, the rest library files the bot maps too), so a small corpus, whose reload takes well
under a second, keeps none."""
from __future__ import annotations

import logging
import threading

from index.rebuild import ChildBuild

log = logging.getLogger(__name__)


class SpareBuild:
    def __init__(self):
        self._lock = threading.Lock()
        self._spare: ChildBuild | None = None
        self._closed = False

    def take(self) -> ChildBuild:
        """The spare when it still fits (running, started for today's child command and
        environment), else a new child to start; either way none is kept."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None and spare.fits():
            return spare
        if spare is not None:
            spare.cancel()
            spare.reap()
        return ChildBuild()

    def keep(self) -> None:
        """Start a spare unless one waits already (or it is closed)."""
        with self._lock:
            if self._closed or (self._spare is not None and self._spare.running()):
                return
            try:
                self._spare = ChildBuild.standby()
            except OSError as exc:   # no child process: reloads start their own
                log.warning("could not start a spare build process: %s", exc)
                self._spare = None

    def pid(self) -> int | None:
        with self._lock:
            return self._spare.pid if self._spare is not None else None

    def close(self) -> None:
        """Kill the spare, and keep none from now on (shutting down)."""
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.cancel()
            spare.reap()
