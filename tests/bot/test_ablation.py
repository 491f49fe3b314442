"""bot.answering.ablation (used by benchmarks.ablation) switches each part off by replacing one
function: each switch must still reach the part it names (a renamed function would otherwise leave
it on, and the benchmark would print the full pipeline's figures under the ablated part's name)."""
import pytest

from bot.answering.ablation import PARTS, answer_whatever_is_found, switched_off
from bot.answering.answers import analyse, decide


def _seen(index, question: str):
    a = analyse(index, question)
    return {
        "typos": a.retrieval.query.corrections,
        "context": a.evidence.about,
        "shapes": a.evidence.shape.when,
        "scope": a.evidence.scope,
        "glossary": a.retrieval.query.translated,
    }


@pytest.mark.parametrize("part, question", [
    ("typos", "how many peple died"),
    ("typos", "Wer war Minnie Vautrn?"),
    ("context", "which testimonies does Mizushima's film examine"),
    ("shapes", "when did nanking fall"),
    ("scope", "according to the blog, what was the nanking massacre"),
    ("glossary", "南京大屠杀持续了多久"),
])
def test_each_switch_turns_its_part_off_and_nothing_else(index, part, question):
    on = _seen(index, question)
    assert on[part], f"{part} does nothing for {question!r} even when on"
    with switched_off(index, part):
        off = _seen(index, question)
    assert not off[part]
    assert {k: v for k, v in off.items() if k != part} == {k: v for k, v in on.items() if k != part}
    assert _seen(index, question) == on   # switched back on


def test_without_the_decision_whatever_is_found_is_answered(index):
    analysis = analyse(index, "what is the capital of france")
    assert decide(analysis)[0] is False
    assert answer_whatever_is_found(analysis) == (True, None)
    assert answer_whatever_is_found(analyse(index, "what happened on 3 June 1962"))[0] is False   # a fact


def test_every_part_of_the_issue_is_measured():
    assert [name.split(".")[0] for name, _ in PARTS] == [str(n) for n in range(1, 8)]
