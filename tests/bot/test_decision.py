"""The answer-or-decline decision: each feature counts in the direction its meaning gives it, so
more evidence never makes the bot decline, and the simplest questions in other languages are
answered ("Wer war John Rabe?" was declined when the fit gave the match's margin over generic
text a negative weight)."""
from __future__ import annotations

import numpy as np
import pytest

from bot.answering.answers import analyse, build_answer
from bot.answering.decision import FEATURE_SIGNS, FEATURES, LEXICAL, fit_decider, load_deciders
from bot.answering.lr import fit, fit_signed


def test_every_feature_has_the_direction_its_meaning_gives_it():
    assert set(FEATURE_SIGNS) == set(FEATURES) and set(FEATURE_SIGNS.values()) <= {1, -1}


def _collinear(seed: int = 0):
    """Two features that both rise with the label, the second a noisy copy of the first: an
    unconstrained fit gives the copy a negative weight (it corrects the first's noise)."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=400)
    b = a + 0.5 * rng.normal(size=400)
    y = (2 * a - b + 0.3 * rng.normal(size=400) > 0).astype(float)
    return np.column_stack([a, b]), y


def test_an_unconstrained_fit_can_weigh_evidence_against_its_meaning():
    X, y = _collinear()
    assert min(fit(X, y).weights[1:]) < 0      # what the constraint is for


def test_a_signed_fit_leaves_out_a_feature_that_would_count_against_its_meaning():
    X, y = _collinear()
    model = fit_signed(X, y, (1, 1))
    weights = model.weights[1:]
    assert all(w >= 0 for w in weights) and weights.count(0.0) == 1
    kept = fit(X[:, [weights.index(max(weights))]], y)
    assert model.probability(X) == pytest.approx(kept.probability(X[:, [weights.index(max(weights))]]))


def test_a_signed_fit_with_every_sign_right_is_the_plain_fit():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] - X[:, 1] + rng.normal(scale=0.5, size=300) > 0).astype(float)
    assert fit_signed(X, y, (1, -1)).weights == pytest.approx(fit(X, y).weights)


def test_a_fitted_decider_keeps_the_signs():
    X, y = _collinear()
    rows = [{"sent_top": a, "background_margin": b} for a, b in X]
    decider = fit_decider(rows, list(y.astype(bool)), ("sent_top", "background_margin"))
    assert all(w * FEATURE_SIGNS[f] >= 0 for w, f in zip(decider.model.weights[1:], decider.features, strict=True))


def test_the_shipped_deciders_keep_the_signs():
    for decider in load_deciders().values():
        assert all(w * FEATURE_SIGNS[f] >= 0 for w, f in zip(decider.model.weights[1:], decider.features, strict=True))


@pytest.mark.parametrize("question", ["Wer war John Rabe?", "Wer war Minnie Vautrin?", "¿Quién fue Minnie Vautrin?",
                                      "¿Quién fue John Rabe?", "约翰·拉贝是谁？", "ミニー・ヴォートリンとは誰ですか"])
def test_who_was_a_person_of_the_sources_is_answered_in_other_languages(index, question):
    answer = build_answer(index, question)
    assert answer.answered, answer.notes
    assert any(name in answer.quotes[0].text for name in ("Rabe", "Vautrin"))


@pytest.mark.parametrize("question, found", [
    ("Who was John Rabe?", "Rabe"), ("Who was Minnie Vautrin?", "Vautrin"), ("Who is Satoru Mizushima?", "Mizushima"),
    ("What is City of Life and Death about?", "City of Life and Death"),
    ("What was the Nanking Safety Zone?", "Safety Zone"),
    ("Who directed The Truth about Nanking?", "Mizushima"),   # the blog says; the film page names no director
    ("When was the Safety Zone dissolved?", "dissolved"),   # "By March": the timeline gives no day
])
def test_the_plainest_questions_about_what_the_sources_are_about_are_answered(index, question, found):
    """No labelled set asks most of these, so aggregate figures cannot show them declined (a vote
    over the nearest labelled questions once declined "Who was John Rabe?": its neighbours were
    unanswerable questions of his birth and death; over their text without names, "who directed"
    was unanswerable, as it is of the film page)."""
    answer = build_answer(index, question)
    assert answer.answered, answer.notes
    assert any(found in q.text for q in answer.quotes[:2])


@pytest.mark.parametrize("question, undated", [
    ("when did Minnie Vautrin leave Nanking?", 1.0),     # she is described, never dated
    ("When did Japan attack Shanghai?", 0.0),             # a timeline entry
    ("what did Minnie Vautrin do in Nanking?", 0.0),      # not a "when": no date wanted
])
def test_a_when_question_whose_best_passage_holds_no_date_is_measured(index, question, undated):
    assert analyse(index, question).values["undated_for_when"] == undated


@pytest.mark.parametrize("question, others", [
    ("what other films has Satoru Mizushima made?", 1.0),
    ("¿Qué otras películas ha hecho Lu Chuan?", 1.0),
    ("why did Rabe and the other foreigners stay in Nanking?", 0.0),
])
def test_asking_for_a_person_s_other_works_is_measured(index, question, others):
    assert analyse(index, question).values["others_asked"] == others


def test_the_shipped_deciders_with_meaning_weigh_asking_for_other_works_against_answering():
    for name, decider in load_deciders().items():
        if name != LEXICAL:
            assert decider.model.weights[1 + decider.features.index("others_asked")] < 0, name


def test_the_shipped_deciders_weigh_a_missing_date_for_when_against_answering():
    for name, decider in load_deciders().items():
        assert decider.model.weights[1 + decider.features.index("undated_for_when")] < 0, name


def test_a_when_question_about_something_the_sources_never_date_is_declined_with_why(index):
    # (with dev-blind-24 to -27 in the fits "when did Minnie Vautrin leave Nanking?" is answered,
    # P 0.39 against 0.34: the best passage says she stayed; eval/RESULTS.md, session 49)
    answer = build_answer(index, "when did Minnie Vautrin arrive in Nanking?")
    assert not answer.answered
    assert answer.notes[0] == "Not in my sources: I have no dated passage about that."


@pytest.mark.parametrize("question, eventless", [
    ("when did John Rabe die?", 1.0),            # a dated passage of Rabe, none of his death
    ("When did Japan attack Shanghai?", 0.0),     # the entry says what happened
    ("what did John Rabe do in Nanking?", 0.0),   # not a "when"
])
def test_a_when_question_whose_best_passage_says_nothing_of_what_happened_is_measured(index, question, eventless):
    assert analyse(index, question).values["eventless_for_when"] == eventless


def test_the_shipped_deciders_with_meaning_weigh_a_date_of_something_else_against_answering():
    deciders = load_deciders()
    for name in ("english", "foreign"):
        decider = deciders[name]
        assert decider.model.weights[1 + decider.features.index("eventless_for_when")] < 0, name


def test_a_when_question_answered_by_no_passage_of_its_event_is_declined_with_why(index):
    answer = build_answer(index, "when did John Rabe die?")   # not "November 25 John Rabe wires Hitler"
    assert not answer.answered
    assert answer.notes[0] == "Not in my sources: they mention John Rabe, but date nothing of “die”."


@pytest.mark.parametrize("question, uncast", [
    ("Who played Minnie Vautrin in the documentary Nanking?", 1.0),   # the documentary lists no cast
    ("who plays shunzi", 0.0),                                        # the film page's cast entry
    ("who is shunzi", 0.0),                                           # not a "who plays"
    # names nobody: a passage that describes the one asked about is no evidence against an answer
    ("who plays the officer who demands the comfort women", 0.0),
    ("what was Matsui's role in the massacre?", 0.0),             # a real person's role: what he did
    ("who played jiang shuyun", 1.0),                              # a character: named, never cast
])
def test_a_who_plays_question_whose_best_passage_is_no_cast_entry_is_measured(index, question, uncast):
    assert analyse(index, question).values["uncast_for_who_plays"] == uncast


def test_the_shipped_english_decider_weighs_a_missing_cast_entry_against_answering():
    decider = load_deciders()["english"]
    assert decider.model.weights[1 + decider.features.index("uncast_for_who_plays")] < 0


def test_a_who_plays_question_no_cast_entry_answers_is_declined_with_why(index):
    answer = build_answer(index, "Who played Minnie Vautrin in the documentary Nanking?")
    assert not answer.answered
    assert answer.notes[0] == "Not in my sources: no cast list I have says who plays Minnie Vautrin."


def test_what_the_best_passage_lacks_is_measured_by_its_meaning(index):
    """The question's words the best passage does not hold, against its sentences: a paraphrase
    of what the passage says ("displaced ... packed into the protected neutral area": "refugees
    crowded into the Zone") is near it; a fact it never gives ("awards ... win") is not. In the fused
    order (no learned ranker), so a refit does not change which passage is measured (session 53's
    put the IMDb rating first for "awards", where the film's blurb had been)."""
    paraphrase = analyse(index, "Roughly how many displaced people packed into the protected neutral area?",
                         ranker=None).values
    absent = analyse(index, "what awards did city of life and death win?", ranker=None).values
    assert paraphrase["unmatched_meaning"] != paraphrase["sent_top"]   # words were lacking, and measured
    assert paraphrase["unmatched_meaning"] > absent["unmatched_meaning"] + 0.03
    assert absent["unmatched_meaning"] < absent["sent_top"] - 0.05


def test_with_nothing_lacking_the_whole_question_is_what_is_measured(index):
    a = analyse(index, "who is John Rabe?")
    assert not [t for t in a.evidence.content if t not in a.ranked[0].matched]
    assert a.values["unmatched_meaning"] == a.values["sent_top"]


def test_a_question_in_another_language_is_measured_whole(index):
    values = analyse(index, "¿Qué premios ganó City of Life and Death?").values
    assert values["unmatched_meaning"] == values["sent_top"]


def test_the_shipped_english_decider_weighs_what_the_best_passage_lacks():
    decider = load_deciders()["english"]
    assert decider.model.weights[1 + decider.features.index("unmatched_meaning")] > 0


def test_a_question_that_matches_by_its_names_alone_has_no_lift(index):
    """"Who directed City of Life and Death?": the film's name is all that matches the best
    passage (the sources never name its director); "how many refugees crowded into the Safety
    Zone" asks what the passage says beyond the name."""
    by_name = analyse(index, "Who directed City of Life and Death?").values["name_lift"]
    beyond = analyse(index, "how many refugees crowded into the Safety Zone?").values["name_lift"]
    assert by_name <= 0 < beyond - 0.05


def test_a_question_naming_nothing_is_lifted_over_an_empty_question(index):
    a = analyse(index, "what started world war 1")
    assert not a.evidence.names
    top = a.ranked[0].passage
    assert a.values["name_lift"] == pytest.approx(a.values["sent_top"] - index.sentence_match("", top))


def test_a_question_in_another_language_is_not_lifted_its_decision_does_not_weigh_it(index):
    assert analyse(index, "¿Quién dirigió City of Life and Death?").values["name_lift"] == 0.0
    assert "name_lift" not in load_deciders()["foreign"].features


def test_a_question_the_name_alone_matches_is_declined(index):
    """The question the name lift was measured for: the film is there, its director is not. (With
    session 59's refit the shipped English decision weighs the lift at 0: the learnt prior and the
    neighbours' vote decline it.)"""
    answer = build_answer(index, "Who directed City of Life and Death?")
    assert not answer.answered and "City of Life and Death" in answer.notes[0]


@pytest.mark.parametrize("question, unnumbered", [
    ("how many people were killed in the first air raid on nanking?", 1.0),   # the entry counts no one
    ("how long did the rape of nanking last?", 0.0),                          # "approximately six weeks"
    ("how many refugees crowded into the Safety Zone?", 0.0),                 # "two hundred thousand refugees"
    ("who is John Rabe?", 0.0),                                               # no number asked
])
def test_a_how_many_question_whose_best_passage_counts_nothing_is_measured(index, question, unnumbered):
    assert analyse(index, question).values["unnumbered_for_quantity"] == unnumbered


def test_the_shipped_deciders_with_meaning_weigh_a_missing_number_against_answering():
    deciders = load_deciders()
    for name in ("english", "foreign"):
        decider = deciders[name]
        assert decider.model.weights[1 + decider.features.index("unnumbered_for_quantity")] < 0, name


def test_a_how_many_question_no_passage_counts_is_declined_with_why(index):
    answer = build_answer(index, "how many people were killed in the first air raid on nanking?")
    assert not answer.answered
    assert answer.notes[0] == "Not in my sources: they mention Nanking, but give no number for that."
