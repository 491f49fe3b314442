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

from tests.support.fixtures import fake_discord, start_bot  # noqa: E402,F401
