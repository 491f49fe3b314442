"""A background of unrelated text, to tell how much better the corpus matches a question.

Cosines of a small embedding model are high for everything (a greeting scores about 0.78 against
any passage), so the semantic stage's best score says little on its own. Compared with the best
score against generic sentences from unrelated domains (``background.txt``) it does: an
on-topic question matches the corpus clearly better than the background, an off-topic one does
not. The margin is a feature of the answer-or-decline decision.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from index.semantic.cache import VectorCache

BACKGROUND_FILE = Path(__file__).with_name("background.txt")


@lru_cache(maxsize=1)
def background_sentences() -> tuple[str, ...]:
    lines = BACKGROUND_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


class Background:
    def __init__(self, cache: VectorCache):
        self.vectors = cache.passages(list(background_sentences()))

    def best(self, question_vector: np.ndarray) -> float:
        """The question's highest cosine with any background sentence."""
        return float((self.vectors @ question_vector).max())
