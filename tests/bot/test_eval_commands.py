"""`python -m bot eval` and `python -m bot fit` as a moderator runs them: a fit that cannot give
every variant its decision writes nothing (the shipped model is kept), and a cross-validation
whose folds cannot be fitted says why instead of failing with a traceback."""
from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
import yaml

from bot.answering.decision import load_deciders
from bot.answering.evaluate import load_items
from bot.answering.question_prior import source_key
from bot.cli import main
from index.semantic import cache
from tests.conftest import CORPUS, SHARED

EVAL = SHARED / "eval"


@pytest.fixture(scope="module")
def labelled():
    if not (EVAL / "dev.yaml").exists():
        pytest.skip(f"{EVAL} not found: ../shared is not beside the project")
    return load_items(EVAL / "dev.yaml"), load_items(EVAL / "dev-multilingual.yaml")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--corpus", str(CORPUS)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(path, items):
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def with_meaning(monkeypatch):
    monkeypatch.setenv("BOT_SEMANTIC", "on")   # the suite serves with BM25 alone by default


def test_a_fit_needs_the_semantic_stage_and_says_why_not(tmp_path):
    model = tmp_path / "model.json"
    code, out, err = run("fit", str(EVAL / "dev.yaml"), "--out", str(model))
    assert code == 1 and "BOT_SEMANTIC is off" in err
    assert not model.exists()


def test_a_fit_without_questions_in_other_languages_writes_nothing(tmp_path, with_meaning):
    model = tmp_path / "model.json"
    code, out, err = run("fit", str(EVAL / "dev.yaml"), "--out", str(model))
    assert code == 2
    assert "other languages" in err and "nothing written" in err
    assert not model.exists()


def test_a_complete_fit_writes_a_model_the_bot_loads(tmp_path, labelled, with_meaning, index):
    english, other = labelled
    # every unanswerable question in other languages and as many answerable ones
    foreign = [i for i in other if not i.get("answerable", True)][:8]
    foreign += [i for i in other if i.get("answerable", True)][:8]
    questions = write(tmp_path / "pool.yaml", english + foreign)
    model = tmp_path / "model.json"
    code, out, err = run("fit", str(questions), "--out", str(model))
    assert code == 0, err
    deciders = load_deciders(model)
    assert set(deciders) == {"english", "foreign", "lexical"}
    assert json.loads(model.read_text())["counts"]["items"] == len(english) + len(foreign)
    # the decisions with meaning weigh one question prior, fitted on the questions of these
    # sources in every language
    assert deciders["english"].prior.sources == {source_key(s) for s in index.corpus.sources}
    assert deciders["foreign"].prior == deciders["english"].prior
    assert deciders["lexical"].prior is None
    # written once, beside the deciders that weigh it
    written = json.loads(model.read_text())
    assert "question_prior" in written and not any("prior" in d for d in written["variants"].values())
    # the sentence fit: fitted on every language's questions, weighed by the decision for other languages
    assert deciders["foreign"].fit.sources == deciders["english"].prior.sources
    assert deciders["english"].fit is None and "sentence_fit" in written
    assert not any("fit" in d for d in written["variants"].values())   # written once too


def test_a_fit_with_more_questions_for_the_semantic_models(tmp_path, labelled, with_meaning):
    """``fit --train-also``: the ranker and the decisions with meaning learn from those too; the
    decision of BM25 alone is the one the main files alone give."""
    english, other = labelled
    foreign = [i for i in other if not i.get("answerable", True)][:8] + \
        [i for i in other if i.get("answerable", True)][:8]
    questions = write(tmp_path / "pool.yaml", english + foreign)
    more = write(tmp_path / "more.yaml", [i for i in other if i.get("answerable", True)][8:40])
    alone, both = tmp_path / "alone.json", tmp_path / "both.json"
    assert run("fit", str(questions), "--out", str(alone))[0] == 0
    code, out, err = run("fit", str(questions), "--out", str(both), "--train-also", str(more))
    assert code == 0, err
    data, base = json.loads(both.read_text()), json.loads(alone.read_text())
    assert data["also_with_meaning"] == ["more.yaml"] and data["counts"]["also_with_meaning"] == 32
    assert data["variants"]["lexical"] == base["variants"]["lexical"]
    assert data["variants"]["foreign"] != base["variants"]["foreign"]


