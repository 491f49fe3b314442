"""A large corpus's reload builds in a spare child process started after the previous load:
its imports done and its compiled kernels loaded, it waits for the build's arguments."""
import os
import signal
import subprocess
import sys
import time

import pytest

import index.live
import index.rebuild
from index import store
from index.corpus.loader import load_corpus
from index.live import LiveIndex
from index.rebuild import ChildBuild
from tests.conftest import ROOT
from tests.support.corpus_edits import NEW_PHRASE, add_source


@pytest.fixture
def started(monkeypatch) -> list[bool]:
    """For every child build started from now on: was it a spare, already running?"""
    seen = []
    real = ChildBuild.start

    def start(self, *args, **kwargs):
        seen.append(self.standing_by)
        real(self, *args, **kwargs)

    monkeypatch.setattr(ChildBuild, "start", start)
    return seen


def test_a_spare_child_builds_what_it_is_then_told(corpus, tmp_path):
    spare = ChildBuild.standby()
    assert spare.standing_by and spare.running()
    spare.start(corpus, tmp_path / "index", None, None, signed=False)
    assert spare.wait() == load_corpus(corpus).content_hash
    assert store.current_manifest(store.corpus_store(tmp_path / "index", corpus))["corpus_hash"] == \
        load_corpus(corpus).content_hash


def test_a_spare_that_died_waiting_is_replaced_when_told_to_build(corpus, tmp_path):
    spare = ChildBuild.standby()
    os.kill(spare.pid, signal.SIGKILL)
    spare.reap()
    assert spare.standing_by and not spare.running()   # it died after a reload chose it
    spare.start(corpus, tmp_path / "index", None, None, signed=False)
    assert spare.wait() == load_corpus(corpus).content_hash   # a new child built it


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"   # a zombie has left
    except FileNotFoundError:
        return False


def test_a_spare_leaves_when_the_process_that_started_it_is_gone():
    parent = subprocess.run([sys.executable, "-c", "from index.rebuild import ChildBuild; "
                             "print(ChildBuild.standby().pid)"], capture_output=True, text=True, check=True,
                            cwd=ROOT, timeout=60)
    spare = int(parent.stdout.split()[-1])
    deadline = time.monotonic() + 20
    while _alive(spare) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(spare)


def test_a_large_corpus_keeps_a_spare_and_its_reload_builds_there(corpus, tmp_path, monkeypatch, started):
    monkeypatch.setattr(index.live, "SPARE_CHARS", 0)
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    live.load()   # builds the first version in a new child, then starts a spare
    started.clear()
    first = live.spare_pid()
    assert first is not None
    add_source(corpus)
    report = live.reload()
    assert report.ok and started == [True]   # the spare built it
    assert NEW_PHRASE in " ".join(p.text for p in live.current.passages)
    second = live.spare_pid()
    assert second is not None and second != first   # and another one waits for the next reload
    live.cancel()
    assert live.spare_pid() is None
    assert not _alive(second)   # killed and reaped


def test_a_dead_spare_or_one_started_for_another_child_command_is_replaced(corpus, tmp_path, monkeypatch, started):
    monkeypatch.setattr(index.live, "SPARE_CHARS", 0)
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    live.load()
    started.clear()
    dead = live.spare_pid()
    os.kill(dead, signal.SIGKILL)
    while _alive(dead):   # gone before the reload looks (SIGKILL takes effect when it is scheduled)
        time.sleep(0.01)
    add_source(corpus)
    assert live.reload().ok and started == [False]   # a fresh child built it
    monkeypatch.setattr(index.rebuild, "CHILD", ["-c", "import sys; sys.exit('boom')"])
    (corpus / "sources" / "extra-note.md").unlink()
    live.reload()   # the new command fails twice (signed, then every byte): built in this process
    assert started == [False, False, False]   # never the spare started with the old command
    live.cancel()


def test_a_small_corpus_keeps_no_spare(corpus, tmp_path):
    live = LiveIndex(corpus, cache_dir=tmp_path / "index", settle_seconds=0)
    live.load()
    assert live.spare_pid() is None
