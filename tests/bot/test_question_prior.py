"""The question prior: how likely the sources answer a question of this kind, from its meaning
alone, learnt from labelled questions and weighed by the decision as one more feature. It says
nothing about a question whose best passage comes from a source the fit never saw."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from bot.answering.answers import analyse, decide
from bot.answering.decision import Decider
from bot.answering.lr import Logistic
from bot.answering.question_prior import QuestionPrior, fit_prior, intent_text, source_key


def _labelled(n: int = 120, dim: int = 8, seed: int = 0):
    """Unit vectors whose first coordinate says whether they are answerable, in groups of two
    (an item and its translation)."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) // 2) % 2 == 0
    X = rng.normal(size=(n, dim))
    X[:, 0] += np.where(y, 2.0, -2.0)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32), y, [f"g{i // 2}" for i in range(n)]


def test_it_learns_which_kinds_of_question_the_sources_answer():
    X, y, groups = _labelled()
    prior, held_out = fit_prior(X, y, groups, frozenset({"a"}))
    assert ((held_out >= 0.5) == y).mean() > 0.8
    assert ((prior.model.probability(X) >= 0.5) == y).mean() > 0.8


def test_a_training_question_s_value_comes_from_folds_without_its_group():
    X, y, groups = _labelled()
    X[:2] = X[0]          # one group far from everything else, labelled against its kind
    X[:2, 0] = 1.0
    X[:2, 1:] = 0.0
    y[:2] = False
    _, held_out = fit_prior(X, y, groups, frozenset({"a"}))
    # learnt from the others, who say a vector like that is answerable: its own label is not seen
    assert held_out[0] > 0.5 and held_out[1] > 0.5


def test_a_question_about_a_source_the_fit_never_saw_gets_the_neutral_value():
    X, y, groups = _labelled()
    prior, held_out = fit_prior(X, y, groups, frozenset({"seen:10"}))
    assert prior.neutral == pytest.approx(float(np.mean(held_out)))
    question = X[int(np.argmin(X[:, 0]))]   # the least answerable-looking
    assert prior.value(question, "seen:10") < 0.5
    assert prior.value(question, "added-later:99") == prior.neutral
    assert prior.value(None, "seen:10") == prior.neutral


def test_it_survives_the_model_file():
    X, y, groups = _labelled()
    prior, _ = fit_prior(X, y, groups, frozenset({"seen:10", "other:3"}))
    again = QuestionPrior.from_json(json.loads(json.dumps(prior.to_json())))
    assert again.sources == prior.sources and again.neutral == pytest.approx(prior.neutral)
    assert again.value(X[3], "seen:10") == pytest.approx(prior.value(X[3], "seen:10"), abs=1e-6)


def test_a_source_is_known_by_its_id_and_length(index):
    source = index.corpus.sources[0]
    assert source_key(source) == f"{source.id}:{source.text_length}"


def _prior_only(analysis, prior: QuestionPrior) -> dict[str, Decider]:
    """A decider that weighs the question prior alone: answer when it is at least 0.5."""
    model = Logistic((0.0, 50.0), (0.5,), (1.0,))
    return {analysis.variant: Decider(("question_prior",), model, 0.5, prior)}


def _declining_prior(dim: int, sources: frozenset[str]) -> QuestionPrior:
    """Every question declined by its meaning (a large negative intercept), neutral 0.9."""
    return QuestionPrior(Logistic((-20.0,) + (0.0,) * dim, (0.0,) * dim, (1.0,) * dim), 0.9, sources)


def test_the_decision_weighs_the_prior_of_the_question(index):
    analysis = analyse(index, "Who was John Rabe?")
    top = index.source(analysis.ranked[0].passage.source_id)
    dim = len(analysis.intent)
    known = _declining_prior(dim, frozenset({source_key(top)}))
    assert decide(analysis, _prior_only(analysis, known))[0] is False
    unknown = replace(known, sources=frozenset({"another-corpus:1"}))
    assert decide(analysis, _prior_only(analysis, unknown))[0] is True


def test_a_question_in_another_language_is_weighed_by_the_same_kind_of_prior(index):
    """The model's meaning is shared across languages: "Wie alt ist ...?" asks what "how old is"
    asks, so the decision for other languages weighs the prior too."""
    analysis = analyse(index, "Wer war John Rabe?")
    assert not analysis.english and analysis.intent is not None
    top = index.source(analysis.ranked[0].passage.source_id)
    known = _declining_prior(len(analysis.intent), frozenset({source_key(top)}))
    assert decide(analysis, _prior_only(analysis, known))[0] is False


@pytest.mark.parametrize("question, kind", [
    ("how old is satoru mizushma", "how old is"),       # a misspelt name is still a name
    ("who directed city of life and death", "who directed"),
    ("vautrin", ""),
    ("Wer war John Rabe?", "Wer war ?"),
])
def test_the_prior_weighs_the_kind_of_question_not_whom_it_is_about(index, question, kind):
    assert intent_text(index, question) == kind


def test_a_question_that_is_all_names_is_fitted_as_neutral():
    X, y, groups = _labelled()
    vectors = [None if i < 4 else x for i, x in enumerate(X)]
    prior, held_out = fit_prior(vectors, y, groups, frozenset({"a"}))
    assert list(held_out[:4]) == [prior.neutral] * 4 and len(held_out) == len(X)
    assert prior.neutral == pytest.approx(float(np.mean(held_out[4:])))


def test_a_padded_question_is_the_question_it_begins_with(index):
    assert intent_text(index, "Who was John Rabe? " + "the of the please " * 300) == "Who was ? the of please"


@pytest.mark.parametrize("question", ["what did John Rabe's diary record about the winter of 1937",
                                      "Was schrieb John Rabe in seinem Tagebuch über den Winter?"])
def test_the_question_and_its_kind_are_embedded_in_one_call(index, monkeypatch, question):
    """Batched, the two texts run on a core each; one after the other, the kind waited for the
    question (p95 of an answer 52.7 -> 42.9 ms on the shipped corpus, answers the same)."""
    embedder = index.semantic.phrases._embedder
    calls: list[list[str]] = []
    real = embedder.queries
    monkeypatch.setattr(embedder, "queries", lambda texts: calls.append(list(texts)) or real(texts))
    analysis = analyse(index, question)
    kind = intent_text(index, analysis.retrieval.query.text)
    assert kind and kind in calls[0] and len(calls[0]) >= 2
    assert not any(kind in later for later in calls[1:])   # embedded once
    assert analysis.intent is not None
