"""The neighbours' vote: how the labelled questions nearest a new one in kind (its text without
names, asked of the same source) were labelled, weighed by the English decision
(``neighbour_vote``), shipped beside the model and verified."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.answering.answers import analyse, decide
from bot.answering.decision import (
    NEIGHBOURS,
    VARIANT_FEATURES,
    Decider,
    every_source_votes,
    forget_loaded,
    load_deciders,
    neighbours_file,
)
from bot.answering.fitting import save_models
from bot.answering.lr import Logistic
from bot.answering.neighbours import CAP, NeighbourVote, fit_neighbours, vote
from bot.answering.question_prior import source_key


def _unit(*xs):
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def _vote(rows, labels, sources, order=("s:1", "t:2"), neutral=0.5, k=1):
    return NeighbourVote(np.stack(rows), np.array(labels, np.float32), np.array([order.index(s) for s in sources]),
                         order, neutral, k)


def test_the_vote_weighs_the_nearest_most():
    similarities = np.array([0.95, 0.90, 0.10, 0.05], np.float32)
    labels = np.array([0.0, 1.0, 1.0, 1.0], np.float32)
    # the nearest, unanswerable, outweighs the next by exp(0.05 / 0.02)
    assert vote(similarities, labels, k=4, temperature=0.02) == pytest.approx(1 / (1 + np.exp(2.5)), rel=1e-5)
    # only the k nearest vote: the two far answerable ones are not heard
    assert vote(similarities, labels, k=2, temperature=1e6) == pytest.approx(0.5)
    assert vote(similarities, labels, k=10, temperature=1e6) == pytest.approx(0.75)


def test_a_question_it_knows_nothing_of_gets_the_neutral_value():
    vote_ = _vote([_unit(1, 0), _unit(0, 1)], [0.0, 1.0], ["s:1", "s:1"], neutral=0.4)
    assert vote_.value(_unit(1, 0.1), "s:1") < 0.01
    assert vote_.value(None, "s:1") == 0.4              # all names: no vector
    assert vote_.value(_unit(1, 0), "other:9") == 0.4   # a source the labelled questions never asked of
    assert vote_.value(_unit(1, 0), "t:2") == 0.4       # one they asked of, but fewer than k questions
    fewer = _vote([_unit(1, 0), _unit(0, 1)], [0.0, 1.0], ["s:1", "s:1"], neutral=0.4, k=3)
    assert fewer.value(_unit(1, 0.1), "s:1") == 0.4


def test_only_the_questions_answered_from_the_same_source_vote():
    """"who directed" is unanswerable of the film page and answerable of the blog (it names
    Mizushima): the same form votes by the source its best passage came from."""
    vote_ = _vote([_unit(1, 0), _unit(1, 0.05)], [0.0, 1.0], ["s:1", "t:2"])
    assert vote_.value(_unit(1, 0.04), "s:1") == 0.0
    assert vote_.value(_unit(1, 0.04), "t:2") == CAP


def test_the_vote_of_every_source_speaks_too_when_it_is_lower():
    """"what's the weather in nanjing" found a film-page passage, and the film page's labelled
    questions nearest it were answerable ("what's the plot of ..."): the weather questions, whose
    best passages were other sources', did not vote. The vote over every labelled question
    speaks too when it is lower; never higher than the source's own."""
    weather, plot = _unit(1, 0), _unit(0, 1)
    vote_ = _vote([weather, plot], [0.0, 1.0], ["t:2", "s:1"])
    assert vote_.value(_unit(1, 0.1), "s:1") < 0.01    # the nearest of all is a weather question
    assert vote_.value(_unit(0.1, 1), "s:1") == CAP    # the nearest of all is the plot question
    assert vote_.value(_unit(0.1, 1), "t:2") < 0.01    # the source's own vote stays when lower
    # a best passage holding every word of the question: only its source's questions vote
    assert vote_.value(_unit(1, 0.1), "s:1", every_source=False) == CAP


def test_whether_every_source_votes_follows_what_the_best_passage_holds():
    """"Who directed the film The Truth about Nanking?": the blog holds every word of it, and the
    labelled "who directed" questions of every source are mostly of films whose page names no
    director. Out of fold too, as the decision sees a new question."""
    assert every_source_votes({"coverage": 0.37}) and not every_source_votes({"coverage": 1.0})
    weather, plot, asked = _unit(1, 0, 0), _unit(0, 1, 0), _unit(1, 0.3, 0)   # asked: nearest the weather
    vectors, labels = [weather, plot, asked], [False, True, False]
    tops, sources = ["t:2", "s:1", "s:1"], frozenset({"s:1", "t:2"})
    _, every = fit_neighbours(vectors, labels, tops, sources, k=1, every_source=[True, True, True])
    _, own = fit_neighbours(vectors, labels, tops, sources, k=1, every_source=[True, True, False])
    assert every[2] < 0.01 and own[2] == CAP   # its own source's nearest is the plot question


