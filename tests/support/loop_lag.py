"""Measure event-loop blocking: how late a 10 ms sleep wakes up."""
from __future__ import annotations

import asyncio


class LagProbe:
    """``with LagProbe() as probe: ...`` then ``probe.worst`` (seconds a wake-up came late)."""

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.worst = 0.0
        self.samples = 0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.period)
            self.worst = max(self.worst, loop.time() - start - self.period)
            self.samples += 1

    def __enter__(self) -> LagProbe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        if self._task is not None:
            self._task.cancel()
