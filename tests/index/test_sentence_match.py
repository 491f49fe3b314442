"""How well a passage's best sentence means a short text: the semantic stage's cosine, None
without the stage."""
from __future__ import annotations

from index.engine import Index
from tests.conftest import CORPUS


def _passage_with(index, words: str):
    return next(p for p in index.passages if words in p.text and not p.is_timeline)


def test_a_passage_means_its_own_words_best(index):
    passage = _passage_with(index, "refused to leave")
    other = _passage_with(index, "end credit")
    own = index.sentence_match("expatriates refused to leave", passage)
    assert own > index.sentence_match("expatriates refused to leave", other)
    assert own > index.sentence_match("awards won by the film", passage)


def test_without_the_semantic_stage_there_is_no_match():
    lexical = Index.from_dir(CORPUS, semantic=False)
    assert lexical.sentence_match("anything", lexical.passages[0]) is None
