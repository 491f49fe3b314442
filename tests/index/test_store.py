"""The persisted index: immutable self-verifying versions, reused for the same corpus, rebuilt
(never trusted) otherwise, private to the process once loaded."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from index import engine, folders, store
from index.bm25.formula import DEFAULT_B, DEFAULT_K1
from index.engine import Index
from index.snapshot import version
from tests.conftest import ROOT
from tests.support.store_race import twin_corpus


def results(index, question="Who was John Rabe?"):
    return [(h.passage.id, round(h.bm25, 6), sorted(h.matched)) for h in index.retrieve(question, 10).candidates]


def version_dir(cache, corpus):
    home = store.corpus_store(cache, corpus)
    return home / "versions" / (home / store.CURRENT).read_text().strip()


def test_round_trip_reuses_the_saved_index(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = Index.from_dir(corpus, cache_dir=cache)
    assert not first.loaded_from_cache
    manifest = json.loads((version_dir(cache, corpus) / store.MANIFEST).read_text())
    assert manifest["corpus_hash"] == first.corpus.content_hash
    assert manifest["counts"]["passages"] == len(first.passages)
    folder = version_dir(cache, corpus)
    assert set(manifest["files"]) == {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                                      if p.is_file() and p.name != store.MANIFEST}
    assert {"bm25/doc_ids.npy", "snapshot/rows_start.npy", "snapshot/sources.json"} <= set(manifest["files"])
    second = Index.from_dir(corpus, cache_dir=cache)
    assert second.loaded_from_cache
    for q in ("Who was John Rabe?", "when did japan attack shanghai", "noble samurai"):
        assert results(first, q) == results(second, q)


def test_changed_corpus_rebuilds(corpus, tmp_path):
    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA new closing paragraph about zeppelins.\n", encoding="utf-8")
    rebuilt = Index.from_dir(corpus, cache_dir=cache)
    assert not rebuilt.loaded_from_cache
    assert rebuilt.retrieve("zeppelins", 10).candidates
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache


def test_a_changed_thesaurus_rebuilds_even_if_the_version_was_not_bumped(corpus, tmp_path, monkeypatch):
    """An index holds the terms of the tokenizer that built it: one built before a thesaurus group
    changed ("stay" joined "remain") is not served with the new tokenizer, whether or not
    TOKENIZER_VERSION was bumped."""
    from index.text import synonyms, tables

    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache
    monkeypatch.setitem(synonyms.SYNONYMS, "stayed", "remain")
    assert tables.tables_digest() != store.TOKENIZER_TABLES
    monkeypatch.setattr(store, "TOKENIZER_TABLES", tables.tables_digest())
    assert not Index.from_dir(corpus, cache_dir=cache).loaded_from_cache


def test_each_corpus_gets_its_own_folder(corpus, tmp_path):
    cache = tmp_path / "cache"
    other = twin_corpus(corpus, tmp_path / "other")
    Index.from_dir(corpus, cache_dir=cache)
    Index.from_dir(other, cache_dir=cache)
    assert store.corpus_store(cache, corpus) != store.corpus_store(cache, other)
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache
    assert Index.from_dir(other, cache_dir=cache).loaded_from_cache


def _version_files(cache, corpus):
    folder = version_dir(cache, corpus)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_byte_edit_anywhere_in_a_version_is_refused(corpus, tmp_path, where):
    cache = tmp_path / "cache"
    good = results(Index.from_dir(corpus, cache_dir=cache))
    names = _version_files(cache, corpus)
    assert {"manifest.json", "bm25/vocab.json", "bm25/bm25.json", "bm25/doc_ids.npy"} <= set(names)
    for name in names:
        path = version_dir(cache, corpus) / name
        original = path.read_bytes()
        data = bytearray(original)
        at = {"start": 0, "middle": len(data) // 2, "end": len(data) - 2}[where]
        data[at] = (data[at] + 1) % 256 if chr(data[at]) not in "\"\\" else ord("x")
        path.write_bytes(bytes(data))
        again = Index.from_dir(corpus, cache_dir=cache)  # rebuilt and published anew
        assert not again.loaded_from_cache, name
        assert results(again) == good
        assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache


@pytest.mark.parametrize("damage", ["truncate_array", "delete_array", "garbage_manifest", "no_manifest",
                                    "garbage_current", "no_current", "current_to_nowhere", "foreign_bm25"])
def test_damaged_or_foreign_index_is_rebuilt(corpus, tmp_path, damage):
    cache = tmp_path / "cache"
    good = results(Index.from_dir(corpus, cache_dir=cache))
    version = version_dir(cache, corpus)
    arrays = sorted((version / store.SCORER_DIR).glob("*.npy"))
    current = store.corpus_store(cache, corpus) / store.CURRENT
    if damage == "truncate_array":
        data = arrays[0].read_bytes()
        arrays[0].write_bytes(data[: len(data) // 2])
    elif damage == "delete_array":
        arrays[-1].unlink()
    elif damage == "garbage_manifest":
        (version / store.MANIFEST).write_bytes(b"\xff\xfe not json")
    elif damage == "no_manifest":
        (version / store.MANIFEST).unlink()
    elif damage == "garbage_current":
        current.write_text("../../etc\n")
    elif damage == "no_current":
        current.unlink()
    elif damage == "current_to_nowhere":
        current.write_text("0" * 32 + "\n")
    elif damage == "foreign_bm25":  # another corpus's arrays, same passage count, under this manifest
        other = twin_corpus(corpus, tmp_path / "other")
        Index.from_dir(other, cache_dir=cache)
        shutil.rmtree(version / store.SCORER_DIR)
        shutil.copytree(version_dir(cache, other) / store.SCORER_DIR, version / store.SCORER_DIR)
    again = Index.from_dir(corpus, cache_dir=cache)
    assert not again.loaded_from_cache
    assert results(again) == good
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache  # and the rebuilt one is saved


@pytest.mark.parametrize("change", ["overwrite_doc_ids", "truncate_doc_ids", "copy_other_index"])
def test_files_changed_in_place_after_loading_change_nothing(corpus, tmp_path, change):
    """The served snapshot holds private, verified bytes: a `cp`/`rsync --inplace` restore or a
    truncation of the version's files cannot crash it or change its answers (a memory map did)."""
    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    served = Index.from_dir(corpus, cache_dir=cache)
    assert served.loaded_from_cache
    questions = ("Who was John Rabe?", "safety zone", "noble samurai", "Iris Chang")
    before = [results(served, q) for q in questions]
    version = version_dir(cache, corpus)
    doc_ids = version / "bm25" / "doc_ids.npy"
    if change == "overwrite_doc_ids":
        size = doc_ids.stat().st_size
        with open(doc_ids, "r+b") as f:  # in place: same inode, as `cp` onto it would
            f.seek(128)
            f.write(b"\x7f\xff\xff\x7f" * ((size - 128) // 4))
    elif change == "truncate_doc_ids":
        os.truncate(doc_ids, 128)
    else:
        other = twin_corpus(corpus, tmp_path / "other")
        Index.from_dir(other, cache_dir=cache)
        for src in (version_dir(cache, other) / "bm25").iterdir():
            with open(src, "rb") as s, open(version / "bm25" / src.name, "r+b") as d:
                d.truncate(0)
                d.write(s.read())
    assert [results(served, q) for q in questions] == before
    assert not Index.from_dir(corpus, cache_dir=cache).loaded_from_cache  # and it is refused on disk


def test_old_versions_are_swept_never_the_current_one(corpus, tmp_path):
    cache = tmp_path / "cache"
    index = Index.from_dir(corpus, cache_dir=cache)
    home = store.corpus_store(cache, corpus)
    parts, built = version.build(index.corpus, index.tokenizer, DEFAULT_K1, DEFAULT_B, None)
    ids = []
    for _ in range(store.KEEP_VERSIONS + 3):  # each save is a new version (its manifest has the time)
        version.save(cache, index.corpus, parts, built, index.counts, 0.0)
        ids.append((home / store.CURRENT).read_text().strip())
        time.sleep(0.01)
    left = sorted(p.name for p in (home / "versions").iterdir())
    assert len(set(ids)) == len(ids)
    assert sorted(ids[-store.KEEP_VERSIONS:]) == left
    assert not list((home / "tmp").iterdir())


def test_making_room_takes_old_versions_out_of_the_list_at_once_and_deletes_them_after(corpus, tmp_path):
    """A build retires the oldest version (a rename into tmp/) before it reads on, and deletes
    its files while it builds: a deletion cut short leaves garbage in tmp/ that the next sweep
    removes, never a half-deleted folder among the versions (its mtime would make it the newest)."""
    cache = tmp_path / "cache"
    index = Index.from_dir(corpus, cache_dir=cache)
    home = store.corpus_store(cache, corpus)
    parts, built = version.build(index.corpus, index.tokenizer, DEFAULT_K1, DEFAULT_B, None)
    for _ in range(store.KEEP_VERSIONS):
        time.sleep(0.01)
        version.save(cache, index.corpus, parts, built, index.counts, 0.0)
    oldest = min((home / "versions").iterdir(), key=lambda p: p.stat().st_mtime_ns)
    retired = store.make_room(home)
    assert len(retired) == 1 and retired[0].folder.parent == home / "tmp" and retired[0].folder.is_dir()
    assert not oldest.exists() and len(list((home / "versions").iterdir())) == store.KEEP_VERSIONS - 1
    # while its deleter lives, no other sweep deletes it too (the publishing save's, under the lock)
    version.save(cache, index.corpus, parts, built, index.counts, 0.0)
    assert retired[0].folder.is_dir()
    os.close(retired[0].lock_fd)                     # the deleter killed before it was done
    version.save(cache, index.corpus, parts, built, index.counts, 0.0)   # the next save sweeps it
    assert not list((home / "tmp").iterdir())
    retired = store.make_room(home)
    folders.remove(retired)
    assert not list((home / "tmp").iterdir())


KILLED_WRITER = """
import sys, time
from pathlib import Path
from index.bm25.scorers import FastBM25
from index.engine import Index

real_save = FastBM25.save
def slow_save(self, directory):
    real_save(self, directory)
    print("written", flush=True)
    time.sleep(60)
FastBM25.save = slow_save
Index.from_dir(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
"""


def test_a_writer_killed_mid_build_leaves_garbage_that_the_next_save_sweeps(corpus, tmp_path):
    cache = tmp_path / "cache"
    home = store.corpus_store(cache, corpus)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(corpus), str(cache)],
                            stdout=subprocess.PIPE, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert proc.stdout.readline().strip() == b"written"
        Index.from_dir(corpus, cache_dir=cache)          # a save while that writer is alive:
        assert len([p for p in (home / "tmp").iterdir() if p.is_dir()]) == 1  # its folder stays
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
        proc.wait()
    assert [p for p in (home / "tmp").iterdir() if p.is_dir()]      # the garbage kill -9 left
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    Index.from_dir(corpus, cache_dir=cache)                          # the next save sweeps it
    assert not list((home / "tmp").iterdir())


def test_unwritable_cache_is_only_a_warning(corpus, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    index = Index.from_dir(corpus, cache_dir=blocker / "cache")
    assert index.retrieve("John Rabe", 10).candidates
    assert "could not save the index" in caplog.text


def test_the_published_version_is_opened_while_the_corpus_is_read(corpus, tmp_path, monkeypatch):
    """The version's files are hashed and its postings checked beside the corpus's reading:
    the corpus is read here only once ``prepare`` has started on its own thread."""
    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    started, real_prepare, real_load = threading.Event(), version.prepare, engine.load_corpus
    seen = {}

    def prepare(*args):
        seen["thread"] = threading.current_thread()
        started.set()
        return real_prepare(*args)

    def load_corpus(*args, **kwargs):
        assert started.wait(10), "the version was not being opened while the corpus was read"
        return real_load(*args, **kwargs)

    monkeypatch.setattr(version, "prepare", prepare)
    monkeypatch.setattr(engine, "load_corpus", load_corpus)
    index = Index.from_dir(corpus, cache_dir=cache)
    assert index.loaded_from_cache and seen["thread"] is not threading.current_thread()
    assert results(index) == results(Index.from_dir(corpus))


def test_a_version_opened_early_is_not_served_when_the_corpus_changed_meanwhile(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    real_load, doc = engine.load_corpus, corpus / "sources" / "film-city-of-life-and-death.md"

    def edited_then_read(*args, **kwargs):   # the edit lands after the version was chosen
        doc.write_text(doc.read_text(encoding="utf-8") + "\nA closing paragraph about zeppelins.\n",
                       encoding="utf-8")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(engine, "load_corpus", edited_then_read)
    index = Index.from_dir(corpus, cache_dir=cache)
    assert not index.loaded_from_cache
    assert [h.passage.text for h in index.retrieve("zeppelins", 3).candidates][:1] == \
        ["A closing paragraph about zeppelins."]
