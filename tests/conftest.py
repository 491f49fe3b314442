"""Shared fixtures: the real corpus and its index (built once per test session)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

# Passage vectors are cached by text hash in one folder for the whole run (subprocesses included),
# so the embedding model embeds the shipped corpus once, not once per test.
os.environ.setdefault("BOT_VECTORS_DIR", str(ROOT / ".cache" / "test-vectors"))


@pytest.fixture(scope="session")
def index():
    from index.engine import Index

    return Index.from_dir(CORPUS)
