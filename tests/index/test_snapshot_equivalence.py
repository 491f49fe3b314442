"""The compact, cached, parallel, incremental build gives exactly what a straightforward build
gives: the same passages, terms, BM25 scores and spelling vocabulary."""
import shutil
from collections import Counter

import numpy as np
import pytest

from index.bm25.scorers import build_scorer
from index.corpus.loader import load_corpus
from index.engine import Index
from index.passages import build_passages
from index.snapshot import work
from index.snapshot.table import PassageTable
from index.text.tokenize import Tokenizer, folded_words
from tests.conftest import CORPUS
from tests.support.synth_corpus import write_corpus

QUESTIONS = ("Who was John Rabe?", "when did japan attack shanghai", "noble samurai", "safety zone committee",
             "Minnie Vautrin diary", "Iris Chang", "Tokyo Trials 1946", "film director Lu Chuan", "nanking")


def straightforward(corpus):
    tokenizer = Tokenizer(corpus.entities)
    passages = build_passages(corpus)
    terms = [tokenizer.tokens(" ".join(x for x in (p.date_text, p.section, p.text) if x)) for p in passages]
    words = [w for p in passages for w in folded_words(p.text)]
    words += [w for e in corpus.entities for a in (e.name, *e.aliases) for w in folded_words(a, capitalised=True)]
    return passages, terms, build_scorer(terms), Counter(w for w in words if len(w) >= 4 and w.isalpha())


def assert_same(index, corpus):
    passages, terms, scorer, words = straightforward(corpus)
    assert list(index.passages) == passages
    cut = PassageTable.build(corpus).rows   # each passage's bytes in its file, and their digest
    assert np.array_equal(index.passages.rows.place, cut.place)
    assert np.array_equal(index.passages.rows.digest, cut.digest)
    assert (cut.place[:, 0] >= 0).sum() == sum(not p.is_timeline for p in passages)
    assert list(index.speller._counts.items()) == list(words.items())
    assert index.scorer.doc_len.tolist() == [len(t) for t in terms]
    assert {t: index.scorer.df(t) for t in scorer.vocab} == {t: scorer.df(t) for t in scorer.vocab}
    assert index.scorer.n_terms == scorer.n_terms
    for q in QUESTIONS:
        tokens = index.tokenizer.tokens(q)
        ours, ref = index.scorer.top_k(tokens, 20), scorer.top_k(tokens, 20)
        assert [d for d, _ in ours] == [d for d, _ in ref], q
        assert [s for _, s in ours] == pytest.approx([s for _, s in ref], rel=1e-9), q


def test_the_shipped_corpus_fresh_and_from_its_version(tmp_path):
    corpus = load_corpus(CORPUS)
    assert_same(Index(corpus, semantic=False), corpus)
    built = Index.from_dir(CORPUS, cache_dir=tmp_path / "cache", semantic=False)
    assert not built.loaded_from_cache
    loaded = Index.from_dir(CORPUS, cache_dir=tmp_path / "cache", semantic=False)
    assert loaded.loaded_from_cache
    assert loaded.corpus == corpus and loaded.corpus.content_hash == corpus.content_hash
    assert_same(loaded, corpus)
    for q in QUESTIONS:
        assert loaded.retrieve(q, 10) == built.retrieve(q, 10)


def test_a_synthetic_corpus_on_two_cores_then_incrementally(tmp_path, monkeypatch):
    monkeypatch.setattr(work, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(work, "CHUNK_CHARS", 50_000)
    root = write_corpus(tmp_path / "corpus", 2500)
    cache = tmp_path / "cache"
    first = Index.from_dir(root, cache_dir=cache, semantic=False, workers=2)
    assert_same(first, first.corpus)
    filler = root / "sources" / "filler-0001.md"
    filler.write_text(filler.read_text(encoding="utf-8") + "\nA new paragraph about John Rabe's zeppelins.\n",
                      encoding="utf-8")
    shutil.copy(root / "sources" / "filler-0000.md", root / "sources" / "filler-0009.md")
    text = (root / "sources" / "filler-0009.md").read_text(encoding="utf-8")
    (root / "sources" / "filler-0009.md").write_text(text.replace("filler-0000", "filler-0009"), encoding="utf-8")
    (root / "sources" / "filler-0002.md").unlink()
    again = Index.from_dir(root, cache_dir=cache, semantic=False, workers=2)
    assert not again.loaded_from_cache
    assert again.reused_sources == len(again.corpus.sources) - 2   # the edited one and the new one are read
    assert_same(again, again.corpus)
    assert again.retrieve("zeppelins", 5).candidates[0].passage.source_id == "filler-0001"
    loaded = Index.from_dir(root, cache_dir=cache, semantic=False)
    assert loaded.loaded_from_cache
    assert_same(loaded, again.corpus)
    # the only passage with "zeppelins" goes: the term leaves the vocabulary, as in a fresh build
    filler.write_text(filler.read_text(encoding="utf-8").replace(" zeppelins", " archives"), encoding="utf-8")
    third = Index.from_dir(root, cache_dir=cache, semantic=False, workers=2)
    assert third.reused_sources == len(third.corpus.sources) - 1
    assert_same(third, third.corpus)
    assert third.scorer.df("zeppelin") == 0 and "zeppelin" not in third.scorer.vocab


def test_an_entities_change_reads_every_source_again(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    Index.from_dir(root, cache_dir=tmp_path / "cache", semantic=False)
    entities = root / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("Minnie Vautrin", "Minnie Vautrinne", 1),
                        encoding="utf-8")
    again = Index.from_dir(root, cache_dir=tmp_path / "cache", semantic=False)
    assert again.reused_sources == 0
    assert_same(again, again.corpus)


def test_a_version_built_with_other_bm25_parameters_is_rebuilt_not_served(tmp_path):
    corpus = load_corpus(CORPUS)
    Index(corpus, cache_dir=tmp_path / "cache", semantic=False)
    other = Index(corpus, k1=0.8, b=0.3, cache_dir=tmp_path / "cache", semantic=False)
    assert not other.loaded_from_cache and (other.scorer.k1, other.scorer.b) == (0.8, 0.3)
    again = Index(corpus, k1=0.8, b=0.3, cache_dir=tmp_path / "cache", semantic=False)
    assert again.loaded_from_cache and (again.scorer.k1, again.scorer.b) == (0.8, 0.3)
