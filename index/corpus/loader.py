"""Load and validate the corpus folder (format: ``corpus/README.md``).

``load_corpus(root)`` reads ``root/sources/*.md``, ``root/timeline.yaml`` and ``root/entities.yaml``
and returns an immutable :class:`~index.corpus.model.Corpus`, or raises
:class:`~index.corpus.errors.CorpusError` listing *every* problem found as ``file:line: message``.
File names in messages are relative to the corpus root's parent
(``corpus/sources/x.md:12: ...``). Filesystem trouble (a root that vanishes, an unreadable
file, a symlink loop) is reported the same way, never as a raw exception.

Cost is linear in the corpus size: each file is read, hashed, decoded and scanned a bounded
number of times; YAML is parsed only for front matter, ``timeline.yaml`` and
``entities.yaml``; each timeline entry is one regex search in its source.

This module is the orchestration; the work is done by ``files`` (reading the folder, decoding),
``errors`` (the issue log), ``checks`` (the shared field checks), ``sources`` (``sources/*.md``),
``timeline`` (``timeline.yaml``) and ``entities`` (``entities.yaml``).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from index.corpus.entities import load_entities
from index.corpus.errors import CorpusError, IssueLog
from index.corpus.files import CorpusFile, FolderReader, is_dir, read_bytes
from index.corpus.model import Corpus, Source
from index.corpus.records import Known, file_sha, reuse, stored
from index.corpus.sources import load_source, load_sources
from index.corpus.timeline import load_timeline

__all__ = ["load_corpus"]

# rel -> (stat signature, SHA-256) of the files a build may take unread (``FolderReader.take_unread``)
Signed = Mapping[str, tuple[tuple[int, ...], str]]

# Reads a whole file. A seam for tests that make the root vanish mid-load: they replace
# ``index.corpus.loader.read_file``, which every load looks up here at each read.
read_file = read_bytes


# Files larger than this are refused unread (bot.config's max_source_bytes sets it for the bot).
DEFAULT_MAX_SOURCE_BYTES = 4_000_000
# A corpus larger than this keeps no text in memory: each source's text is read from its file
# when used (``index.corpus.records.StoredSource``) and served only while the file is unchanged.
LAZY_BYTES = 64_000_000
HASH_BATCH = 64   # files read, then hashed together on two threads


def load_corpus(root: Path | str, max_source_bytes: int | None = DEFAULT_MAX_SOURCE_BYTES,
                settle_seconds: float = 0.0, known: Known | None = None, lazy: bool = False,
                signed: Signed | None = None) -> Corpus:
    """Load and validate the corpus at ``root``; raise ``CorpusError`` listing every issue.

    A file over ``max_source_bytes`` is an issue (``None``: no limit). With ``settle_seconds``
    the files are looked at again that long after their latest change, and one that changed is
    an issue (``index.corpus.files``): the bot's reloads use it, so a file being rewritten in
    place is not served half-written.

    ``signed`` (with ``known``; used only for a corpus loaded ``lazy``): a source file that still
    has the stat signature recorded with its SHA-256 is taken from its record unread. A build in
    a child process (``index.rebuild``) and a start use it; a reload and ``python -m bot build``
    read every byte. Safe to serve because such a corpus keeps no text: each passage's bytes are
    read when it is quoted and served only if they have the digest of the validated text
    (``index.corpus.records.StoredSource``)."""
    given = Path(root)
    path = Path(os.path.abspath(given))
    log = IssueLog(path.name or str(given))
    try:
        return _load(path, log, max_source_bytes, settle_seconds, known, lazy, signed)
    except CorpusError:
        raise
    except OSError as exc:  # anything the per-file handling missed
        log.err(None, 0, f"cannot read corpus: {exc.strerror or exc}")
        raise CorpusError(log.sorted()) from None


def _load(root: Path, log: IssueLog, max_bytes: int | None, settle_seconds: float,
          known: Known | None, lazy: bool = False, signed: Signed | None = None) -> Corpus:
    reader = FolderReader(root, log, read_bytes=lambda path: read_file(path), max_bytes=max_bytes)
    reader.check_root()

    names = reader.source_names()
    raw_sources = [(f"sources/{n}", root / "sources" / n) for n in names]
    lazy = lazy or _size(raw_sources) > LAZY_BYTES
    # entities first: sources' "about" refers to them, and a large corpus's source known from the
    # index is taken as it is read, its bytes let go at once (never the whole corpus in memory)
    entities, entity_ids = load_entities(log, reader.read_optional("entities.yaml"))
    taken = _taker(log.label, reuse(known, entity_ids, True), entity_ids) if lazy else None
    source_data, premade = _read_sources(reader, raw_sources, taken, signed if taken else None)
    timeline_data = reader.read_optional("timeline.yaml")
    if settle_seconds:
        reader.settle(settle_seconds)
    if not is_dir(root):
        log.err(None, 0, "corpus folder disappeared while loading")

    if not names:
        log.err(None, 0, "corpus has no sources (no sources/*.md files)")

    for f in reader.files:
        f.sha = f.sha or file_sha(f.data)
    hashes = {f.rel: f.sha for f in reader.files}
    shortcut = (lambda rel, path, data, sha: premade.get(rel)) if lazy else reuse(known, entity_ids, lazy)
    sources, broken = load_sources(log, source_data, entity_ids, hashes, shortcut)
    timeline = load_timeline(log, timeline_data, sources, broken)

    if log.issues:
        raise CorpusError(log.sorted())
    if lazy:
        sources = {sid: stored(s, hashes[f"sources/{s.path.name}"]) for sid, s in sources.items()}
    stable = reader.stable()
    return Corpus(
        root=root,
        sources=tuple(sorted(sources.values(), key=lambda s: s.id)),
        timeline=tuple(timeline),
        entities=tuple(entities),
        content_hash=_content_hash(reader.files),
        source_hashes={s.id: hashes[f"sources/{s.path.name}"] for s in sources.values()},
        source_stats={s.id: stable[rel] for s in sources.values() if (rel := f"sources/{s.path.name}") in stable},
    )


def _taker(label: str, known, entity_ids: set[str] | None):
    """A large corpus's sources as they are read: known from the index, or parsed now and kept
    without their text (a source with any issue is left for the full pass, which reports it)."""

    def take(rel: str, path: Path, data: bytes | None, sha: str, size: int | None = None) -> Source | None:
        src = known(rel, path, data, sha, size) if known else None
        if src is None and data is not None:
            scratch = IssueLog(label)
            src, _, _ = load_source(scratch, rel, path, path.name[:-len(".md")], data, entity_ids)
            src = stored(src, sha) if src is not None and not scratch.issues else None
        return src

    return take


def _read_sources(reader: FolderReader, raw_sources: list[tuple[str, Path]], taken, signed: Signed | None):
    """``(rel, path, bytes or None)`` of each source, read in order and hashed a batch at a time
    on two threads; with ``taken``, the sources known from the index by path and hash (or parsed
    as they come), their bytes let go (b""); with ``signed``, those known by their stat
    signature too, unread."""
    source_data, premade = [], {}
    with ThreadPoolExecutor(2) as pool:   # hashlib lets go of the GIL
        for start in range(0, len(raw_sources), HASH_BATCH):
            batch = []
            for rel, path in raw_sources[start:start + HASH_BATCH]:
                if signed and (src := reader.take_unread(rel, path, signed.get(rel),
                                                         lambda f: taken(f.rel, f.path, None, f.sha, f.size))):
                    premade[rel] = src
                    batch.append((rel, path, b"", None))
                    continue
                data = reader.read(rel, path)
                batch.append((rel, path, data, reader.files[-1] if data is not None else None))
            read = [f for *_, f in batch if f is not None]
            for f, sha in zip(read, pool.map(file_sha, (f.data for f in read)), strict=True):
                f.sha = sha
            for rel, path, data, f in batch:
                if taken and f is not None and (src := taken(rel, path, data, f.sha)):
                    premade[rel] = src
                    f.data = data = b""
                source_data.append((rel, path, data))
    return source_data, premade


def _size(files: list[tuple[str, Path]]) -> int:
    total = 0
    for _, path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
    return total


def _content_hash(files: list[CorpusFile]) -> str:
    """SHA-256 over every file read, by name: each name length-prefixed, then the content's
    length and SHA-256 (so each file is hashed once, and its hash names it for reuse)."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.rel):
        name = f.rel.encode("utf-8")
        h.update(len(name).to_bytes(8, "big") + name)
        h.update(f.size.to_bytes(8, "big"))
        h.update(bytes.fromhex(f.sha))
    return h.hexdigest()


