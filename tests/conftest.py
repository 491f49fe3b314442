"""Shared fixtures: the real corpus and its index (built once per test session)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def index():
    from index.engine import Index

    return Index.from_dir(CORPUS)
