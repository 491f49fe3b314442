"""The persisted index: immutable, self-verifying versions of a corpus's BM25 arrays.

Layout (one folder per corpus folder under ``index_dir``, see :func:`corpus_store`)::

    <index_dir>/<16 hex of the corpus folder's real path>/
        CURRENT                 the published version's id (replaced atomically)
        lock                    flock held while a version is published and old ones swept
        versions/<id>/          immutable: manifest.json + bm25/ (FastBM25.save's files)
        tmp/<name>/             a version being written; tmp/<name>.lock is flocked by its writer

``manifest.json`` records the corpus hash the version was built from, the tokenizer and format
versions, counts, and the SHA-256 and size of every other file of the version (the passages'
rows among them); the version's id is the SHA-256 of the manifest's bytes. So CURRENT
names one manifest, the manifest names every byte, and an edit anywhere is caught.

A reader reads CURRENT once, reads each listed file once (on two threads), checks its hash and
then builds the scorer from those same private bytes (``FastBM25.load(blobs=...)``): nothing on
disk can change under the serving process afterwards (no memory maps; a rewrite in place, a
truncation, another index copied over this one change only files nobody reads any more). Files
the bot does not serve from (the next build's cache) are hashed as they are read, then dropped;
a build maps the ones it reuses instead (``load_files(mapped=True)``), never what is served.
Integrity costs about half a second per GB at each start (a million passages: ~0.5 GB); the
alternative, trusting file sizes and times, would let a copied-over or bit-rotten file be served.
Anything that does not match exactly (another corpus, another tokenizer, a changed byte, a
version swept away meanwhile) raises :class:`StaleIndex`, and the caller rebuilds.

A writer writes a fresh ``tmp/`` folder (fsynced), then, under ``lock``, renames it into
``versions/``, replaces CURRENT (temp file + fsync + ``os.replace``) and sweeps: versions
beyond the newest ``KEEP_VERSIONS`` (never CURRENT) and ``tmp/`` folders whose writer is gone
(its flock released: a crash or ``kill -9``); a build in a child process sweeps ahead, while it
reads the corpus, down to one version fewer (``make_room``), so that publishing removes nothing.
Two writers never share a folder and publish one at a time, so a reader sees one whole version
or the previous one, never a mix.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from index.bm25.files import IndexFormatError
from index.bm25.scorers import FastBM25
from index.folders import (
    VERSION_ID,
    Retired,
    fsync_path,
    hash_and_sync,
    hash_file,
    locked,
    map_whole,
    retire,
    sweep,
    temp_folder,
)
from index.text.tables import TOKENIZER_TABLES

log = logging.getLogger(__name__)

FORMAT = "nanking-index"
VERSION = 6             # 3: snapshot/ files (passages as arrays, build cache); 4: passage places;
                        # 5: BM25 weights computed at load, not stored; 6: a source's own attribution
# Bump when tokenizer code, passage cutting or scoring changes what an index holds (word tables: index.text.tables).
TOKENIZER_VERSION = 18  # 3: "febr" is February and passages are bounded; 4: CJK characters are words; 5: the
                        # corpus hash is over each file's SHA-256; 6: a name of several words is found with
                        # another spelling of a place in it; 7: "say" is a light word; 8: German and Spanish
                        # nationality adjectives, and a person's or place's name with an "s" ("Rabes"), are
                        # names; 9: the spelling words of names leave out their lower-case words; 10: "bombing"
                        # is "raid", "screened" is "shown"; 11: a person's own name word alone ("Minnie",
                        # "Masao") is the person; 12: numbers written in words are digits ("two hundred
                        # thousand" is "200000"); 13: "cast" is "actors"; 14: "female" is "woman", "decision"
                        # "decide", "sentenced" "punish"; 15: a city "fell" when it was "invaded"; 16: "stay"
                        # is "remain", "forced" is "compelled"; 17: not "remains" ("remains a divisive
                        # issue"); 18: a name written with brackets is found across them ("Nanking (2007)")
MANIFEST = "manifest.json"
SCORER_DIR = "bm25"
CURRENT = "CURRENT"
KEEP_VERSIONS = 3
MAX_MANIFEST_BYTES = 1 << 20
_FILE = re.compile(r"(?:bm25|snapshot)/[a-z0-9_]+\.(?:npy|json)")


class StaleIndex(Exception):
    """The stored index does not belong to this corpus or this code; rebuild it."""


@dataclass(frozen=True)
class Manifest:
    corpus_hash: str
    counts: dict[str, int]
    build_seconds: float
    built_at: float

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "tokenizer_version": TOKENIZER_VERSION,
                "tokenizer_tables": TOKENIZER_TABLES, "corpus_hash": self.corpus_hash,
                "counts": self.counts, "build_seconds": self.build_seconds, "built_at": self.built_at}


def corpus_store(index_dir: Path | str, corpus_root: Path | str) -> Path:
    """The folder under ``index_dir`` that holds the versions of the corpus at ``corpus_root``."""
    real = os.path.realpath(corpus_root)
    return Path(index_dir) / hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:16]


# -- writing ----------------------------------------------------------------------------

def save_version(directory: Path, write, manifest: Manifest, extra: dict | None = None) -> str:
    """Write a new version (``write(folder)`` puts its files there) and publish it; returns its
    id. Every file's SHA-256 is taken here and listed in the manifest."""
    directory = Path(directory)
    for sub in ("versions", "tmp"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    with temp_folder(directory / "tmp") as tmp:
        write(tmp)
        paths = sorted(p for p in tmp.rglob("*") if p.is_file())
        with ThreadPoolExecutor(2) as pool:   # hashing and fsync let go of the GIL: both cores work
            sums = list(pool.map(hash_and_sync, paths))
        files = {}
        for path, (digest, size) in zip(paths, sums, strict=True):
            files[path.relative_to(tmp).as_posix()] = {"sha256": digest, "bytes": size}
        body = dict(manifest.to_json(), **(extra or {}), files=files)
        manifest_bytes = (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")
        (tmp / MANIFEST).write_bytes(manifest_bytes)
        for path in (tmp / MANIFEST, *sorted({p.parent for p in tmp.rglob("*") if p.is_file()}, reverse=True)):
            fsync_path(path)
        vid = hashlib.sha256(manifest_bytes).hexdigest()[:32]
        with locked(directory):
            final = directory / "versions" / vid
            if not final.exists():
                os.rename(tmp, final)
                fsync_path(directory / "versions")
            _publish(directory, vid)
            sweep(directory, current=vid, keep=KEEP_VERSIONS)
    return vid


def make_room(directory: Path, keep: int = KEEP_VERSIONS) -> list[Retired]:
    """Before a new version is written: retire all but the newest ``keep - 1`` versions (never
    CURRENT), so that publishing it leaves ``keep`` and removes nothing. Returns the folders to
    delete with ``remove``: deleting a version's files takes a second at a million passages, and
    a build does it while it builds, outside the lock (the store no longer lists them)."""
    directory = Path(directory)
    if not (directory / "versions").is_dir():
        return []
    with locked(directory):
        try:
            current = _current_id(directory)
        except StaleIndex:
            current = None
        return retire(directory, current=current, keep=max(keep - 1, 1))


def _publish(directory: Path, vid: str) -> None:
    tmp = directory / f".{CURRENT}.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        with open(tmp, "w", encoding="ascii") as f:
            f.write(vid + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, directory / CURRENT)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_path(directory)


# -- reading ----------------------------------------------------------------------------

def current_manifest(directory: Path) -> dict | None:
    """The verified manifest of the published version, or None (none yet, or unsound)."""
    try:
        return _manifest(Path(directory), _current_id(Path(directory)))[1]
    except (StaleIndex, FileNotFoundError):
        return None


def load_files(directory: Path, corpus_hash: str | None, keep=lambda rel: True,
               check_all: bool = True, mapped: bool = False) -> tuple[Path, dict, dict[str, bytes]]:
    """The published version's folder, manifest and the bytes of its files that ``keep(rel)``,
    if built from this corpus (any, for ``None``) by this code and intact to the last byte:
    every file listed is read and its SHA-256 checked (the ones not kept are hashed as they are
    read and dropped; not read at all without ``check_all``, for a look at one small file).
    Raises StaleIndex otherwise.

    ``mapped``: the kept files are mapped read-only, not copied, and hashed through the map (a
    build's cache: hundreds of megabytes at a million passages, already in the page cache). Never
    for what a process serves: a file rewritten in place would change under it."""
    directory = Path(directory)
    for _ in range(3):  # the version read may be swept by a newer publish: read CURRENT again
        vid = _current_id(directory)
        try:
            folder, data = _manifest(directory, vid)
            if corpus_hash is not None and data.get("corpus_hash") != corpus_hash:
                raise StaleIndex(f"{folder}: built from another corpus")
            return folder, data, _verified(folder, data, keep, check_all, mapped)
        except FileNotFoundError:
            continue
    raise StaleIndex(f"{directory}: versions keep disappearing while being read")


def scorer_from(folder: Path, blobs: dict[str, bytes]) -> FastBM25:
    """The scorer of a version from its verified bytes (``snapshot.version.load`` checks that it
    has one document per passage)."""
    mine = {rel.split("/", 1)[1]: b for rel, b in blobs.items() if rel.startswith(SCORER_DIR + "/")}
    if not mine:
        raise StaleIndex(f"{folder}: no BM25 arrays")
    try:
        scorer = FastBM25.load(folder / SCORER_DIR, mmap=False, blobs=mine)
    except (IndexFormatError, ValueError) as exc:
        raise StaleIndex(f"{folder}: damaged ({exc})") from None
    return scorer


def _current_id(directory: Path) -> str:
    try:
        with open(directory / CURRENT, "rb") as f:
            raw = f.read(100)
    except FileNotFoundError:
        raise StaleIndex(f"{directory}: no index yet") from None
    except OSError as exc:
        raise StaleIndex(f"{directory}: unreadable {CURRENT} ({exc.strerror or exc})") from None
    vid = raw.decode("ascii", "replace").strip()
    if not VERSION_ID.fullmatch(vid):
        raise StaleIndex(f"{directory / CURRENT}: not a version id")
    return vid


def _manifest(directory: Path, vid: str) -> tuple[Path, dict]:
    folder = directory / "versions" / vid
    raw = _read_exact(folder / MANIFEST, None, MAX_MANIFEST_BYTES)
    if hashlib.sha256(raw).hexdigest()[:32] != vid:
        raise StaleIndex(f"{folder / MANIFEST}: does not match its version id (changed on disk)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StaleIndex(f"{folder / MANIFEST}: unreadable ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StaleIndex(f"{folder}: not an index of this bot")
    if (data.get("version") != VERSION or data.get("tokenizer_version") != TOKENIZER_VERSION
            or data.get("tokenizer_tables") != TOKENIZER_TABLES):
        raise StaleIndex(f"{folder}: built by another version")
    return folder, data


def _verified(folder: Path, data: dict, keep, check_all: bool = True, mapped: bool = False) -> dict[str, bytes]:
    files = data.get("files")
    if not isinstance(files, dict) or not files:
        raise StaleIndex(f"{folder / MANIFEST}: no file list")
    for rel, spec in files.items():
        if (not _FILE.fullmatch(rel) or not isinstance(spec, dict)
                or type(spec.get("bytes")) is not int or not isinstance(spec.get("sha256"), str)):
            raise StaleIndex(f"{folder / MANIFEST}: bad file entry {rel!r}")
    todo = sorted((rel, spec, keep(rel)) for rel, spec in files.items() if check_all or keep(rel))
    with ThreadPoolExecutor(2) as pool:  # reading and hashing let go of the GIL: both cores work
        found = list(pool.map(lambda item: _check(folder, *item, mapped), todo))
    return {rel: blob for (rel, _, kept), blob in zip(todo, found, strict=True) if kept}


def _check(folder: Path, rel: str, spec: dict, kept: bool, mapped: bool = False) -> bytes | None:
    """The file's bytes (None when not ``kept``) once its size and SHA-256 are the manifest's."""
    blob = None
    if kept:
        blob = _read_exact(folder / rel, spec["bytes"], mapped=mapped)
        digest = hashlib.sha256(blob).hexdigest()
    else:
        try:
            digest, size = hash_file(folder / rel)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StaleIndex(f"{folder / rel}: unreadable ({exc.strerror or exc})") from None
        if size != spec["bytes"]:
            raise StaleIndex(f"{folder / rel}: {size} bytes, the manifest says {spec['bytes']} (changed on disk)")
    if digest != spec["sha256"]:
        raise StaleIndex(f"{folder / rel}: changed since it was built")
    return blob


def _read_exact(path: Path, size: int | None, limit: int | None = None, mapped: bool = False) -> bytes:
    """The whole file, read once (or mapped, ``load_files``); StaleIndex if it is not ``size``
    bytes (or over ``limit``). FileNotFoundError passes through (a version swept while it was
    being read)."""
    try:
        with open(path, "rb") as f:
            data = map_whole(f) if mapped else f.read((size if size is not None else limit) + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise StaleIndex(f"{path}: unreadable ({exc.strerror or exc})") from None
    if size is not None and len(data) != size:
        raise StaleIndex(f"{path}: {len(data)} bytes, the manifest says {size} (changed on disk)")
    if limit is not None and len(data) > limit:
        raise StaleIndex(f"{path}: over {limit} bytes")
    return data
