"""The team's held-out questions (eval/heldout-team.yaml): nothing is fitted on them, so the shipped
models' figures on them estimate how the bot does on questions nobody tuned for. The floors sit a
little under the first run's (README, "Questions nothing was fitted on")."""
import pytest

from bot.answering.evaluate import evaluate, load_items
from index.text.verbatim import normalize_ws
from tests.conftest import CORPUS, ROOT

HELDOUT = ROOT / "eval" / "heldout-team.yaml"


@pytest.fixture(scope="module")
def items():
    return load_items(HELDOUT)


def test_every_evidence_string_is_verbatim_source_text(items):
    sources = " ".join(normalize_ws(p.read_text(encoding="utf-8")) for p in (CORPUS / "sources").glob("*.md"))
    assert len({i["id"] for i in items}) == len(items) == 67
    for item in items:
        assert bool(item["evidence"]) == item["answerable"], item["id"]
        for evidence in item["evidence"]:
            assert normalize_ws(evidence) in sources, (item["id"], evidence)


def test_the_shipped_models_find_the_held_out_answers(index, items):
    report = evaluate(index, items)
    total = report.total
    assert total.answerable == 31 and total.unanswerable == 36
    assert total.at1 / total.answerable >= 0.70, report.details()
    assert total.at3 / total.answerable >= 0.87, report.details()
    assert total.declined_answerable <= 1, report.details()
    assert total.declined >= 7, report.details()
    assert report.not_verbatim == []
