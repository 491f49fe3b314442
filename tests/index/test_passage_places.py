"""Each passage's bytes in its file, with their digest: where a source not kept in memory is read
from a passage at a time (``index.snapshot.places``)."""
import shutil

import numpy as np
import pytest

from index.corpus import records
from index.corpus.loader import load_corpus
from index.corpus.records import SourceChanged
from index.snapshot.table import PassageTable
from tests.conftest import CORPUS

FRONT = "---\nid: {id}\ntitle: {id}\nkind: blog-post\npublisher: a test\nseed: none.txt\n---\n"
WIDE = ("Nanjing — 南京 — fell on 13 December 1937; the city’s “safety zone” sheltered about 250,000 "
        "people.\n\nJohn Rabe’s diary (Дневник) was published in 1996. 😀 Emoji take four bytes.\n")


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "sources" / "wide.md").write_bytes((FRONT.format(id="wide") + WIDE).encode("utf-8"))
    crlf = (FRONT.format(id="crlf") + "First paragraph here.\n\nSecond one, after a blank line.\n")
    (root / "sources" / "crlf.md").write_bytes(crlf.replace("\n", "\r\n").encode("utf-8"))
    return load_corpus(root, lazy=True)


def test_every_placed_passage_is_its_files_bytes_and_a_crlf_file_is_read_whole(corpus):
    table = PassageTable.build(corpus)
    rows = table.rows
    placed_by_source = {}
    for k in range(len(table)):
        source = corpus.sources[int(rows.source[k])]
        passage = table[k]
        assert passage.text == source.text[passage.start:passage.end]
        if passage.is_timeline:
            assert rows.place[k].tolist() == [-1, -1]
            continue
        first, end = rows.place[k].tolist()
        placed_by_source.setdefault(source.id, []).append(first >= 0)
        if first >= 0:
            data = source.path.read_bytes()[first:end]
            assert data.decode("utf-8") == passage.text
            assert records.passage_digest(data) == rows.digest[k].tobytes()
    assert all(placed_by_source["wide"]) and len(placed_by_source["wide"]) == 2
    assert not any(placed_by_source["crlf"])          # "\r\n" is not the text byte for byte
    assert all(all(v) for k, v in placed_by_source.items() if k != "crlf")


def test_a_passage_with_other_bytes_of_the_same_length_is_refused(corpus):
    table = PassageTable.build(corpus)
    k = next(k for k in range(len(table)) if corpus.sources[int(table.rows.source[k])].id == "wide")
    source = corpus.source_by_id["wide"]
    first, end = table.rows.place[k].tolist()
    data = bytearray(source.path.read_bytes())
    data[first] = ord("n") if data[first] == ord("N") else ord("N")
    source.path.write_bytes(bytes(data))
    with pytest.raises(SourceChanged, match="changed since the index was built"):
        _ = table[k]


def test_the_places_travel_with_the_saved_version(tmp_path, corpus):
    from index.engine import Index

    built = Index(corpus, cache_dir=tmp_path / "idx", semantic=False)
    again = Index(load_corpus(corpus.root, lazy=True), cache_dir=tmp_path / "idx", semantic=False)
    assert again.loaded_from_cache
    for a, b in zip(built.passages.rows, again.passages.rows, strict=True):
        assert np.array_equal(a, b)
    assert [p.text for p in again.passages] == [p.text for p in built.passages]


def _blobs(corpus, rows):
    import io
    import json

    from index.snapshot import files

    blobs = {files.SOURCES: json.dumps([{"id": s.id} for s in corpus.sources]).encode()}
    for name, a in zip(files.ROWS, rows, strict=True):
        out = io.BytesIO()
        np.save(out, np.ascontiguousarray(a), allow_pickle=False)
        blobs[name] = out.getvalue()
    return blobs


def test_rows_whose_places_cannot_hold_their_passages_are_refused(corpus):
    from index.snapshot import files

    rows = PassageTable.build(corpus).rows
    assert files.rows(_blobs(corpus, rows), corpus) is not None
    k = int(np.flatnonzero(rows.place[:, 0] >= 0)[0])
    for first, end in ((rows.place[k, 0], rows.place[k, 0] + 1),   # fewer bytes than characters
                       (-1, rows.place[k, 1]), (-5, -5)):
        bad = rows.place.copy()
        bad[k] = (first, end)
        with pytest.raises(files.SnapshotError, match="do not fit the corpus"):
            files.rows(_blobs(corpus, rows._replace(place=bad)), corpus)
    with pytest.raises(files.SnapshotError, match="different lengths"):
        files.rows(_blobs(corpus, rows._replace(digest=rows.digest[:, :8].copy())), corpus)


def test_iterating_the_table_reads_each_stored_source_once_not_each_passage(corpus, monkeypatch):
    table = PassageTable.build(corpus)
    alone = []
    monkeypatch.setattr(records, "read_ranges", lambda ranges: alone.extend(ranges) or [b""] * len(ranges))
    records._text.cache_clear()
    assert [p.text for p in table] == [p.text for p in table[:]]
    assert alone == []
    assert [p.text for p in table][0] == corpus.sources[0].text[table.rows.start[0]:table.rows.end[0]]


def test_a_question_s_candidates_are_read_in_one_batch_announced_before_the_first_read(corpus, monkeypatch):
    """``many`` gives what indexing row by row gives, the reads of every placed row announced to
    the kernel (posix_fadvise WILLNEED) before the first: the ones not in the page cache are then
    fetched from the disk together, not one after the other."""
    import os

    table = PassageTable.build(corpus)
    rows = [k for k in range(len(table)) if k % 3 == 0][:12] + [len(table) - 1]   # a timeline row last
    calls = []
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, off, n, advice: calls.append(("advise", advice)))
    real_pread = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, off: calls.append(("read", n)) or real_pread(fd, n, off))
    got = table.many(rows)
    placed = sum(int(table.rows.place[k, 0]) >= 0 for k in rows)
    assert placed >= 8
    assert calls[:placed] == [("advise", os.POSIX_FADV_WILLNEED)] * placed
    assert [c for c, _ in calls[placed:]] == ["read"] * placed
    assert [p.text for p in got] == [table[k].text for k in rows]
    assert [p.id for p in got] == [table[k].id for k in rows]


def test_a_changed_source_in_a_batch_is_refused_alone(corpus):
    table = PassageTable.build(corpus)
    wide = [k for k in range(len(table)) if corpus.sources[int(table.rows.source[k])].id == "wide"]
    others = [k for k in range(len(table)) if int(table.rows.place[k, 0]) >= 0 and k not in wide][:3]
    source = corpus.source_by_id["wide"]
    source.path.write_bytes(source.path.read_bytes().replace(b"Nanjing", b"Nankink"))
    got = table.many([others[0], wide[0], others[1], others[2]])
    assert isinstance(got[1], SourceChanged) and "changed since the index was built" in str(got[1])
    assert [p.text for p in (got[0], got[2], got[3])] == [table[k].text for k in others]
    source.path.unlink()
    got = table.many([wide[0], others[0]])
    assert isinstance(got[0], SourceChanged) and "cannot be read" in str(got[0])
    assert got[1].text == table[others[0]].text
