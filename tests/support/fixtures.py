"""pytest fixtures for end-to-end tests against the fake Discord.

``tests/discord/conftest.py`` re-exports them; tests elsewhere (e.g. the cogs'
end-to-end tests under ``tests/bot``) import them into their module or
conftest::

    from tests.support.fixtures import fake_discord, start_bot  # noqa: F401

* ``fake_discord`` -- a started :class:`FakeDiscord`; at teardown the test fails
  if the bot hit a REST route the fake does not implement
  (``fake_discord.allow_unknown_routes = True`` to allow).
* ``start_bot`` -- ``running = await start_bot(bot, allow_errors=False, **kw)``
  points the bot at the fake, starts it and waits for ``on_ready``; at teardown
  it closes the bot, restores discord.py's endpoints and fails the test if
  discord.py logged an ERROR (an exception in a command, view or event
  handler) unless ``allow_errors=True``.  ``kw`` go to ``FakeDiscord.start_bot``
  (``ready_timeout``, ``guild_ready_timeout``, ``fast_reidentify``, ``token``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import discord
import pytest
import pytest_asyncio

from tests.support.fake_discord.server import FakeDiscord, RunningBot


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    if fake.rest.handler_errors:
        pytest.fail(f"the fake Discord crashed while handling requests: {fake.rest.handler_errors}")
    if fake.rest.unknown_requests and not fake.allow_unknown_routes:
        pytest.fail(
            "the bot called REST routes the fake Discord does not implement "
            f"(add them to tests/discord/fake_rest.py): {fake.rest.unknown_requests}"
        )


StartBot = Callable[..., Awaitable[RunningBot]]


@pytest_asyncio.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[StartBot]:
    started: list[tuple[RunningBot, bool]] = []

    async def _start(bot: discord.Client, *, allow_errors: bool = False, **kwargs: Any) -> RunningBot:
        running = await fake_discord.start_bot(bot, **kwargs)
        started.append((running, allow_errors))
        return running

    yield _start

    problems = []
    for running, allow_errors in reversed(started):
        await running.stop()
        if running.errors and not allow_errors:
            problems.extend(
                f"{r.name}: {r.getMessage()}\n{logging.Formatter().formatException(r.exc_info) if r.exc_info else ''}"
                for r in running.errors
            )
    if problems:
        pytest.fail("discord.py logged errors while the bot ran (pass allow_errors=True if expected):\n"
                    + "\n".join(problems))