def test_the_vote_only_speaks_against_answering():
    """Answered neighbours share a question's form more than its subject: above even, the vote
    says no more."""
    vote_ = _vote([_unit(1, 0), _unit(0, 1)], [0.0, 1.0], ["s:1", "s:1"])
    assert CAP == 0.5
    assert vote_.value(_unit(0.1, 1), "s:1") == CAP
    # the fitted neutral value too: most labelled questions are answerable
    model, _ = fit_neighbours([_unit(1, 0), _unit(0, 1), _unit(1, 1)], [True, True, False], ["s:1"] * 3,
                              frozenset({"s:1"}), k=1)
    assert model.neutral == CAP


def test_a_text_asked_many_times_counts_once():
    """The question writers repeat "When was John Rabe born?" from set to set: its copies are one
    row, labelled by the share of them that were answerable."""
    rabe, other = _unit(1, 0, 0), _unit(0, 1, 0)
    model, _ = fit_neighbours([rabe, rabe, rabe, other], [False, False, True, True], ["s:1"] * 4,
                              frozenset({"s:1"}), k=1)
    assert len(model.answerable) == 2
    assert sorted(model.answerable.tolist()) == pytest.approx([1 / 3, 1.0])


def test_each_labelled_questions_own_value_comes_from_other_texts():
    """Out of fold, a question's copies never vote for it: the other texts do."""
    rabe, near, far = _unit(1, 0, 0), _unit(1, 0.3, 0), _unit(0, 0, 1)
    vectors = [rabe, rabe, near] + [_unit(0.1 * n, 1, 0.3) for n in range(12)] + [far]
    labels = [False, False, True] + [True] * 12 + [True]
    model, held_out = fit_neighbours(vectors, labels, ["s:1"] * len(vectors), frozenset({"s:1"}), k=1)
    # fitted on everything, the text votes for itself
    assert model.value(rabe, "s:1") < 0.01
    # out of fold its copies are not heard (they share a fold): answerable neighbours, capped at even
    assert held_out[0] == held_out[1] == pytest.approx(CAP)
    # a question with no vector (all names) gets the neutral value
    _, with_none = fit_neighbours([None, rabe, near], [True, False, True], ["s:1"] * 3, frozenset({"s:1"}), k=1)
    assert with_none[0] == pytest.approx(CAP)


def test_the_decisions_with_meaning_weigh_it():
    """English questions' and the other languages' (session 55): the vectors are multilingual, so
    a German question hears the labelled English questions of its kind. BM25 alone has no vectors."""
    assert NEIGHBOURS in VARIANT_FEATURES["english"] and NEIGHBOURS in VARIANT_FEATURES["foreign"]
    assert NEIGHBOURS not in VARIANT_FEATURES["lexical"]
    assert load_deciders()["foreign"].neighbours is not None   # the shipped model weighs it


def _decider(vote_: NeighbourVote) -> Decider:
    return Decider((NEIGHBOURS,), Logistic((0.0, 50.0), (0.25,), (1.0,)), 0.5, neighbours=vote_)


@pytest.mark.parametrize(("question", "variant"), [("How old was John Rabe?", "english"),
                                                   ("Wie alt war John Rabe?", "foreign")])
def test_the_decision_weighs_the_vote_over_the_text_without_names(index, question, variant):
    """In another language too: the question's text without names is embedded as an English one's."""
    analysis = analyse(index, question)
    assert analysis.variant == variant and analysis.intent is not None
    top = source_key(index.source(analysis.ranked[0].passage.source_id))
    near = analysis.intent[None, :].copy()
    unanswerable_near = NeighbourVote(near, np.array([0.0], np.float32), np.array([0]), (top,), 0.9, k=1)
    assert decide(analysis, {variant: _decider(unanswerable_near)})[0] is False
    answerable_near = NeighbourVote(near, np.array([1.0], np.float32), np.array([0]), (top,), 0.1, k=1)
    assert decide(analysis, {variant: _decider(answerable_near)})[0] is True


def test_it_ships_beside_the_model_and_is_verified_on_load(tmp_path):
    vote_ = _vote([_unit(1, 0), _unit(0, 1)], [0.0, 1.0], ["s:1", "t:2"])
    model = tmp_path / "model.json"
    save_models(None, {"english": _decider(vote_)}, ["pool.yaml"], {"items": 2}, model)
    written = json.loads(model.read_text())
    assert NEIGHBOURS in written and "sha256" in written[NEIGHBOURS]
    assert not any(NEIGHBOURS in d for d in written["variants"].values())
    assert load_deciders(model)["english"].neighbours == vote_
    # a vectors' file that is not the one the model recorded is refused, in words
    neighbours_file(model).write_bytes(_vote([_unit(1, 0), _unit(0, 1)], [1.0, 0.0], ["s:1", "t:2"]).to_bytes())
    forget_loaded()
    with pytest.raises(ValueError, match="does not match the SHA-256"):
        load_deciders(model)


def test_the_shipped_vote_knows_the_shipped_corpus(index):
    shipped = load_deciders()["english"].neighbours
    assert shipped is not None and set(shipped.sources_order) == {source_key(s) for s in index.corpus.sources}
    assert len(shipped.answerable) > 1000 and shipped.vectors.shape[1] == 384
    # copies were merged: no two rows of one source are the same text
    keys = {(row.astype(np.float16).tobytes(), s) for row, s in zip(shipped.vectors, shipped.source, strict=True)}
    assert len(keys) == len(shipped.answerable)
