"""Retrieval quality on ../shared/eval/dev.yaml: the rates may not fall below what was measured.

Measured 2026-11-25: success@1 20/22 = 0.909, success@3 22/22 = 1.000, unanswerable declined 3/3,
answerable wrongly declined 0. (Plain rank-bm25 over blank-line paragraphs: 0.32 / 0.50, 0 declined.)
"""
import pytest

from bot.answering.evaluate import evaluate, load_items
from tests.conftest import SHARED

DEV = SHARED / "eval" / "dev.yaml"


@pytest.fixture(scope="module")
def report(index):
    if not DEV.exists():
        pytest.skip(f"{DEV} not found: ../shared is not beside the project")
    return evaluate(index, load_items(DEV))


def test_success_at_1(report):
    assert report.answerable == 22
    assert report.rate(report.at1) >= 0.90, report.summary() + f" misses: {report.misses}"


def test_success_at_3(report):
    assert report.rate(report.at3) >= 1.0, report.summary() + f" misses: {report.misses}"


def test_declines_unanswerable_and_never_answerable(report):
    assert report.unanswerable == 3
    assert report.declined >= 3, report.summary()
    assert report.wrongly_declined == [], report.summary()
