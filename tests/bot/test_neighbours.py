"""The neighbours' vote: how the labelled questions nearest a new one in meaning were labelled,
weighed by the English decision (``neighbour_vote``), shipped beside the model and verified."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.answering.answers import analyse, decide
from bot.answering.decision import NEIGHBOURS, VARIANT_FEATURES, Decider, load_deciders, neighbours_file
from bot.answering.fitting import save_models
from bot.answering.lr import Logistic
from bot.answering.neighbours import CAP, NeighbourVote, fit_neighbours, vote
from bot.answering.question_prior import source_key


def _unit(*xs):
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def test_the_vote_weighs_the_nearest_most():
    similarities = np.array([0.95, 0.90, 0.10, 0.05], np.float32)
    labels = np.array([0.0, 1.0, 1.0, 1.0], np.float32)
    # the nearest, unanswerable, outweighs the next by exp(0.05 / 0.02)
    assert vote(similarities, labels, k=4, temperature=0.02) == pytest.approx(1 / (1 + np.exp(2.5)), rel=1e-5)
    # only the k nearest vote: the two far answerable ones are not heard
    assert vote(similarities, labels, k=2, temperature=1e6) == pytest.approx(0.5)
    assert vote(similarities, labels, k=10, temperature=1e6) == pytest.approx(0.75)


def test_a_question_it_knows_nothing_of_gets_the_neutral_value():
    vote_ = NeighbourVote(np.stack([_unit(1, 0), _unit(0, 1)]), np.array([0.0, 1.0], np.float32), 0.7,
                          frozenset({"s:1"}))
    assert vote_.value(_unit(1, 0.1), "s:1") < 0.01
    assert vote_.value(None, "s:1") == 0.7              # all names: no vector
    assert vote_.value(_unit(1, 0), "other:9") == 0.7   # a source the labelled questions never asked of


def test_the_vote_only_speaks_against_answering():
    """Answered neighbours share a question's form more than its subject ("when did japan attack
    pearl harbor" is near "when did japan invade China"): above even, the vote says no more."""
    vote_ = NeighbourVote(np.stack([_unit(1, 0), _unit(0, 1)]), np.array([0.0, 1.0], np.float32), 0.5,
                          frozenset({"s:1"}))
    assert CAP == 0.5
    assert vote_.value(_unit(0.1, 1), "s:1") == CAP
    # the fitted neutral value too: most labelled questions are answerable
    model, _ = fit_neighbours([_unit(1, 0), _unit(0, 1), _unit(1, 1)], [True, True, False], ["a", "b", "c"],
                              frozenset({"s:1"}))
    assert model.neutral == CAP


def test_each_labelled_questions_own_value_comes_from_other_folds():
    """A question and its translation are one group: the translation never votes for it."""
    vectors = [_unit(1, 0, 0), _unit(1, 0.01, 0), _unit(1, 0.5, 0), _unit(0, 0, 1)]
    groups = ["q-rabe", "q-rabe", "q-other", "q-more"]
    model, held_out = fit_neighbours(vectors, [False, False, True, True], groups, frozenset({"s:1"}))
    # fitted on everything, the group votes for itself
    assert model.value(_unit(1, 0, 0), "s:1") < 0.01
    # out of fold, only the other groups vote: both answerable (capped at even)
    assert held_out[0] == pytest.approx(CAP) and held_out[1] == pytest.approx(CAP)
    # and the group's nearest other question hears the two, unanswerable
    assert held_out[2] < 0.01
    assert model.sources == {"s:1"} and model.neutral == pytest.approx(0.5)


def test_only_the_english_decision_weighs_it():
    assert NEIGHBOURS in VARIANT_FEATURES["english"]
    assert NEIGHBOURS not in VARIANT_FEATURES["foreign"] and NEIGHBOURS not in VARIANT_FEATURES["lexical"]


def _decider(vote_: NeighbourVote) -> Decider:
    return Decider((NEIGHBOURS,), Logistic((0.0, 50.0), (0.25,), (1.0,)), 0.5, neighbours=vote_)


def test_the_decision_weighs_the_vote(index):
    analysis = analyse(index, "Who was John Rabe?")
    question = analysis.retrieval.query.vector
    top = source_key(index.source(analysis.ranked[0].passage.source_id))
    unanswerable_near = NeighbourVote(question[None, :].copy(), np.array([0.0], np.float32), 0.9, frozenset({top}))
    assert decide(analysis, {"english": _decider(unanswerable_near)})[0] is False
    answerable_near = NeighbourVote(question[None, :].copy(), np.array([1.0], np.float32), 0.1, frozenset({top}))
    assert decide(analysis, {"english": _decider(answerable_near)})[0] is True


def test_it_ships_beside_the_model_and_is_verified_on_load(tmp_path):
    vote_ = NeighbourVote(np.stack([_unit(1, 0), _unit(0, 1)]), np.array([0.0, 1.0], np.float32), 0.5,
                          frozenset({"s:1"}))
    model = tmp_path / "model.json"
    save_models(None, {"english": _decider(vote_)}, ["pool.yaml"], {"items": 2}, model)
    written = json.loads(model.read_text())
    assert NEIGHBOURS in written and "sha256" in written[NEIGHBOURS]
    assert not any(NEIGHBOURS in d for d in written["variants"].values())
    assert load_deciders(model)["english"].neighbours == vote_
    # a vectors' file that is not the one the model recorded is refused, in words
    neighbours_file(model).write_bytes(NeighbourVote(vote_.vectors, 1 - vote_.answerable, 0.5,
                                                     vote_.sources).to_bytes())
    load_deciders.cache_clear()
    from bot.answering.decision import _model_file
    _model_file.cache_clear()
    with pytest.raises(ValueError, match="does not match the SHA-256"):
        load_deciders(model)


def test_the_shipped_vote_knows_the_shipped_corpus(index):
    shipped = load_deciders()["english"].neighbours
    assert shipped is not None and shipped.sources == {source_key(s) for s in index.corpus.sources}
    assert len(shipped.answerable) > 1000 and shipped.vectors.shape[1] == 384
