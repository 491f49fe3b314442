"""Corpus versions in git: history, validation before writing, stale previews, rollback, hand
edits, diffs, and kill -9 at every step of a write."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from index.corpus.errors import CorpusError
from index.corpus.gitcmd import git
from index.corpus.loader import load_corpus
from index.corpus.vdiff import render_diff, version_diff
from index.corpus.versions import Author, CorpusChanged, CorpusRepo, recover
from tests.support.bot_harness import copy_corpus

ROOT = Path(__file__).resolve().parents[2]
MOD = Author("moderator", "1234")

NEW_SOURCE = b"""---
id: new-source
title: Rabe's diary excerpt
kind: book
publisher: a publisher
seed: rabe.txt
---
The zebra-striped lantern glowed over Ninghai Road on a quiet evening.
"""


def new_timeline(corpus: Path) -> bytes:
    return (corpus / "timeline.yaml").read_bytes() + b"""
- id: t-new-lantern
  source: new-source
  date_text: quiet evening
  date: "1937-12-20"
  year_inferred: true
  text: The zebra-striped lantern glowed over Ninghai Road
"""


@pytest.fixture
def repo(tmp_path):
    r = CorpusRepo(copy_corpus(tmp_path))
    first = r.ensure()
    assert first.author == "host" and first.summary == "the corpus as found"
    return r


def test_prepare_then_commit_writes_one_version_with_its_author(repo):
    changes = {"sources/new-source.md": NEW_SOURCE, "timeline.yaml": new_timeline(repo.root)}
    base, corpus = repo.prepare(changes)
    assert "new-source" in corpus.source_by_id and not (repo.root / "sources/new-source.md").exists()
    version = repo.commit(changes, MOD, "add new-source", base.id)
    assert (version.author, version.author_id, version.summary) == ("moderator", "1234", "add new-source")
    assert [v.summary for v in repo.history()] == ["add new-source", "the corpus as found"]
    assert "new-source" in load_corpus(repo.root).source_by_id
    assert git(repo.root, "status", "--porcelain") == ""
    diff = version_diff(repo, version)
    assert [(c.path, c.status) for c in diff] == [("sources/new-source.md", "added"), ("timeline.yaml", "changed")]
    assert "+ The zebra-striped lantern glowed over Ninghai Road on a quiet evening." in render_diff(version, diff)


def test_a_broken_change_is_refused_with_file_and_line_and_nothing_changes(repo):
    before = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.parts}
    broken = NEW_SOURCE.replace(b"kind: book\n", b"kind: book\nauthor: someone\n")
    with pytest.raises(CorpusError) as caught:
        repo.prepare({"sources/new-source.md": broken})
    assert any(str(i).startswith("corpus/sources/new-source.md:5: ") and "author" in str(i)
               for i in caught.value.issues)
    with pytest.raises(CorpusError):
        repo.commit({"sources/new-source.md": broken}, MOD, "x", repo.head().id)
    after = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before and len(repo.history()) == 1


def test_a_stale_preview_is_told_the_corpus_changed(repo):
    base = repo.head().id
    repo.commit({"sources/new-source.md": NEW_SOURCE}, MOD, "first", base)
    with pytest.raises(CorpusChanged) as caught:
        repo.commit({"sources/new-source.md": NEW_SOURCE + b"\nMore.\n"}, Author("other", "99"), "second", base)
    assert caught.value.current.summary == "first"
    assert len(repo.history()) == 2


def test_rollback_is_a_new_version_and_loses_nothing(repo):
    first = repo.head()
    added = repo.commit({"sources/new-source.md": NEW_SOURCE}, MOD, "add", first.id)
    removal = repo.commit({"sources/blog-truth-about-nanking.md": None, "timeline.yaml":
                           _without_source(repo.root, "blog-truth-about-nanking")}, MOD, "remove blog", added.id)
    assert "blog-truth-about-nanking" not in load_corpus(repo.root).source_by_id
    changes = repo.rollback_changes(first)
    assert set(changes) == {"sources/new-source.md", "sources/blog-truth-about-nanking.md", "timeline.yaml"}
    assert changes["sources/new-source.md"] is None
    back = repo.commit(changes, MOD, f"rollback to {first.short}", removal.id)
    assert repo.files("HEAD") == repo.files(first.id)
    assert [v.id for v in repo.history()] == [back.id, removal.id, added.id, first.id]


def _without_source(root: Path, source_id: str) -> bytes:
    import yaml
    entries = [e for e in yaml.safe_load((root / "timeline.yaml").read_text()) if e["source"] != source_id]
    return yaml.safe_dump(entries, allow_unicode=True).encode()


def test_hand_edits_become_a_host_version(repo):
    path = repo.root / "sources" / "documentary-nanking.md"
    path.write_bytes(path.read_bytes() + b"\nA line the host added by hand.\n")
    version = repo.record_host_edits()
    assert (version.author, version.summary) == ("host", "hand edits on the host")
    assert repo.record_host_edits().id == version.id  # nothing new: no new version


def test_only_corpus_file_names_are_written(repo):
    for bad in ("../evil.md", "sources/../../x.md", "sources/UPPER.md", ".git/config", "sources/a/b.md"):
        with pytest.raises(ValueError):
            repo.prepare({bad: b"x"})
    with pytest.raises(ValueError):
        repo.resolve("HEAD; rm -rf /")


@pytest.mark.parametrize("step", ["staged", "journaled", "moved-one", "moved", "added", "committed"])
def test_kill_9_at_any_step_leaves_the_last_good_version(repo, tmp_path, step):
    base = repo.head()
    (tmp_path / "src.md").write_bytes(NEW_SOURCE)
    (tmp_path / "tl.yaml").write_bytes(new_timeline(repo.root))
    env = {**os.environ, "CORPUS_VERSIONS_CRASH_AT": step, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "tests/index/crash_writer.py"), str(repo.root), base.id,
                           str(tmp_path / "src.md"), str(tmp_path / "tl.yaml")], env=env, capture_output=True, cwd=ROOT)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    recover(repo.root)
    corpus = load_corpus(repo.root)  # the folder loads: a whole version, never a mix
    committed = step == "committed"
    assert ("new-source" in corpus.source_by_id) is committed
    assert any(e.id == "t-new-lantern" for e in corpus.timeline) is committed
    assert git(repo.root, "status", "--porcelain") == ""
    git(repo.root, "fsck", "--no-progress")
    assert not (repo.git_dir / "corpus-journal.json").exists() and not list(repo.git_dir.glob("corpus-stage-*"))
    head = repo.head()
    assert (head.summary == "add new-source") is committed and (head.id == base.id) is not committed
    # and the repository takes the next write
    repo.commit({"sources/other-source.md": NEW_SOURCE.replace(b"new-source", b"other-source")}, MOD, "next", head.id)
