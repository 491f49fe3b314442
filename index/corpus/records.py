"""A validated source as a plain JSON record, and back: how a verified index version lets the
next load of an unchanged source skip parsing it again.

A record is made from a :class:`Source` that passed every check; it is used again only for a
file whose bytes have the same SHA-256 at the same path (so the same checks would pass the same
way) and whose ``about`` ids still name entities, and only from an index version whose every
byte was verified (``index.store``). Its text is always decoded from the file just read.
"""
from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path

from index.corpus.files import decode
from index.corpus.model import Section, Source
from index.corpus.reads import read_bytes, read_ranges

# (rel, sha256 of the file) -> record
Known = Mapping[tuple[str, str], dict]
_FIELDS = ("id", "title", "kind", "publisher", "seed", "url", "context", "body_line", "attribution")
TEXTS_KEPT = 512   # about 20 MB of text at 40 KB a source: the sources questions keep coming back to
DIGEST_BYTES = 16  # a passage's BLAKE2b digest: 128 bits, as hard to forge as to stumble on
# Errors of the process's state, not the file's (out of descriptors or memory, interrupted): the
# file is likely what it was, and the next question reads it again
TRANSIENT = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.ENOBUFS, errno.EAGAIN, errno.EINTR})


def file_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def passage_digest(data: bytes) -> bytes:
    """The digest a passage's UTF-8 bytes are checked against when read alone from its file."""
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()


def record_of(source: Source) -> dict:
    record = {k: getattr(source, k) for k in _FIELDS}
    record["about"] = list(source.about)
    record["body_chars"] = source.text_length
    record["sections"] = [[s.title, s.start, s.end, s.attribution, s.context, s.kind] for s in source.sections]
    return record


class SourceChanged(OSError):
    """A source file no longer has the bytes the served index was built from."""

    consequence = "what changed is not quoted until then"


class SourceUnavailable(SourceChanged):
    """A source file that could not be read just now (``TRANSIENT``): left out of this answer only."""

    consequence = "left out of this answer"


def _read(read, path: Path, *where) -> bytes:
    try:
        return read(path, *where)
    except SourceChanged:
        raise
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> SourceChanged:
    """Gone, unreadable, a symlink now: not the file that was validated; or, for an error of the
    process's state (``TRANSIENT``), a file that could not be read just now."""
    if exc.errno in TRANSIENT:
        return SourceUnavailable(f"{path}: could not be read just now ({exc.strerror or exc})")
    return SourceChanged(f"{path}: cannot be read since the index was built from it "
                         f"({exc.strerror or exc}; reload the corpus)")


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _text(path: Path, sha: str, chars: int) -> tuple[str, int]:
    """The text (its last ``chars`` characters) of the file with this SHA-256, and where its
    UTF-8 starts in the file (-1: not byte for byte, a BOM or ``\r\n`` line endings)."""
    data = _read(read_bytes, path)
    text, _, _ = decode(data)
    if file_sha(data) != sha or text is None or chars > len(text):
        raise SourceChanged(f"{path}: changed since the index was built from it (reload the corpus)")
    return text[len(text) - chars:], _start_in(data, text[len(text) - chars:])


def _start_in(data: bytes, text: str) -> int:
    body = text.encode("utf-8")
    return len(data) - len(body) if data.endswith(body) else -1


def text_start(source: Source) -> int:
    """Where ``source.text`` starts, as UTF-8, in its file, or -1 when the file does not hold it
    byte for byte (a BOM or ``\r\n`` inside, no file, a file changed since the load, a text no
    file holds). A stored source knows it from the read that gave its text."""
    if isinstance(source, StoredSource):
        return _text(source.path, source._sha, source._chars)[1]
    try:
        return _start_in(read_bytes(source.path), source.text)
    except (OSError, UnicodeEncodeError):
        return -1


