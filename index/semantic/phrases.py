"""Texts embedded as questions (a question with its text without its names; the words its best
passage lacks, its names), the most recent few thousand kept: the answer builder asks for several
at once, and one call to the model embeds them together, a text on each core."""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from index.semantic.embedder import Embedder

KEPT = 2048


class PhraseVectors:
    def __init__(self, embedder: Embedder, size: int = KEPT):
        self._embedder = embedder
        self._size = size
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()   # questions are answered on several worker threads

    def embed(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Each text's vector; those not kept are embedded in one call."""
        wanted = list(dict.fromkeys(texts))
        with self._lock:
            found = {t: self._kept[t] for t in wanted if t in self._kept}
            for t in found:
                self._kept.move_to_end(t)
        new = [t for t in wanted if t not in found]
        if new:
            found |= dict(zip(new, self._embedder.queries(new), strict=True))
            with self._lock:
                for t in new:
                    self._kept[t] = found[t]
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        return found

    def vector(self, text: str) -> np.ndarray:
        return self.embed([text])[text]
