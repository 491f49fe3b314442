"""A corpus far beyond the embedding budget is answered with BM25 alone, decided from counts:
no model loaded, no sentence split, no text hashed (a start at a million passages stays quick)."""
from types import SimpleNamespace

import numpy as np
import pytest

from index import engine
from index.engine import Index
from index.semantic import cache
from index.semantic.cache import cached_rows
from tests.support.synth_corpus import write_corpus


@pytest.fixture
def big_corpus(tmp_path, monkeypatch):
    monkeypatch.delenv("BOT_SEMANTIC", raising=False)
    monkeypatch.setattr(cache, "_memory", {})
    return write_corpus(tmp_path / "corpus", engine.MAX_NEW_EMBEDDINGS + 500)


def test_too_many_new_passages_turn_the_stage_off_without_the_model(big_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "load_embedder", lambda: pytest.fail("the model was loaded"))
    index = Index.from_dir(big_corpus, vectors_dir=tmp_path / "vectors")
    assert index.semantic is None
    assert "not embedded yet" in index.semantic_off_reason
    assert index.retrieve("Who was John Rabe?", 5).candidates


def test_cached_vectors_count_toward_the_budget(big_corpus, tmp_path, monkeypatch):
    vectors = tmp_path / "vectors"
    vectors.mkdir()
    n = engine.MAX_NEW_EMBEDDINGS + 600
    np.savez(vectors / "model.npz", keys=np.array(["0" * 64] * n), vectors=np.zeros((n, 4), np.float16))
    assert cached_rows(vectors) == n
    monkeypatch.setattr(engine, "load_embedder", lambda: SimpleNamespace(embedder=None, reason="no model here"))
    index = Index.from_dir(big_corpus, vectors_dir=vectors)
    assert index.semantic_off_reason == "no model here"   # the budget let it through to the model
