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
    monkeypatch.setattr(records, "read_range", lambda *a: alone.append(a) or b"")
    records._text.cache_clear()
    assert [p.text for p in table] == [p.text for p in table[:]]
    assert alone == []
    assert [p.text for p in table][0] == corpus.sources[0].text[table.rows.start[0]:table.rows.end[0]]
