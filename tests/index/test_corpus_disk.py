"""Trust nothing on disk: links out of the corpus folder, oversized files, files changing while read."""
import builtins
import os
import shutil
import threading
import time

import pytest

from index.corpus import loader
from index.corpus.errors import CorpusError
from index.live import LiveIndex
from tests.conftest import CORPUS
from tests.index.test_corpus import make_corpus, source


def refused(root, **kw) -> list[str]:
    with pytest.raises(CorpusError) as info:
        loader.load_corpus(root, **kw)
    return [str(i) for i in info.value.issues]


@pytest.fixture
def opened(monkeypatch):
    """Every path the process opens while the test runs."""
    paths = []
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path, *a, **kw):
        paths.append(os.path.realpath(path))
        return real_os_open(path, *a, **kw)

    def spy_open(file, *a, **kw):
        if isinstance(file, (str, os.PathLike)):
            paths.append(os.path.realpath(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    return paths


@pytest.mark.parametrize("target", ["valid_source", "proc_environ", "fifo", "sources_folder"])
def test_a_link_out_of_the_corpus_is_refused_without_being_opened(tmp_path, target, opened, monkeypatch):
    root = make_corpus(tmp_path, timeline=None)
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("SECRET_FOR_TEST", "token-abc123")
    if target == "valid_source":
        (outside / "gamma.md").write_text(source("gamma", body="Quotable text from outside.\n"))
        os.symlink(outside / "gamma.md", root / "sources" / "gamma.md")
        dest = outside / "gamma.md"
    elif target == "proc_environ":
        os.symlink("/proc/self/environ", root / "sources" / "gamma.md")
        dest = "/proc/self/environ"
    elif target == "fifo":  # opening a FIFO for reading would block: the test would hang
        os.mkfifo(outside / "pipe")
        os.symlink(outside / "pipe", root / "sources" / "gamma.md")
        dest = outside / "pipe"
    else:
        shutil.move(root / "sources", outside / "sources")
        os.symlink(outside / "sources", root / "sources")
        dest = outside / "sources" / "alpha.md"
    found = refused(root)
    assert any("outside the corpus folder: refused, not opened" in m for m in found), found
    assert os.path.realpath(dest) not in opened
    text = "\n".join(found)
    assert "token-abc123" not in text and "Quotable" not in text and str(outside) not in text


def test_a_link_inside_the_corpus_folder_still_works(tmp_path):
    root = make_corpus(tmp_path, timeline=None)
    (root / "drafts").mkdir()
    (root / "drafts" / "g.md").write_text(source("gamma"))
    os.symlink("../drafts/g.md", root / "sources" / "gamma.md")
    assert "gamma" in {s.id for s in loader.load_corpus(root).sources}


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, opened):
    root = make_corpus(tmp_path, timeline=None)
    big = root / "sources" / "big.md"
    big.write_text(source("big", body="word " * 600_000))
    found = refused(root, max_source_bytes=2_000_000)
    assert found == ["corpus/sources/big.md:0: is 3 MB, over the limit of 2 MB (max_source_bytes)"]
    assert os.path.realpath(big) not in opened
    assert "big" in {s.id for s in loader.load_corpus(root, max_source_bytes=None).sources}


def test_a_file_changed_after_its_read_is_refused_for_that_load(tmp_path, monkeypatch):
    root = make_corpus(tmp_path, timeline=None)
    real_read = loader.read_file

    def read_then_append(path):
        data = real_read(path)
        if path.name == "alpha.md":
            with open(path, "ab") as f:
                f.write(b"More text written after the read.\n")
        return data

    monkeypatch.setattr(loader, "read_file", read_then_append)
    found = refused(root, settle_seconds=0.2)
    assert len(found) == 1 and found[0].startswith("corpus/sources/alpha.md:0: changed while the corpus")
    assert "renaming it over the old one" in found[0]
    monkeypatch.setattr(loader, "read_file", real_read)
    assert loader.load_corpus(root, settle_seconds=0.2).source_by_id["alpha"].text.endswith("after the read.\n")


def test_a_source_rewritten_in_place_during_reloads_is_never_served_half_written(tmp_path):
    """A writer truncates a source and writes it back in chunks, pausing between them, while
    reloads run; every reload that succeeds serves one whole version of the file."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    path = root / "sources" / "film-city-of-life-and-death.md"
    original = path.read_bytes()
    versions = [original, original + b"\nA closing paragraph added by the writer.\n"]
    live = LiveIndex(root, settle_seconds=0.3)
    live.load()
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            data = versions[n % 2]
            with open(path, "r+b") as f:
                f.truncate(0)
                for i in range(0, len(data), 4096):
                    f.write(data[i:i + 4096])
                    f.flush()
                    time.sleep(0.02)
            n += 1
            time.sleep(0.6 if n % 3 == 0 else 0.05)  # now and then long enough for a reload

    thread = threading.Thread(target=writer)
    thread.start()
    served, refused_count = 0, 0
    texts = set()
    for n, data in enumerate(versions):
        copy = shutil.copytree(CORPUS, tmp_path / f"whole-{n}")
        (copy / "sources" / path.name).write_bytes(data)
        texts.add(loader.load_corpus(copy).source_by_id["film-city-of-life-and-death"].text)
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            report = live.reload()
            if not report.ok:
                refused_count += 1
                continue
            served += 1
            text = live.current.corpus.source_by_id["film-city-of-life-and-death"].text
            assert text in texts, text[-120:]
    finally:
        stop.set()
        thread.join()
    assert refused_count > 0 and served > 0, (refused_count, served)
    path.write_bytes(original)
    time.sleep(0.35)
    assert live.reload().ok  # reloaded at the next reload once the writer is done
