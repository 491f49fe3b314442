"""The query map (bot/answering/query_map.py): a learnt map of a question's vector towards the
passages that answer it, weighed by the ranker and by the English decision."""
import json
from dataclasses import replace

import numpy as np
import pytest

from bot.answering import query_map as query_map_module
from bot.answering.answers import analyse
from bot.answering.decision import forget_loaded, load_deciders, load_ranker, query_map_file
from bot.answering.fitting import save_models
from bot.answering.lr import Logistic
from bot.answering.query_map import Example, QueryMap, fit_map, fit_with_held_out
from bot.answering.question_prior import source_key
from bot.answering.ranking import learning_rows, mapped_cosines
from bot.answering.reranker import MODEL_FEATURES, RANK_FEATURES, Ranker

DIM = 8


def _unit(v) -> np.ndarray:
    v = np.asarray(v, np.float32)
    return v / np.linalg.norm(v)


def _turned_questions(rng, passages: np.ndarray, count: int) -> list[Example]:
    """Questions that point at their answer's vector turned by a fixed permutation of the axes
    (as a question in another language lands off its English passage): by their own cosine the
    answer is rarely first."""
    turn = np.roll(np.eye(DIM, dtype=np.float32), 3, axis=1)
    out = []
    for _ in range(count):
        chosen = rng.choice(len(passages), 6, replace=False)
        holds = np.zeros(6)
        holds[0] = 1.0
        vector = _unit(passages[chosen[0]] @ turn.T + 0.1 * rng.standard_normal(DIM))
        out.append(Example(vector, passages[chosen], holds))
    return out


def _first_share(examples: list[Example], query_map: QueryMap | None) -> float:
    firsts = []
    for e in examples:
        scores = e.passages @ (e.vector if query_map is None else query_map.apply(e.vector))
        firsts.append(int(np.argmax(scores)) == int(np.argmax(e.holds)))
    return float(np.mean(firsts))


def test_the_map_learns_to_put_the_answer_first_on_new_questions():
    rng = np.random.default_rng(0)
    passages = np.array([_unit(rng.standard_normal(DIM)) for _ in range(40)])
    train, new = _turned_questions(rng, passages, 300), _turned_questions(rng, passages, 100)
    query_map = fit_map(train, frozenset({"a:1"}), steps=300)
    assert _first_share(new, None) < 0.4
    assert _first_share(new, query_map) > 0.8
    assert np.linalg.norm(query_map.apply(new[0].vector)) == pytest.approx(1.0, abs=1e-5)


def test_the_fit_is_adam_on_the_softmax_over_each_questions_candidates():
    """The fit orders its products for speed (few distinct candidates, many questions): the
    matrix is the one Adam's steps give written in the plain order."""
    rng = np.random.default_rng(2)
    passages = np.array([_unit(rng.standard_normal(DIM)) for _ in range(12)])
    examples = _turned_questions(rng, passages, 30)
    steps = 20
    X = np.array([e.vector for e in examples], np.float32)
    mask = np.full((len(examples), len(passages)), -np.inf, np.float32)
    target = np.zeros_like(mask)
    for n, e in enumerate(examples):
        columns = [int(np.argmax(np.all(passages == p, axis=1))) for p in e.passages]
        mask[n, columns] = 0.0
        target[n, columns] = e.holds / e.holds.sum()
    W = np.eye(DIM, dtype=np.float32)
    first, second = np.zeros_like(W), np.zeros_like(W)
    for step in range(1, steps + 1):
        logits = (X @ W) @ passages.T / query_map_module.TEMPERATURE + mask
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        gradient = X.T @ ((p - target) @ passages) / query_map_module.TEMPERATURE / len(X)
        gradient += query_map_module.L2 * (W - np.eye(DIM, dtype=np.float32))
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient ** 2
        W -= query_map_module.RATE * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    fitted = fit_map(examples, frozenset({"a:1"}), steps=steps)
    assert fitted.matrix == pytest.approx(W, abs=1e-4)


def test_nothing_to_learn_from_fits_no_map():
    passages = np.eye(DIM, dtype=np.float32)[:3]
    assert fit_map([Example(passages[0], passages, np.zeros(3))], frozenset()) is None
    assert fit_map([], frozenset()) is None


