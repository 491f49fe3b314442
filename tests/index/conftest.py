"""Fixtures for tests/index."""
import pytest

from tests.support.bot_harness import copy_corpus


@pytest.fixture
def corpus(tmp_path):
    """A copy of the shipped corpus the test may change."""
    return copy_corpus(tmp_path)
