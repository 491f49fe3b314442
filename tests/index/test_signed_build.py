"""A reload's build takes the files whose stat signature is unchanged unread (``--signed``); the
serving process still reads and hashes every byte, so a signature that lies is caught there and
the version built from it is never served."""
import os
import time

import index.rebuild
from index import store
from index.corpus import files, loader
from index.corpus.loader import load_corpus
from index.live import LiveIndex
from index.rebuild import ChildBuild
from index.snapshot import version
from tests.support.corpus_edits import forged_edit

DOC = "film-city-of-life-and-death.md"
# The child as ``index.rebuild`` runs it, every file counted as unchanged for long enough, and,
# with --signed, a file system whose ctime never moves (a clock set back could do as much):
# a file rewritten in place with its mtime put back by ``os.utime`` keeps its signature.
FORGING_CHILD = """
import sys
import index.corpus.files as f
f.STABLE_SECONDS = 0.0
if "--signed" in sys.argv:
    f._signature = lambda st: (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, 0)
{extra}
from index.rebuild import main
sys.exit(main(sys.argv[1:]))
"""


def starts(monkeypatch) -> list[bool]:
    """The ``signed`` flag of every child build started from now on."""
    seen = []
    real = ChildBuild.start

    def start(self, root, index_dir, max_source_bytes, corpus_hash, signed=True):
        seen.append(signed)
        real(self, root, index_dir, max_source_bytes, corpus_hash, signed)

    monkeypatch.setattr(ChildBuild, "start", start)
    return seen


def test_a_lying_signature_is_caught_by_the_parent_and_the_build_is_done_again_from_every_byte(
        corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(index.rebuild, "CHILD", ["-c", FORGING_CHILD.format(extra="")])
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    assert live.load().loaded_from_cache
    seen = starts(monkeypatch)
    forged_edit(corpus / "sources" / DOC, "soldiers", "zeppelin")
    report = live.reload()
    assert seen == [True, False]   # the signed build was refused, the second one read every byte
    assert report.ok and live.current.loaded_from_cache
    assert live.current.retrieve("zeppelin", 10).candidates
    home = store.corpus_store(tmp_path / "index", corpus)
    assert store.current_manifest(home)["corpus_hash"] == live.current.corpus.content_hash


def test_a_version_built_from_a_lying_signature_is_never_served(corpus, tmp_path, monkeypatch):
    # the second child (every byte read) cannot run: the parent builds here, from what it read
    refuse_unsigned = 'if "--signed" not in sys.argv: sys.exit("no second build")'
    monkeypatch.setattr(index.rebuild, "CHILD", ["-c", FORGING_CHILD.format(extra=refuse_unsigned)])
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    live.load()
    forged_edit(corpus / "sources" / DOC, "soldiers", "zeppelin")
    served_before = live.current
    report = live.reload()
    assert report.ok and live.current is not served_before
    assert not live.current.loaded_from_cache   # the forged version published by the child was refused
    assert live.current.retrieve("zeppelin", 10).candidates
    text = live.current.corpus.source_by_id[DOC[:-3]].text
    assert "zeppelin" in text


def test_a_signed_load_reads_only_the_files_whose_signature_changed(corpus, monkeypatch):
    monkeypatch.setattr(files, "STABLE_SECONDS", 0.0)
    first = load_corpus(corpus, lazy=True)
    by_rel = {f"sources/{s.path.name}": s for s in first.sources}
    assert set(first.source_stats) == {s.id for s in first.sources}
    known, signed = _inputs(first)
    changed = corpus / "sources" / DOC
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    read = []
    monkeypatch.setattr(loader, "read_file", lambda path: read.append(path.name) or files.read_bytes(path))
    again = load_corpus(corpus, lazy=True, known=known, signed=signed)
    assert [n for n in read if n.endswith(".md")] == [DOC]
    assert again.source_by_id[DOC[:-3]].text.endswith("A new paragraph.\n")
    assert again.content_hash == load_corpus(corpus).content_hash
    assert set(by_rel) == {f"sources/{s.path.name}" for s in again.sources}
    # the files taken unread keep their signature, so the next build leaves them unread too
    assert {i: again.source_stats[i] for i in first.source_stats if i != DOC[:-3]} == \
        {i: sig for i, sig in first.source_stats.items() if i != DOC[:-3]}
    assert again.source_stats[DOC[:-3]] != first.source_stats[DOC[:-3]]


def _inputs(corpus):
    from index.corpus.records import record_of

    known = {(f"sources/{s.path.name}", corpus.source_hashes[s.id]): record_of(s) for s in corpus.sources}
    signed = {f"sources/{s.path.name}": (corpus.source_stats[s.id], corpus.source_hashes[s.id])
              for s in corpus.sources}
    return known, signed


def test_a_file_changed_just_before_the_load_gets_no_signature_whatever_its_mtime(corpus, monkeypatch):
    monkeypatch.setattr(files, "STABLE_SECONDS", 0.0)
    assert set(load_corpus(corpus).source_stats) == {p.name[:-3] for p in (corpus / "sources").glob("*.md")}
    monkeypatch.setattr(files, "STABLE_SECONDS", 3600.0)   # "just before": the last hour
    a_day_ago = time.time_ns() - 86_400 * 10**9
    for path in (corpus / "sources").glob("*.md"):
        os.utime(path, ns=(a_day_ago, a_day_ago))
    assert load_corpus(corpus).source_stats == {}   # their ctime is now: utime cannot set it back


def test_making_room_before_a_build_leaves_the_current_version_and_one_more(corpus, tmp_path):
    from index.engine import Index

    cache = tmp_path / "cache"
    index = Index.from_dir(corpus, cache_dir=cache)
    home = store.corpus_store(cache, corpus)
    parts, built = version.build(index.corpus, index.tokenizer, index.scorer.k1, index.scorer.b, None)
    for _ in range(store.KEEP_VERSIONS):
        time.sleep(0.01)   # each save is a new version (its manifest has the time)
        version.save(cache, index.corpus, parts, built, index.counts, 0.0)
    assert len(list((home / "versions").iterdir())) == store.KEEP_VERSIONS
    current = (home / store.CURRENT).read_text().strip()
    store.make_room(home)
    left = {p.name for p in (home / "versions").iterdir()}
    assert len(left) == store.KEEP_VERSIONS - 1 and current in left
    version.save(cache, index.corpus, parts, built, index.counts, 0.0)
    assert len(list((home / "versions").iterdir())) == store.KEEP_VERSIONS
