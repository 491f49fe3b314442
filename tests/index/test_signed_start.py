"""A start (and ``ask``) of a large corpus takes the source files whose stat signature is the one
the published version recorded with their SHA-256 unread: each passage's bytes are checked
against their digest when it is quoted, so even a signature that lies never gets a changed byte
quoted; a reload and ``python -m bot build`` still read every byte."""
import io

import pytest

from bot import cli
from index.corpus import files, loader
from index.engine import Index
from index.live import LiveIndex
from tests.support.corpus_edits import forged_edit

DOC = "film-city-of-life-and-death.md"


@pytest.fixture
def large(monkeypatch):
    """Every corpus counts as large (no text kept in memory), every file as stable."""
    monkeypatch.setattr(loader, "LAZY_BYTES", 0)
    monkeypatch.setattr(files, "STABLE_SECONDS", 0.0)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the source files read whole from now on."""
    seen: list[str] = []
    monkeypatch.setattr(loader, "read_file", lambda path: seen.append(path.name) or files.read_bytes(path))
    return seen


def sources_read(seen: list[str]) -> list[str]:
    return [n for n in seen if n.endswith(".md")]


def publish(corpus, cache) -> None:
    """Build and publish the corpus's index version here (a child build runs in a process of
    its own, which records no signature for files changed in its last 2 s)."""
    Index.from_dir(corpus, cache_dir=cache, semantic=False)


def test_a_start_reads_no_source_whose_signature_is_unchanged(corpus, tmp_path, large, reads):
    publish(corpus, tmp_path / "index")
    reads.clear()
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    assert live.load().loaded_from_cache
    assert sources_read(reads) == []
    assert "Rabe" in live.current.retrieve("John Rabe", 3).candidates[0].passage.text


def test_a_start_reads_the_source_that_changed_and_serves_its_new_text(corpus, tmp_path, large, reads):
    publish(corpus, tmp_path / "index")
    changed = corpus / "sources" / DOC
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe quokka archive opened.\n", encoding="utf-8")
    reads.clear()
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    live.load()
    assert sources_read(reads) == [DOC]
    assert live.current.corpus.content_hash == loader.load_corpus(corpus).content_hash
    assert "quokka" in live.current.retrieve("quokka archive", 3).candidates[0].passage.text


def test_a_lying_signature_at_start_never_gets_a_changed_byte_quoted(corpus, tmp_path, large, monkeypatch):
    # a file system whose ctime never moves (a clock set back could do as much): a file
    # rewritten in place with its mtime put back keeps its signature
    monkeypatch.setattr(files, "_signature", lambda st: (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, 0))
    publish(corpus, tmp_path / "index")
    forged_edit(corpus / "sources" / DOC, "soldiers", "zeppelin")
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    assert live.load().loaded_from_cache   # the signature was trusted
    texts = [c.passage.text for c in live.current.retrieve("soldiers", 50).candidates]
    assert not any("zeppelin" in t for t in texts)   # the edited passage is skipped, never quoted
    assert any("soldiers" in t for t in texts)       # the others still are
    report = live.reload()   # a reload reads every byte
    assert report.ok
    assert any("zeppelin" in c.passage.text for c in live.current.retrieve("zeppelin", 10).candidates)


def test_ask_takes_unchanged_sources_unread_and_build_reads_every_byte(corpus, tmp_path, large, reads, monkeypatch):
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("BOT_SEMANTIC", "off")
    out = io.StringIO()
    assert cli.main(["build", "--corpus", str(corpus)], out=out) == 0
    assert len(sources_read(reads)) == len(list((corpus / "sources").glob("*.md")))
    reads.clear()
    assert cli.main(["build", "--corpus", str(corpus)], out=out) == 0
    assert "up to date" in out.getvalue().splitlines()[-1]
    assert len(sources_read(reads)) == len(list((corpus / "sources").glob("*.md")))   # build: every byte
    reads.clear()
    out = io.StringIO()
    assert cli.main(["ask", "Who was John Rabe?", "--corpus", str(corpus)], out=out) == 0
    assert sources_read(reads) == [] and "Rabe" in out.getvalue()


def test_index_from_dir_reads_every_byte_unless_told_to_trust_signatures(corpus, tmp_path, large, reads):
    Index.from_dir(corpus, cache_dir=tmp_path / "index", semantic=False)
    reads.clear()
    assert Index.from_dir(corpus, cache_dir=tmp_path / "index", semantic=False).loaded_from_cache
    assert len(sources_read(reads)) == len(list((corpus / "sources").glob("*.md")))
    reads.clear()
    assert Index.from_dir(corpus, cache_dir=tmp_path / "index", semantic=False, signed=True).loaded_from_cache
    assert sources_read(reads) == []


def test_adopting_another_process_s_version_takes_unchanged_sources_unread(corpus, tmp_path, large, reads):
    follower = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    follower.load()
    changed = corpus / "sources" / DOC
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe quokka archive opened.\n", encoding="utf-8")
    publish(corpus, tmp_path / "index")   # "another process" built and published the new corpus
    new_hash = loader.load_corpus(corpus).content_hash
    reads.clear()
    report = follower.adopt(new_hash)
    assert report.ok and follower.current.loaded_from_cache and sources_read(reads) == []
    assert "quokka" in follower.current.retrieve("quokka archive", 3).candidates[0].passage.text
