"""LiveIndex.adopt: swap to the version another process published, never build one."""
import shutil

import pytest

from index import store
from index.live import LiveIndex
from tests.conftest import CORPUS
from tests.support.corpus_edits import NEW_PHRASE, add_source


@pytest.fixture
def shared(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus, tmp_path / "index"


@pytest.fixture
def served(shared):
    """A live index on those folders, loaded: (corpus folder, live index, the snapshot it serves)."""
    corpus, index_dir = shared
    live = LiveIndex(corpus, cache_dir=index_dir)
    return corpus, live, live.load()


def _texts(live):
    return " ".join(p.text for p in live.current.passages)


def test_adopts_the_version_another_process_published(shared):
    corpus, index_dir = shared
    builder, follower = LiveIndex(corpus, cache_dir=index_dir), LiveIndex(corpus, cache_dir=index_dir)
    builder.load()
    follower.load()
    add_source(corpus)
    assert builder.reload().ok
    new_hash = builder.current.corpus.content_hash
    report = follower.adopt(new_hash)
    assert report.ok and report.after["sources"] == report.before["sources"] + 1
    # loaded, not built: the version the builder published
    assert follower.current.corpus.content_hash == new_hash and follower.current.loaded_from_cache
    assert NEW_PHRASE in _texts(follower)
    again = follower.adopt(new_hash)
    assert again.ok and again.after == again.before and again.seconds == 0


def test_refuses_when_the_folder_moved_on(served):
    corpus, live, first = served
    add_source(corpus)
    report = live.adopt("0" * 64)
    assert not report.ok and "not the announced" in report.errors[0]
    assert live.current is first


def test_refuses_when_nothing_was_published(served):
    corpus, live, first = served
    add_source(corpus)
    from index.corpus.loader import load_corpus

    new_hash = load_corpus(corpus).content_hash
    report = live.adopt(new_hash)  # the folder holds it, but nobody built its index
    assert not report.ok and "no published index version" in report.errors[0]
    assert live.current is first
    assert store.current_manifest(store.corpus_store(live.cache_dir, corpus))["corpus_hash"] != new_hash


def test_refuses_without_an_index_folder(shared):
    corpus, _ = shared
    live = LiveIndex(corpus)
    live.load()
    report = live.adopt("1" * 64)
    assert not report.ok and "no index folder" in report.errors[0]


def test_a_broken_corpus_is_reported_and_changes_nothing(served):
    corpus, live, first = served
    (corpus / "timeline.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    report = live.adopt("2" * 64)
    assert not report.ok and "timeline.yaml" in report.errors[0]
    assert live.current is first


def test_refused_after_shutdown(served):
    _, live, _ = served
    live.cancel()
    report = live.adopt("3" * 64)
    assert not report.ok and "shutting down" in report.errors[0]


def test_an_unexpected_fault_is_a_failed_report(served, monkeypatch):
    _, live, first = served

    def broken(*args):
        raise OSError("disk gone")

    monkeypatch.setattr("index.live.load_published", broken)
    report = live.adopt("4" * 64)
    assert not report.ok and report.errors == ("OSError: disk gone",) and live.current is first


def test_a_version_without_passages_is_refused_as_a_reload_would(served, monkeypatch):
    _, live, first = served

    class Empty:
        passages = ()

    monkeypatch.setattr("index.live.load_published", lambda *args: Empty())
    report = live.adopt("6" * 64)
    assert not report.ok and "corpus has no passages" in report.errors[0] and live.current is first


async def test_a_waiting_adopt_async_is_answered_at_shutdown(served, monkeypatch):
    import asyncio
    import threading

    _, live, first = served
    loading, release = threading.Event(), threading.Event()

    def slow(*args):
        loading.set()
        release.wait(10)
        raise OSError("too late")

    monkeypatch.setattr("index.live.load_published", slow)
    waiting = asyncio.ensure_future(live.adopt_async("5" * 64))
    try:
        assert await asyncio.to_thread(loading.wait, 10)
        live.cancel()
        report = await asyncio.wait_for(waiting, 1)  # not held until the load ends
        assert not report.ok and "shutting down" in report.errors[0] and live.current is first
    finally:
        release.set()
