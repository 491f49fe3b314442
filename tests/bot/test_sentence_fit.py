"""How a question's meaning fits the best sentence of its best passage, learnt from labelled
questions: a logistic regression over the product of the two vectors (a similarity whose
dimensions are weighed by what answered questions share with their sentences), weighed by the
decision for questions in other languages as one more feature (``sentence_fit``)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.answering.answers import analyse, decide
from bot.answering.decision import FIT, VARIANT_FEATURES, Decider
from bot.answering.lr import Logistic
from bot.answering.question_prior import QuestionPrior, source_key


def test_an_analysis_carries_its_question_times_its_best_sentence(index):
    analysis = analyse(index, "Wer war John Rabe?")
    top = analysis.ranked[0]
    question = analysis.retrieval.query.vector
    assert question is not None and analysis.pair is not None
    best = index.best_sentence_vector(question, top.passage)
    assert np.allclose(analysis.pair, question * best)
    # the best sentence is the one the candidate scores highest
    assert float(best @ question) == pytest.approx(max(top.sentence_scores), abs=1e-5)


def test_without_the_semantic_stage_there_is_nothing_to_fit():
    from index.engine import Index
    from tests.conftest import CORPUS

    analysis = analyse(Index.from_dir(CORPUS, semantic=False), "Who was John Rabe?")
    assert analysis.pair is None and analysis.retrieval.query.vector is None


def test_only_the_decision_for_other_languages_weighs_it():
    assert FIT in VARIANT_FEATURES["foreign"]
    assert FIT not in VARIANT_FEATURES["english"] and FIT not in VARIANT_FEATURES["lexical"]


def _fit_only(analysis, fit: QuestionPrior) -> dict[str, Decider]:
    model = Logistic((0.0, 50.0), (0.5,), (1.0,))
    return {analysis.variant: Decider((FIT,), model, 0.5, fit=fit)}


def test_the_decision_weighs_how_the_question_fits_its_sentence(index):
    analysis = analyse(index, "Wer war John Rabe?")
    dim = len(analysis.pair)
    top = source_key(index.source(analysis.ranked[0].passage.source_id))
    declining = QuestionPrior(Logistic((-20.0,) + (0.0,) * dim, (0.0,) * dim, (1.0,) * dim), 0.9, frozenset({top}))
    assert decide(analysis, _fit_only(analysis, declining))[0] is False
    # a source the fit never saw: the neutral value (0.9) answers
    unknown = QuestionPrior(declining.model, 0.9, frozenset({"another-corpus:1"}))
    assert decide(analysis, _fit_only(analysis, unknown))[0] is True


def test_a_decider_with_both_survives_the_model_file():
    from bot.answering.decision import PRIOR

    dim = 4
    learnt = QuestionPrior(Logistic((0.1,) + (0.5,) * dim, (0.0,) * dim, (1.0,) * dim), 0.5, frozenset({"s:1"}))
    decider = Decider((PRIOR, FIT), Logistic((0.0, 1.0, 1.0), (0.0, 0.0), (1.0, 1.0)), 0.3, learnt, learnt)
    again = Decider.from_json(json.loads(json.dumps(decider.to_json())), prior=learnt, fit=learnt)
    assert again == decider