def test_a_fit_on_a_broken_corpus_says_what_is_wrong(tmp_path, with_meaning):
    broken = tmp_path / "corpus"
    shutil.copytree(CORPUS, broken)
    timeline = broken / "timeline.yaml"
    timeline.write_text(timeline.read_text() + "\n- id: x\n  source: nowhere\n", encoding="utf-8")
    model = tmp_path / "model.json"
    out, err = io.StringIO(), io.StringIO()
    code = main(["fit", str(EVAL / "dev.yaml"), "--out", str(model), "--corpus", str(broken)], out=out, err=err)
    assert code == 1 and "timeline.yaml:" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not model.exists()


def test_a_fit_embeds_the_corpus_into_the_vectors_eval_and_the_bot_read(tmp_path, labelled, with_meaning,
                                                                        monkeypatch):
    """The corpus's vectors are kept beside the index (``<index_dir>/../vectors``), where ``eval``
    and the bot look first: the next fit, eval or start embeds nothing again."""
    english, other = labelled
    foreign = [i for i in other if not i.get("answerable", True)][:8] + \
        [i for i in other if i.get("answerable", True)][:8]
    questions = write(tmp_path / "pool.yaml", english + foreign)
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setattr(cache, "_memory", {})   # what earlier tests embedded is not in this process's memory
    code, out, err = run("fit", str(questions), "--out", str(tmp_path / "model.json"))
    assert code == 0, err
    saved = sorted((tmp_path / "vectors").glob("*.npz"))
    assert len(saved) == 1
    with np.load(saved[0]) as data:
        assert len(data["keys"]) == len(cache._memory) > 0   # every text this fit embedded


def test_cross_validation_too_small_to_fit_says_why(tmp_path, labelled):
    english, _ = labelled
    # one unanswerable question: four of five folds have none to fit the decision on
    few = [i for i in english if i.get("answerable", True)][:10] + \
        [i for i in english if not i.get("answerable", True)][:1]
    code, out, err = run("eval", str(write(tmp_path / "few.yaml", few)), "--cv", "5")
    assert code == 2
    assert "fold" in err and "unanswerable" in err and "Traceback" not in err


def test_cross_validation_can_fit_on_more_questions_than_it_scores(tmp_path, labelled, monkeypatch):
    """``--train-also``: each fold's semantic models also learn from other labelled questions,
    which are never scored; here they hold the unanswerable questions the scored ones lack. The
    decision of BM25 alone learns from the scored files' folds only."""
    english, _ = labelled
    few = [i for i in english if i.get("answerable", True)][:10] + \
        [i for i in english if not i.get("answerable", True)][:1]
    more = [i for i in english if not i.get("answerable", True)][1:] + \
        [i for i in english if i.get("answerable", True)][10:]
    scored, extra = write(tmp_path / "few.yaml", few), write(tmp_path / "more.yaml", more)
    code, out, err = run("eval", str(scored), "--cv", "5", "--train-also", str(extra))
    assert code == 2 and "read with BM25 alone" in err   # the suite serves BM25 alone by default
    monkeypatch.setenv("BOT_SEMANTIC", "on")
    code, out, err = run("eval", str(scored), "--cv", "5", "--train-also", str(extra))
    assert code == 0, err
    assert "also fitted on 14 more questions" in out
    answerable = sum(bool(i.get("answerable", True)) for i in few)
    assert f"/{answerable})" in out and "unanswerable declined" in out and f"/{len(few) - answerable};" in out
    code, out, err = run("eval", str(scored), "--cv", "5", "--train-also", str(tmp_path / "nowhere.yaml"))
    assert code == 2 and "no such file" in err


def test_eval_with_the_shipped_model(tmp_path, labelled):
    english, _ = labelled
    code, out, err = run("eval", str(write(tmp_path / "some.yaml", english[:6])))
    assert code == 0, err
    assert "success@1" in out


def test_eval_of_a_missing_file(tmp_path):
    code, out, err = run("eval", str(tmp_path / "nowhere.yaml"))
    assert code == 2 and "no such file" in err


def test_the_shipped_model_decides_every_variant():
    from bot.answering.decision import VARIANT_FEATURES, load_ranker

    assert set(load_deciders()) == set(VARIANT_FEATURES)
    assert load_ranker() is not None


def test_the_shipped_question_prior_knows_the_shipped_corpus(index):
    """Refit (``python -m bot fit``, README) after changing a shipped source: the prior says
    nothing of a source it was not fitted on."""
    sources = {source_key(s) for s in index.corpus.sources}
    assert load_deciders()["english"].prior.sources == sources
    assert load_deciders()["foreign"].prior.sources == sources
    assert load_deciders()["foreign"].fit.sources == sources
