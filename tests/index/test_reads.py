"""index.corpus.reads.read_ranges: a question's candidates read in one batch, each file opened
once however many of its passages are read; and a file that cannot be opened just now (the
process out of descriptors) is told apart from one changed since the index was built."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from index.corpus import records
from index.corpus.loader import load_corpus
from index.corpus.reads import read_ranges

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_each_file_is_opened_once_and_every_range_read_in_the_order_asked(tmp_path, monkeypatch):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(b"0123456789")
    b.write_bytes(b"abcdefghij")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *args: opened.append(Path(path)) or real_open(path, *args))
    ranges = [(a, 0, 3), (b, 2, 5), (a, 5, 9), (a, 0, 3), (b, 8, 20)]
    assert read_ranges(ranges) == [b"012", b"cde", b"5678", b"012", b"ij"]
    assert sorted(opened) == [a, b]
    assert read_ranges([]) == []


def test_a_file_that_cannot_be_opened_gives_its_error_for_each_of_its_ranges_only(tmp_path):
    a = tmp_path / "a.md"
    a.write_bytes(b"0123456789")
    gone = tmp_path / "gone.md"
    out = read_ranges([(gone, 0, 2), (a, 1, 3), (gone, 4, 6)])
    assert out[1] == b"12"
    assert all(isinstance(e, FileNotFoundError) for e in (out[0], out[2]))


def test_a_file_out_of_descriptors_is_left_out_of_this_answer_and_quoted_again_next_time(tmp_path, monkeypatch, caplog):
    """EMFILE is the process's state, not the file's: the log must not tell moderators the source
    changed and to reload it; the next question, with descriptors free again, quotes it."""
    from bot.answering.answers import build_answer
    from index.engine import Index

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    index = Index(load_corpus(root, lazy=True), semantic=False)
    question = "who was John Rabe"
    records._text.cache_clear()
    before = build_answer(index, question)
    first = before.quotes[0].source_id
    path = index.corpus.source_by_id[first].path
    real_open = os.open

    def out_of_descriptors(p, *args):
        if Path(p) == path:
            raise OSError(errno.EMFILE, os.strerror(errno.EMFILE), str(p))
        return real_open(p, *args)

    monkeypatch.setattr(os, "open", out_of_descriptors)
    records._text.cache_clear()
    during = build_answer(index, question)
    assert all(q.source_id != first or "@" in q.passage_id for q in during.quotes)
    assert "could not be read just now" in caplog.text and "since the index was built" not in caplog.text
    monkeypatch.setattr(os, "open", real_open)
    after = build_answer(index, question)
    assert [(q.passage_id, q.text) for q in after.quotes] == [(q.passage_id, q.text) for q in before.quotes]
    caplog.clear()   # out of descriptors again later: said again, not taken for an edit already logged
    monkeypatch.setattr(os, "open", out_of_descriptors)
    records._text.cache_clear()
    build_answer(index, question)
    assert "could not be read just now" in caplog.text