class StoredSource(Source):
    """A source whose text is read from its file when it is used, and served only if the file
    still has the SHA-256 it had when it was validated (a million passages of text kept in
    memory would cost more than the whole index; the last ``TEXTS_KEPT`` texts used are kept)."""

    @classmethod
    def of(cls, record: dict, path: Path, sha: str, sections: tuple[Section, ...]) -> StoredSource:
        self = object.__new__(cls)
        values = {k: record[k] for k in _FIELDS}
        values.update(sections=sections, path=path, about=tuple(record["about"]))
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_sha", sha)
        object.__setattr__(self, "_chars", record["body_chars"])
        return self

    @property
    def text(self) -> str:  # type: ignore[override]
        return _text(self.path, self._sha, self._chars)[0]

    @property
    def text_length(self) -> int:
        return self._chars

    def passage_text(self, first_byte: int, end_byte: int, digest: bytes, chars: int) -> str:
        """The text of one passage read alone from its bytes in the file (``index.snapshot.places``),
        served only if they have the digest the validated text had: a question reads a few hundred
        bytes a candidate instead of its whole source."""
        text = passage_texts([(self, first_byte, end_byte, digest, chars)])[0]
        if isinstance(text, SourceChanged):
            raise text
        return text

    def _checked(self, data: bytes | OSError, first_byte: int, end_byte: int, digest: bytes, chars: int) -> str:
        """``passage_text`` of bytes already read, or of the error reading them gave."""
        if isinstance(data, OSError):
            raise _unreadable(self.path, data)
        if passage_digest(data) != digest:
            raise SourceChanged(f"{self.path}: changed since the index was built from it (reload the corpus)")
        text = data.decode("utf-8")   # cannot fail: the digest is of the UTF-8 of a validated text
        if len(text) != chars:        # a row that does not fit its own span: never serve it
            raise SourceChanged(f"{self.path}: passage bytes {first_byte}-{end_byte} do not fit the index")
        return text

    def __eq__(self, other) -> bool:  # equal to the Source read from the same bytes
        if not isinstance(other, Source):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(Source) if f.compare)

    __hash__ = Source.__hash__


def passage_texts(wanted: list[tuple[StoredSource, int, int, bytes, int]]) -> list[str | SourceChanged]:
    """``StoredSource.passage_text`` of each (source, first byte, end byte, digest, chars), read in
    one batch (``read_ranges``), a ``SourceChanged`` in place of a passage that cannot be served."""
    data = read_ranges([(source.path, first, end) for source, first, end, _, _ in wanted])
    out: list[str | SourceChanged] = []
    for (source, first, end, digest, chars), got in zip(wanted, data, strict=True):
        try:
            out.append(source._checked(got, first, end, digest, chars))
        except SourceChanged as exc:
            out.append(exc)
    return out


def stored(source: Source, sha: str) -> Source:
    """``source`` (just validated from bytes of this SHA-256) with its text read when used."""
    if isinstance(source, StoredSource):
        return source
    return StoredSource.of(record_of(source), source.path, sha, source.sections)


def source_from(record: dict, path: Path, data: bytes | None, sha: str, lazy: bool = True,
                size: int | None = None) -> Source | None:
    """The source a record describes (None if ``data``, the file's bytes just read, or a file of
    ``size`` bytes left unread (``lazy`` only) cannot hold it): its text read from its file when
    used (``lazy``), or from ``data`` now."""
    if record["body_chars"] > (len(data) if data is not None else size or 0):   # a character is 1-4 bytes
        return None
    if data is None and not lazy:
        return None
    sections = tuple(Section(title=t, start=s, end=e, attribution=a, context=c, kind=k)
                     for t, s, e, a, c, k in record["sections"])
    if lazy:
        return StoredSource.of(record, path, sha, sections)
    text, _, _ = decode(data)
    n = record["body_chars"]
    if text is None or n > len(text):
        return None
    return Source(**{k: record[k] for k in _FIELDS}, text=text[len(text) - n:], sections=sections, path=path,
                  about=tuple(record["about"]))


def reuse(known: Known | None, entity_ids: set[str] | None, lazy: bool = True):
    """``load_sources``'s shortcut: (rel, path, data, sha[, size]) -> the known Source, or None
    (``data`` None: a file of ``size`` bytes left unread, its SHA-256 known)."""
    if not known:
        return None

    def known_source(rel: str, path: Path, data: bytes | None, sha: str, size: int | None = None) -> Source | None:
        record = known.get((rel, sha))
        if record is None or (entity_ids is not None and not set(record["about"]) <= entity_ids):
            return None
        return source_from(record, path, data, sha, lazy, size)

    return known_source
