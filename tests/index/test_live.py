"""The live index: atomic swaps, failed reloads keep the old snapshot, reloads serialize."""
import shutil
import threading

import pytest

from index.engine import Index
from index.live import LiveIndex
from tests.conftest import CORPUS


@pytest.fixture
def corpus_copy(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def test_reload_swaps_on_success(corpus_copy):
    live = LiveIndex(corpus_copy)
    first = live.load()
    report = live.reload()
    assert report.ok and report.before == report.after == first.counts
    assert live.current is not first


@pytest.mark.parametrize("breakage", ["bad_yaml", "missing_source", "empty", "latin1", "vanished"])
def test_failed_reload_keeps_serving(corpus_copy, breakage):
    live = LiveIndex(corpus_copy)
    first = live.load()
    if breakage == "bad_yaml":
        (corpus_copy / "timeline.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    elif breakage == "missing_source":
        (corpus_copy / "sources" / "documentary-nanking.md").unlink()
    elif breakage == "empty":
        for f in (corpus_copy / "sources").iterdir():
            f.unlink()
    elif breakage == "latin1":
        (corpus_copy / "sources" / "extra.md").write_bytes(b"---\nid: extra\n---\ncaf\xe9\n")
    elif breakage == "vanished":
        shutil.rmtree(corpus_copy)
    report = live.reload()
    assert not report.ok and report.errors
    assert all(":" in e for e in report.errors)
    assert live.current is first
    assert live.current.retrieve("John Rabe", 10).candidates


def test_concurrent_reloads_run_one_after_the_other(corpus_copy):
    active, peak = 0, 0
    lock = threading.Lock()

    def builder(root):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return Index.from_dir(root)
        finally:
            with lock:
                active -= 1

    live = LiveIndex(corpus_copy, builder=builder)
    live.load()
    threads = [threading.Thread(target=live.reload) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 1


def test_queries_in_flight_keep_their_snapshot(corpus_copy):
    live = LiveIndex(corpus_copy)
    snapshot = live.load()
    (corpus_copy / "sources" / "blog-truth-about-nanking.md").unlink()
    (corpus_copy / "timeline.yaml").write_text(
        "\n".join(row for row in (CORPUS / "timeline.yaml").read_text().splitlines()), encoding="utf-8")
    assert not live.reload().ok  # the timeline still points at the removed source
    assert snapshot.retrieve("samurai", 10).candidates  # the reader's snapshot is unchanged


@pytest.mark.parametrize("valid", [True, False])
def test_reload_leaves_nothing_frozen_for_the_collector(corpus_copy, valid):
    import gc

    live = LiveIndex(corpus_copy)
    live.load()
    if not valid:
        (corpus_copy / "timeline.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    assert live.reload().ok is valid
    assert gc.get_freeze_count() == 0


def _tracked(obj) -> bool:
    """Is ``obj`` among the objects the collector's passes scan (frozen ones are not)?"""
    import gc

    return any(o is obj for o in gc.get_objects())


def test_a_serving_live_index_keeps_its_snapshots_out_of_the_collectors_passes(corpus_copy):
    """In the serving process (``freeze=True``) what the load and each reload leave alive is frozen:
    a full pass of the collector, which holds the event loop for as long as it scans (about
    100 ms at a million passages), no longer scans the snapshot. A replaced snapshot is still
    freed: it holds no reference cycle, so it goes when its last reference does."""
    import gc
    import weakref

    live = LiveIndex(corpus_copy, freeze=True)
    first = live.load()
    assert not _tracked(first.corpus.sources)
    old = weakref.ref(first)
    del first
    source = corpus_copy / "sources" / "documentary-nanking.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nThe quokka archive was opened.\n", encoding="utf-8")
    gc.disable()
    try:
        assert live.reload().ok
        assert old() is None
    finally:
        gc.enable()
    assert not _tracked(live.current.corpus.sources)


def test_a_failed_reload_of_a_serving_live_index_leaves_its_build_to_the_collector(corpus_copy):
    live = LiveIndex(corpus_copy, freeze=True)
    live.load()
    built = []

    def failing(root):
        built.append(object.__new__(Index))   # what a build had made when it failed
        raise RuntimeError("a build that fails half way")

    live._builder = failing
    assert not live.reload().ok
    assert _tracked(built[0])


def test_reload_with_a_cache_builds_in_a_child_process_and_serves_the_verified_version(corpus_copy, tmp_path):
    from index import store

    live = LiveIndex(corpus_copy, cache_dir=tmp_path / "index", settle_seconds=0)
    first = live.load()
    assert first.loaded_from_cache  # built and published by `python -m index.rebuild`, then verified here
    doc = corpus_copy / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA paragraph about zeppelins.\n", encoding="utf-8")
    report = live.reload()
    assert report.ok and live.current.loaded_from_cache and live.current.retrieve("zeppelins", 10).candidates
    home = store.corpus_store(tmp_path / "index", corpus_copy)
    assert store.current_manifest(home)["corpus_hash"] == live.current.corpus.content_hash


def test_a_failing_child_build_falls_back_to_building_here(corpus_copy, tmp_path, monkeypatch):
    import index.rebuild

    monkeypatch.setattr(index.rebuild, "CHILD", ["-c", "import sys; sys.exit('boom')"])
    live = LiveIndex(corpus_copy, cache_dir=tmp_path / "index", settle_seconds=0)
    assert not live.load().loaded_from_cache  # built in this process, and saved
    assert LiveIndex(corpus_copy, cache_dir=tmp_path / "index", settle_seconds=0).load().loaded_from_cache


async def test_cancel_answers_a_waiting_reload_at_once_and_refuses_later_ones(corpus_copy, tmp_path, monkeypatch):
    import asyncio

    import index.rebuild

    monkeypatch.setattr(index.rebuild, "CHILD", ["-c", "import time; time.sleep(60)"])
    live = LiveIndex(corpus_copy, cache_dir=tmp_path / "index", settle_seconds=0, builder=None)
    live._current = Index.from_dir(corpus_copy)
    waiting = asyncio.ensure_future(live.reload_async())
    while live._child is None or live._child._proc is None:
        await asyncio.sleep(0.05)
    proc = live._child._proc
    live.cancel()
    report = await waiting
    assert not report.ok and "cancelled" in report.errors[0]
    assert proc.wait(10) is not None  # the child was killed
    assert "cancelled" in (await live.reload_async()).errors[0]


def test_a_cancel_while_a_child_build_is_being_started_reaches_that_child(corpus_copy, tmp_path, monkeypatch):
    from index.rebuild import ChildBuild

    live = LiveIndex(corpus_copy, cache_dir=tmp_path / "index", settle_seconds=0)
    live._current = Index.from_dir(corpus_copy)
    real_init = ChildBuild.__init__
    cancels: list[threading.Thread] = []

    def init(self) -> None:   # the shutdown comes after the reload looked for one, before its child is known
        real_init(self)
        if not cancels:
            cancels.append(threading.Thread(target=live.cancel))
            cancels[0].start()
            cancels[0].join(0.5)   # a cancel that does not wait for this child to be known is over by now

    monkeypatch.setattr(ChildBuild, "__init__", init)
    report = live.reload()   # a real child build: left alone, it succeeds in a few seconds
    cancels[0].join()
    assert not report.ok and "cancelled" in report.errors[0]
