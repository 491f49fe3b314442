"""The persisted index: reused for the same corpus, rebuilt (never trusted) otherwise."""
import json
import shutil

import pytest

from index import store
from index.engine import Index
from tests.conftest import CORPUS


@pytest.fixture
def corpus(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def results(index, question="Who was John Rabe?"):
    return [(h.passage.id, round(h.score, 6), sorted(h.matched)) for h in index.search(question).hits]


def test_round_trip_reuses_the_saved_index(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = Index.from_dir(corpus, cache_dir=cache)
    assert not first.loaded_from_cache
    manifest = json.loads((cache / store.MANIFEST).read_text())
    assert manifest["corpus_hash"] == first.corpus.content_hash
    assert manifest["counts"]["passages"] == len(first.passages)
    second = Index.from_dir(corpus, cache_dir=cache)
    assert second.loaded_from_cache
    for q in ("Who was John Rabe?", "when did japan attack shanghai", "noble samurai"):
        assert results(first, q) == results(second, q)


def test_changed_corpus_rebuilds(corpus, tmp_path):
    cache = tmp_path / "cache"
    Index.from_dir(corpus, cache_dir=cache)
    doc = corpus / "sources" / "film-city-of-life-and-death.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA new closing paragraph about zeppelins.\n", encoding="utf-8")
    rebuilt = Index.from_dir(corpus, cache_dir=cache)
    assert not rebuilt.loaded_from_cache
    assert rebuilt.search("zeppelins").hits
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache


@pytest.mark.parametrize("damage", ["truncate_array", "delete_array", "garbage_manifest", "foreign_manifest",
                                    "old_version", "no_manifest"])
def test_damaged_or_foreign_index_is_rebuilt(corpus, tmp_path, damage):
    cache = tmp_path / "cache"
    good = results(Index.from_dir(corpus, cache_dir=cache))
    arrays = sorted((cache / store.SCORER_DIR).glob("*.npy"))
    manifest = cache / store.MANIFEST
    if damage == "truncate_array":
        data = arrays[0].read_bytes()
        arrays[0].write_bytes(data[: len(data) // 2])
    elif damage == "delete_array":
        arrays[-1].unlink()
    elif damage == "garbage_manifest":
        manifest.write_bytes(b"\xff\xfe not json")
    elif damage == "foreign_manifest":
        manifest.write_text(json.dumps({"format": "something-else"}))
    elif damage == "old_version":
        data = json.loads(manifest.read_text())
        data["tokenizer_version"] = store.TOKENIZER_VERSION - 1
        manifest.write_text(json.dumps(data))
    elif damage == "no_manifest":
        manifest.unlink()
    again = Index.from_dir(corpus, cache_dir=cache)
    assert not again.loaded_from_cache
    assert results(again) == good
    assert Index.from_dir(corpus, cache_dir=cache).loaded_from_cache  # and the rebuilt one is saved


def test_unwritable_cache_is_only_a_warning(corpus, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    index = Index.from_dir(corpus, cache_dir=blocker / "cache")
    assert index.search("John Rabe").hits
    assert "could not save the index" in caplog.text