def test_a_passage_of_a_source_the_fit_never_saw_is_scored_with_the_question_itself():
    swap = np.eye(DIM, dtype=np.float32)[[1, 0, *range(2, DIM)]]   # maps the first axis to the second
    query_map = QueryMap(swap, frozenset({"seen:10"}))
    question, passage = _unit([1, 0, 0, 0, 0, 0, 0, 0]), _unit([0, 1, 0, 0, 0, 0, 0, 0])
    cosines = query_map.cosines(question, np.array([passage, passage]), ["seen:10", "added:7"])
    assert cosines == pytest.approx([1.0, 0.0])


def test_each_question_gets_the_map_fitted_without_its_groups_fold():
    rng = np.random.default_rng(1)
    passages = np.array([_unit(rng.standard_normal(DIM)) for _ in range(20)])
    examples: list[Example | None] = [*_turned_questions(rng, passages, 40), None]
    groups = [f"q{n}" for n in range(40)] + ["q3"]   # the last: q3's unanswerable translation
    full, held_out = fit_with_held_out(examples, groups, frozenset({"a:1"}))
    assert full == fit_map(examples[:40], frozenset({"a:1"}))
    assert held_out[40] is held_out[3]
    for n in (0, 3):
        others = [e for e, other in zip(examples, held_out, strict=True) if e is not None and other is not held_out[n]]
        assert held_out[n] == fit_map(others, frozenset({"a:1"}))
        assert held_out[n] != full


def test_it_ships_beside_the_model_and_is_verified_on_load(tmp_path):
    weights = (0.0,) * (len(MODEL_FEATURES) + 1)
    model = Logistic(weights, (0.0,) * len(MODEL_FEATURES), (1.0,) * len(MODEL_FEATURES))
    query_map = QueryMap(np.eye(DIM, dtype=np.float32) * 2, frozenset({"a:1", "b:2"}))
    path = tmp_path / "model.json"
    save_models(Ranker(model, model, query_map), {}, ["pool.yaml"], {"items": 1}, path)
    written = json.loads(path.read_text())
    assert written["query_map"]["sources"] == ["a:1", "b:2"] and "sha256" in written["query_map"]
    assert load_ranker(path).query_map == query_map
    query_map_file(path).write_bytes(QueryMap(np.eye(DIM, dtype=np.float32), frozenset()).to_bytes())
    forget_loaded()
    with pytest.raises(ValueError, match="does not match the SHA-256"):
        load_ranker(path)


def test_the_shipped_map_knows_the_shipped_corpus(index):
    query_map = load_ranker().query_map
    assert query_map is not None and query_map.matrix.shape == (384, 384)
    assert query_map.sources == {source_key(s) for s in index.corpus.sources}


@pytest.mark.parametrize("question", ["约翰·拉贝是谁？", "who was john rabe"])
def test_the_ranker_weighs_each_candidates_mapped_cosine_relative_to_the_best(index, question):
    ranker = load_ranker()
    analysis = analyse(index, question, ranker=ranker)
    vector = analysis.retrieval.query.vector
    mapped_by_id = mapped_cosines(index, analysis.undated, vector, ranker.query_map)
    fused, rows = learning_rows(index, analysis.undated, analysis.evidence, analysis.english, mapped_by_id)
    gaps = rows[:, RANK_FEATURES.index("mapped_gap")]
    mapped = index.passage_vectors([c.passage for c in fused]) @ ranker.query_map.apply(vector)
    assert gaps == pytest.approx(mapped - mapped.max(), abs=1e-5)
    assert gaps.min() < 0.0
    # without a map (or a vector) the feature says nothing
    assert mapped_cosines(index, analysis.undated, vector, None) is None
    assert mapped_cosines(index, analysis.undated, None, ranker.query_map) is None
    _, unmapped = learning_rows(index, analysis.undated, analysis.evidence, analysis.english, None)
    assert not unmapped[:, RANK_FEATURES.index("mapped_gap")].any()


def test_the_english_decision_weighs_the_best_passages_mapped_cosine(index):
    assert "mapped_top" in load_deciders()["english"].features
    assert "mapped_top" not in load_deciders()["foreign"].features   # measured: it declined more there
    ranker = load_ranker()
    analysis = analyse(index, "who was john rabe", ranker=ranker)
    vector, top = analysis.retrieval.query.vector, analysis.ranked[0].passage
    expected = float(index.passage_vectors([top])[0] @ ranker.query_map.apply(vector))
    assert analysis.values["mapped_top"] == pytest.approx(expected, abs=1e-5)
    # a ranker without a map: the question's own cosine
    bare = analyse(index, "who was john rabe", ranker=replace(ranker, query_map=None))
    own = float(index.passage_vectors([bare.ranked[0].passage])[0] @ vector)
    assert bare.values["mapped_top"] == pytest.approx(own, abs=1e-5)
