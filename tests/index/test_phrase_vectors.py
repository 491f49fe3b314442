"""Short texts embedded as questions: several in one call to the model, the recent ones kept."""
from __future__ import annotations

import numpy as np

from index.semantic.phrases import PhraseVectors


class CountingEmbedder:
    """Embeds a text as its length in one coordinate; records each call's texts."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def queries(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("phrases are embedded as questions")


def test_several_texts_are_embedded_in_one_call_and_kept():
    embedder = CountingEmbedder()
    phrases = PhraseVectors(embedder)
    got = phrases.embed(["how old is", "budget", "how old is"])
    assert embedder.calls == [["how old is", "budget"]]
    assert got["budget"][0] == 6
    assert phrases.vector("how old is")[0] == 10 and phrases.embed(["budget", "x"])["x"][0] == 1
    assert embedder.calls[1:] == [["x"]]     # the kept ones are not embedded again


def test_the_least_recently_used_are_let_go():
    embedder = CountingEmbedder()
    phrases = PhraseVectors(embedder, size=2)
    phrases.embed(["a", "bb"])
    phrases.vector("a")          # used again: "bb" is now the oldest
    phrases.vector("ccc")
    phrases.embed(["a", "bb"])
    assert embedder.calls[-1] == ["bb"]
