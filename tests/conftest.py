"""Shared fixtures: the real corpus and its index (built once per test session)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# The PostgreSQL fixtures, registered once for the whole session: imported into two conftests or
# modules instead, each import was a fixture of its own and started a server of its own.
pytest_plugins = ["tests.support.pg_fixtures", "tests.support.redis_server"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

# Passage vectors are cached by text hash in one folder for the whole run (subprocesses included),
# so the embedding model embeds the shipped corpus once, not once per test.
os.environ.setdefault("BOT_VECTORS_DIR", str(ROOT / ".cache" / "test-vectors"))
# Most tests are about serving, not ranking: they run with BM25 alone, which keeps the many
# corpora they build (tagged copies, synthetic corpora of thousands of passages) from being
# embedded. Answer-quality tests and the semantic end-to-end tests ask for the stage explicitly.
os.environ.setdefault("BOT_SEMANTIC", "off")


@pytest.fixture(autouse=True)
def _nothing_left_frozen():
    """A serving process freezes what it keeps for good (``LiveIndex(freeze=True)``); a test
    process must not keep the other tests' garbage frozen with it."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def index():
    from index.engine import Index

    return Index.from_dir(CORPUS, semantic=True)
