"""The passage-vector cache: keyed by text hash, so a reload embeds only what changed, and a
damaged file is ignored (vectors are derived data), never trusted."""
from __future__ import annotations

import numpy as np

import index.semantic.cache as cache_mod
from index.semantic.cache import VectorCache


class CountingEmbedder:
    name, dim = "counting-test-model", 8

    def __init__(self):
        self.embedded: list[str] = []

    def passages(self, texts):
        self.embedded += texts
        return np.array([[len(t), *([1.0] * (self.dim - 1))] for t in texts], np.float32)


def fresh(monkeypatch):
    monkeypatch.setattr(cache_mod, "_memory", {})  # the process-wide layer: start empty
    return CountingEmbedder()


def test_only_new_texts_are_embedded_and_the_file_serves_a_new_process(tmp_path, monkeypatch):
    embedder = fresh(monkeypatch)
    first = VectorCache(embedder, tmp_path).passages(["a", "bb", "ccc"])
    assert embedder.embedded == ["a", "bb", "ccc"] and first.shape == (3, 8)
    monkeypatch.setattr(cache_mod, "_memory", {})   # as if a new process: only the file is left
    again = VectorCache(embedder, tmp_path)
    assert again.missing(["a", "bb", "dddd"]) == 1
    second = again.passages(["a", "bb", "dddd"])
    assert embedder.embedded[3:] == ["dddd"]
    assert np.allclose(second[:2], first[:2], atol=1e-3)


def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path, monkeypatch):
    embedder = fresh(monkeypatch)
    VectorCache(embedder, tmp_path).passages(["a", "bb"])
    (tmp_path / f"{embedder.name}.npz").write_bytes(b"not a cache")
    monkeypatch.setattr(cache_mod, "_memory", {})
    VectorCache(embedder, tmp_path).passages(["a", "bb"])
    assert embedder.embedded == ["a", "bb", "a", "bb"]
    monkeypatch.setattr(cache_mod, "_memory", {})
    assert VectorCache(embedder, tmp_path).missing(["a", "bb"]) == 0
