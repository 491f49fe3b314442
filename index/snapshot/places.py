"""Where each passage's bytes are in its source file, and their digest.

A source too large to keep in memory (``index.corpus.records.StoredSource``) is served a passage
at a time: the passage's bytes are read alone and checked against the digest of the text that was
validated, instead of reading and hashing the whole file for every candidate of a question.

A place is ``(first byte, end byte)`` in the file as it was read for the build; ``(-1, -1)`` when
the file's bytes are not the text byte for byte (a BOM inside the body, ``\\r\\n`` line endings,
a file that changed since it was loaded): those passages are read with their whole source, as
before. A place is only where to look: what is served is what the digest vouches for.
"""
from __future__ import annotations

import numpy as np

from index.corpus.model import Source
from index.corpus.records import DIGEST_BYTES, passage_digest, text_start


def unplaced(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.full((n, 2), -1, np.int64), np.zeros((n, DIGEST_BYTES), np.uint8)


def _byte_offsets(text: str, body: bytes) -> np.ndarray | None:
    """Byte offset of every character offset of ``text`` in its UTF-8 ``body`` (None: ASCII,
    where they are equal)."""
    if len(body) == len(text):
        return None
    code = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    width = 1 + (code >= 0x80).astype(np.int64) + (code >= 0x800) + (code >= 0x10000)
    return np.concatenate([[0], np.cumsum(width)])


def places(source: Source, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(places, digests)`` of the passages ``spans`` (rows of start, end, ...) of ``source``:
    int64 (n, 2) byte spans in its file and uint8 (n, DIGEST_BYTES) digests."""
    n = len(spans)
    out, digests = unplaced(n)
    if not n:
        return out, digests
    base = text_start(source)
    if base < 0:
        return out, digests
    text = source.text
    body = text.encode("utf-8")
    starts, ends = spans[:, 0].astype(np.int64), spans[:, 1].astype(np.int64)
    offsets = _byte_offsets(text, body)
    if offsets is not None:
        starts, ends = offsets[starts], offsets[ends]
    digests[:] = np.frombuffer(b"".join(passage_digest(body[a:b]) for a, b in zip(starts.tolist(), ends.tolist(),
                                                                                  strict=True)),
                               np.uint8).reshape(n, DIGEST_BYTES)
    out[:, 0], out[:, 1] = starts + base, ends + base
    return out, digests
