"""A validated source as a plain JSON record, and back: how a verified index version lets the
next load of an unchanged source skip parsing it again.

A record is made from a :class:`Source` that passed every check; it is used again only for a
file whose bytes have the same SHA-256 at the same path (so the same checks would pass the same
way) and whose ``about`` ids still name entities, and only from an index version whose every
byte was verified (``index.store``). Its text is always decoded from the file just read.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from index.corpus.files import decode
from index.corpus.model import Section, Source

# (rel, sha256 of the file) -> record
Known = Mapping[tuple[str, str], dict]
_FIELDS = ("id", "title", "kind", "publisher", "seed", "url", "context", "body_line")


def file_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_of(source: Source) -> dict:
    record = {k: getattr(source, k) for k in _FIELDS}
    record["about"] = list(source.about)
    record["body_chars"] = len(source.text)
    record["sections"] = [[s.title, s.start, s.end, s.attribution, s.context, s.kind] for s in source.sections]
    return record


def source_from(record: dict, path: Path, data: bytes) -> Source | None:
    """The source a record describes, with its text from ``data`` (None if that cannot be)."""
    text, _, _ = decode(data)
    n = record["body_chars"]
    if text is None or n > len(text):
        return None
    sections = tuple(Section(title=t, start=s, end=e, attribution=a, context=c, kind=k)
                     for t, s, e, a, c, k in record["sections"])
    fields = {k: record[k] for k in _FIELDS}
    return Source(**fields, text=text[len(text) - n:], sections=sections, path=path,
                  about=tuple(record["about"]))


def reuse(known: Known | None, entity_ids: set[str] | None):
    """``load_sources``'s shortcut: (rel, path, data, sha) -> the known Source, or None."""
    if not known:
        return None

    def known_source(rel: str, path: Path, data: bytes, sha: str) -> Source | None:
        record = known.get((rel, sha))
        if record is None or (entity_ids is not None and not set(record["about"]) <= entity_ids):
            return None
        return source_from(record, path, data)

    return known_source
