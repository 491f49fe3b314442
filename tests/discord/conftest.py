"""Fixtures for tests/discord: the fake Discord server and a bot starter.

The fixtures live in ``fake_fixtures.py`` so tests in other directories can
import them too.  NB: this directory must NOT get an ``__init__.py``: with
pytest's default "prepend" import mode it would be imported as a top-level
package named ``discord`` and shadow discord.py itself.
"""

import sys
from pathlib import Path

# The fake is imported as the namespace package ``tests.discord``; make sure the
# project root is importable even when pytest is run as ``pytest`` (not ``python -m pytest``).
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import pytest  # noqa: E402

from tests.support.bot_harness import copy_corpus, start_quote_bot  # noqa: E402
from tests.support.fixtures import fake_discord, start_bot  # noqa: E402,F401


@pytest.fixture
def corpus(tmp_path):
    """A copy of the shipped corpus the test may change."""
    return copy_corpus(tmp_path)


@pytest.fixture
async def bot(fake_discord, start_bot, corpus):  # noqa: F811  (pytest fixtures by name)
    """The project's bot on that corpus, connected to the fake Discord (a module may define its own)."""
    return await start_quote_bot(fake_discord, start_bot, corpus)


@pytest.fixture
def patient_settings_reads(monkeypatch):
    """For tests of what a server's settings do: the bot answers with the default settings when
    reading them takes over half a second (``bot.store.guarded.READ_WITHIN``), and a busy 2-core
    machine took longer than that in two clean-clone CI runs (2026-12-03), so logging read as off.
    Here the bot waits up to 5 s. Not for the tests of a locked database, which need the half second."""
    import bot.store.guarded as guarded

    monkeypatch.setattr(guarded, "READ_WITHIN", 5.0)
