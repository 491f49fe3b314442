"""Arrays shipped beside the decision model (the neighbours' vectors, the query map): written as a
compressed ``.npz``, read back only when their SHA-256 is the one the model file records, so a
partial copy or a file of another fit is refused in words instead of answering with it."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np


def to_npz(**arrays: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.savez_compressed(out, **arrays)
    return out.getvalue()


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_verified(npz: Path, sha256: str) -> dict[str, np.ndarray]:
    """The arrays of ``npz``, which must hash to ``sha256``."""
    raw = Path(npz).read_bytes()
    if digest(raw) != sha256:
        raise ValueError(f"{npz} does not match the SHA-256 the decision model records for it; "
                         "refit (python -m bot fit) or restore both files together")
    with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}
