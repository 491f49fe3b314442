"""index.bm25: the reference scoring, the fast scorer's exact parity with it, persistence."""
from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from index.bm25.files import FORMAT_VERSION, IndexFormatError
from index.bm25.formula import DEFAULT_B, DEFAULT_K1, lucene_idf
from index.bm25.kernels import HAVE_NUMBA
from index.bm25.reference import ReferenceBM25
from index.bm25.scorers import BLOCKED_PRUNABLE, BLOCKED_TOTAL, PRUNE_MIN_POSTINGS, FastBM25, build_scorer

ALPHABET = list("abcdefg")          # small, so ties and repeated terms are common
needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba not available")

corpora = st.lists(st.lists(st.sampled_from(ALPHABET), max_size=20), min_size=1, max_size=40)
queries = st.lists(st.sampled_from(ALPHABET + ["zz", "unknown"]), max_size=8)
ks = st.one_of(st.integers(1, 10), st.integers(11, 60))


def assert_same(ours, ref):
    """Same documents in the same order; scores within 1e-4 relative."""
    assert [d for d, _ in ours] == [d for d, _ in ref]
    for (_, a), (_, b) in zip(ours, ref, strict=True):
        assert a == pytest.approx(b, rel=1e-4)


def scorers(docs, **kw):
    out = [("numpy", FastBM25(docs, backend="numpy", **kw))]
    if HAVE_NUMBA:
        out.append(("numba", FastBM25(docs, backend="numba", **kw)))
    return out


# -- the reference ---------------------------------------------------------------------


def test_reference_idf_is_positive_for_a_term_in_every_doc():
    docs = [["common", "x"], ["common"], ["common", "y", "common"]]
    ref = ReferenceBM25(docs)
    assert ref.idf["common"] > 0
    assert ref.idf["common"] == pytest.approx(math.log(1 + 0.5 / 3.5))
    assert ref.idf["x"] == pytest.approx(math.log(1 + 2.5 / 1.5))
    assert ref.top_k(["common"], 3) and all(s > 0 for _, s in ref.top_k(["common"], 3))


def test_reference_is_rank_bm25_okapi_with_lucene_idf():
    docs = [["a", "b", "a"], ["b", "c"], ["c", "c", "d", "e"], ["a"]]
    ref = ReferenceBM25(docs, k1=1.2, b=0.5)
    n, avgdl = 4, 10 / 4
    q = ["a", "c", "a"]
    expect = np.zeros(n)
    for t in q:
        df = sum(t in d for d in docs)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(t)
            expect[i] += idf * tf * 2.2 / (tf + 1.2 * (0.5 + 0.5 * len(d) / avgdl))
    np.testing.assert_allclose(ref.get_scores(q), expect, rtol=1e-12)
    assert ref.top_k(q, 10) == sorted(
        [(i, float(s)) for i, s in enumerate(ref.get_scores(q)) if s > 0],
        key=lambda x: (-x[1], x[0]))
    assert ref.tokenizer is None


def test_lucene_idf_is_the_one_the_scorers_use_and_always_positive():
    docs = [["a", "b"], ["a"], ["a", "c"], ["d"]]
    ref, fast = ReferenceBM25(docs), FastBM25(docs)
    for term, df in (("a", 3), ("b", 1), ("d", 1)):
        assert lucene_idf(4, df) == math.log(1 + (4 - df + 0.5) / (df + 0.5))
        assert ref.idf[term] == lucene_idf(4, df) == fast.idf[fast.vocab.index(term)]
    assert all(lucene_idf(10, df) > 0 for df in range(11))


def test_defaults_and_parameter_checks():
    assert (DEFAULT_K1, DEFAULT_B) == (1.5, 0.75)
    with pytest.raises(ValueError):
        FastBM25([["a"]], k1=0)
    with pytest.raises(ValueError):
        ReferenceBM25([["a"]], b=1.5)
    with pytest.raises(TypeError):
        FastBM25(["not", "tokenized"])


def test_empty_corpus_and_empty_documents():
    for scorer in (ReferenceBM25([]), FastBM25([])):
        assert scorer.top_k(["a"], 5) == []
    docs = [[], [], []]
    assert FastBM25(docs).top_k(["a"], 5) == [] == ReferenceBM25(docs).top_k(["a"], 5)
    assert FastBM25([[], ["a"]]).top_k(["a"], 5) == ReferenceBM25([[], ["a"]]).top_k(["a"], 5)


# -- parity with the reference ---------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpora, qs=st.lists(queries, min_size=1, max_size=4), k=ks,
       k1=st.sampled_from([DEFAULT_K1, 0.9, 2.0]), b=st.sampled_from([DEFAULT_B, 0.0, 1.0]))
def test_fast_top_k_equals_reference(docs, qs, k, k1, b):
    ref = ReferenceBM25(docs, k1=k1, b=b)
    for _, fast in scorers(docs, k1=k1, b=b):
        np.testing.assert_array_equal(fast.idf[[fast.vocab.index(t) for t in ref.idf]],
                                      [ref.idf[t] for t in ref.idf])
        for q in qs:
            expect = ref.top_k(q, k)
            got = fast.top_k(q, k)
            assert_same(got, expect)
            assert got == expect           # in fact bit-identical float64 scores
            # rank-bm25 gives NaN (0/0) to docs without the term when every doc is empty,
            # or b = 1 and the doc is empty; those docs score 0 here
            with np.errstate(invalid="ignore"):
                np.testing.assert_array_equal(fast.get_scores(q), np.nan_to_num(ref.get_scores(q)))


@needs_numba
@settings(max_examples=200, deadline=None)
@given(docs=corpora, qs=st.lists(queries, min_size=1, max_size=4), k=ks)
def test_every_numba_strategy_equals_numpy_fallback(docs, qs, k):
    """The numpy fallback == the numba kernels on each of their paths (touched-list, dense
    scan, MaxScore pruning on/off; in blocks of one document to more than all of them)."""
    fast = FastBM25(docs, backend="numba")
    slow = FastBM25(docs, backend="numpy")
    for q in qs:
        expect = slow.top_k(q, k)
        fast.blocked_total = 0.0   # never blocked
        for dense_fraction in (0.0, 1.0 / 8.0, 2.0):
            for prune, prune_min in ((True, 0), (True, PRUNE_MIN_POSTINGS), (False, 0)):
                fast.dense_fraction, fast.prune, fast.prune_min = dense_fraction, prune, prune_min
                assert fast.top_k(q, k) == expect
                if expect:
                    event(f"numba path {fast.last_path}")
        fast.blocked_prunable, fast.blocked_total = 0.0, float("inf")   # always blocked
        for block in (1, 2, 3, 16, 1_000_000):
            fast.block_docs = block
            assert fast.top_k(q, k) == expect
            assert not expect or fast.last_path == 3
        slow.dense_fraction = 0.0
        assert slow.top_k(q, k) == expect


@needs_numba
def test_the_blocked_selection_keeps_every_doc_within_the_error_bound_of_the_kth_best():
    """Float32 sums may order two docs otherwise than their exact scores: every doc within the
    error bound of the running k-th best stays a candidate for the exact re-scoring."""
    from index.bm25.query_kernel import block_candidates

    eps = (2 + 4) * 2.0 ** -23   # a query of two tokens
    shrink = (1.0 - 3.0 * eps) * (1.0 - 2.0 ** -20)
    acc = np.array([1.0, 1.0 - 1e-6, 0.5], np.float32)
    rows, buf_doc, buf_score = np.array([0, 1, 2, 0], np.int32), np.empty(4, np.int32), np.empty(3, np.float32)
    nb, hn, _ = block_candidates(acc, rows, 3, 10, buf_doc, buf_score, 0, np.empty(1, np.float32), 0, 1,
                              np.float32(1e-45), shrink)
    assert sorted(buf_doc[:nb].tolist()) == [10, 11] and hn == 1   # the near-tie kept, 0.5 not
    assert not acc.any()   # each row's sum is back to 0 for the next block


@needs_numba
def test_the_blocked_kernel_takes_the_queries_whose_common_term_nb_query_could_not_prune():
    """Blocked unless the postings reach BLOCKED_TOTAL of the documents or MaxScore could skip
    the most common term: its bound is then small beside a term that fills the top k."""
    docs = [[f"f{i % 97}", f"g{i % 89}"] + ["rare"] * (i % 100 == 0) + ["common"] * (i % 5 < 2)
            + ["mid1"] * (i % 10 == 3) + ["mid2"] * (i % 8 == 1) for i in range(4000)]
    fast, ref = FastBM25(docs, backend="numba"), ReferenceBM25(docs)
    cases = [(["rare", "common"], 10, False),        # 40 rare docs fill the top 10: common is prunable
             (["rare", "common"], 50, True),         # they cannot fill the top 50: nothing to prune from
             (["mid1", "mid2"], 10, True),           # two terms of nearly equal weight
             (["mid1", "mid2", "common"], 10, False)]  # 2,500 postings: at least half the documents
    for query, k, blocked in cases:
        assert fast.top_k(query, k) == ref.top_k(query, k)
        assert (fast.last_path == 3) == blocked, (query, k)


@needs_numba
def test_warmup_runs_both_query_kernels(monkeypatch):
    fast = FastBM25([["a", "b"], ["b"]], backend="numba")
    kernels = []
    original = fast._numba_top_k
    monkeypatch.setattr(fast, "_numba_top_k",
                        lambda seq, k, blocked: kernels.append(blocked) or original(seq, k, blocked))
    fast.warmup()
    assert kernels == [False, True]


@needs_numba
def test_numba_and_numpy_builds_are_identical():
    rng = np.random.default_rng(7)
    docs = [[f"t{int(x)}" for x in rng.zipf(1.3, size=rng.integers(0, 50)) % 300]
            for _ in range(400)]
    a, b = FastBM25(docs, backend="numba"), FastBM25(docs, backend="numpy")
    for name, arr in a._arrays().items():
        np.testing.assert_array_equal(arr, b._arrays()[name])
        assert arr.dtype == b._arrays()[name].dtype, name
    np.testing.assert_array_equal(a.max_weight, b.max_weight)


def test_larger_corpus_with_pruning_and_near_ties():
    """A corpus big enough for the dense path and MaxScore pruning to kick in; many docs
    share length and tf, so float32 near-ties at the k-th place are common."""
    rng = np.random.default_rng(11)
    n, vocab = 3000, 400
    p = 1.0 / np.arange(1, vocab + 1) ** 1.1
    p /= p.sum()
    docs = [[f"w{int(x)}" for x in rng.choice(vocab, size=rng.integers(5, 15), p=p)]
            for _ in range(n)]
    ref = ReferenceBM25(docs)
    fasts = scorers(docs)
    for _, fast in fasts:
        fast.prune_min = 0          # prune whenever the bound allows (default waits for 4096)
        fast.block_docs = 256       # a dozen blocks, some dense (more than 32 postings), some not
    paths = set()
    for i in range(150):
        q = [f"w{int(x)}" for x in rng.choice(vocab, size=rng.integers(1, 7), p=p)]
        if i % 3 == 0:
            q += [f"w{int(rng.integers(100, vocab))}"] * 2
        for k in (1, 10, 50):
            expect = ref.top_k(q, k)
            for name, fast in fasts:
                for ratio, total in ((BLOCKED_PRUNABLE, 0.0), (BLOCKED_PRUNABLE, BLOCKED_TOTAL), (0.0, float("inf"))):
                    fast.blocked_prunable, fast.blocked_total = ratio, total
                    assert fast.top_k(q, k) == expect
                    if name == "numba":
                        paths.add(fast.last_path)
    if HAVE_NUMBA:
        assert paths == {0, 1, 2, 3}    # touched-list, dense, pruned and blocked paths all ran


def test_from_token_ids_equals_token_lists():
    docs = [["b", "a", "b"], [], ["c"], ["a", "c", "c", "c"]]
    vocab = ["c", "b", "a", "never"]
    ids = {t: i for i, t in enumerate(vocab)}
    flat = np.array([ids[t] for d in docs for t in d], dtype=np.int32)
    offsets = np.cumsum([0] + [len(d) for d in docs])
    ref = ReferenceBM25(docs)
    for backend in ["numpy"] + (["numba"] if HAVE_NUMBA else []):
        fast = FastBM25.from_token_ids(flat, offsets, vocab, backend=backend)
        assert fast.n_terms == 4 and fast.df("never") == 0
        for q in (["a"], ["c", "b"], ["never", "a", "a"]):
            assert fast.top_k(q, 3) == ref.top_k(q, 3)
    with pytest.raises(ValueError):
        FastBM25.from_token_ids(flat, offsets, vocab[:2])
    with pytest.raises(ValueError):
        FastBM25.from_token_ids(flat, offsets[:-1], vocab)
    with pytest.raises(ValueError):
        FastBM25.from_token_ids(flat, offsets, ["a", "a", "b", "c"])


def test_build_scorer_is_fast_bm25_with_common_interface():
    docs = [["a", "b"], ["b", "c", "c"]]
    scorer = build_scorer(docs)
    assert isinstance(scorer, FastBM25)
    assert scorer.top_k(["c"], 1) == ReferenceBM25(docs).top_k(["c"], 1)
    assert scorer.top_k(["c"], 0) == [] and scorer.top_k(["c"], -3) == []


# -- persistence -----------------------------------------------------------------------


def sample_docs(n=300, seed=3):
    rng = np.random.default_rng(seed)
    return [[f"w{int(x)}" for x in rng.zipf(1.2, size=rng.integers(1, 30)) % 200] for _ in range(n)]


SAMPLE_QUERIES = [["w1"], ["w2", "w7", "w7"], ["w150", "w3"], ["nope"], ["w5", "w9", "w11", "w1"]]


@pytest.fixture
def saved(tmp_path):
    fast = FastBM25(sample_docs())
    fast.save(tmp_path / "idx")
    return fast, tmp_path / "idx"


@pytest.mark.parametrize("mmap", [True, False])
def test_save_load_round_trip(saved, mmap):
    fast, path = saved
    assert json.loads((path / "bm25.json").read_text())["version"] == FORMAT_VERSION
    backends = ["numpy"] + (["numba"] if HAVE_NUMBA else [])
    for backend in backends:
        loaded = FastBM25.load(path, mmap=mmap, backend=backend)
        assert loaded.vocab == fast.vocab and (loaded.k1, loaded.b) == (fast.k1, fast.b)
        for name, arr in fast._arrays().items():
            np.testing.assert_array_equal(loaded._arrays()[name], arr)
        np.testing.assert_array_equal(loaded.max_weight, fast.max_weight)
        for q in SAMPLE_QUERIES:
            for k in (1, 10, 1000):
                assert loaded.top_k(q, k) == fast.top_k(q, k)
    assert not list(path.glob(".*tmp*"))
    fast.save(path)                      # saving over an existing index works
    assert FastBM25.load(path).top_k(["w1"], 5) == fast.top_k(["w1"], 5)


def test_round_trip_of_an_empty_index(tmp_path):
    FastBM25([]).save(tmp_path)
    assert FastBM25.load(tmp_path).top_k(["a"], 3) == []


def _edit_meta(path: Path, **changes):
    meta = json.loads((path / "bm25.json").read_text())
    meta.update(changes)
    (path / "bm25.json").write_text(json.dumps(meta))
    return meta


def test_load_rejects_truncated_array(saved):
    _, path = saved
    f = path / "doc_ids.npy"
    f.write_bytes(f.read_bytes()[:-40])
    for mmap in (True, False):
        with pytest.raises(IndexFormatError, match="doc_ids"):
            FastBM25.load(path, mmap=mmap)


def test_load_rejects_wrong_version(saved):
    _, path = saved
    _edit_meta(path, version=FORMAT_VERSION + 1)
    with pytest.raises(IndexFormatError, match="version"):
        FastBM25.load(path)


def test_load_rejects_foreign_format(saved):
    _, path = saved
    _edit_meta(path, format="bm25s")
    with pytest.raises(IndexFormatError, match="format"):
        FastBM25.load(path)


@pytest.mark.parametrize("name", ["bm25.json", "vocab.json", "doc_ids.npy", "tf.npy"])
def test_load_rejects_missing_file(saved, name):
    _, path = saved
    (path / name).unlink()
    with pytest.raises(IndexFormatError, match="missing"):
        FastBM25.load(path)


def test_load_rejects_missing_directory(tmp_path):
    with pytest.raises(IndexFormatError):
        FastBM25.load(tmp_path / "nothing-here")


def test_load_rejects_mismatched_shapes(saved):
    _, path = saved
    meta = json.loads((path / "bm25.json").read_text())
    # an array file whose shape disagrees with bm25.json
    np.save(path / "doc_len.npy", np.zeros(meta["n_docs"] - 1, np.int32))
    with pytest.raises(IndexFormatError, match="doc_len"):
        FastBM25.load(path)


def test_load_rejects_counts_that_disagree_with_arrays(saved):
    _, path = saved
    meta = json.loads((path / "bm25.json").read_text())
    _edit_meta(path, n_postings=meta["n_postings"] + 1)
    with pytest.raises(IndexFormatError, match="shape"):
        FastBM25.load(path)


def test_load_rejects_wrong_dtype(saved):
    _, path = saved
    docs = np.load(path / "doc_ids.npy")
    np.save(path / "doc_ids.npy", docs.astype(np.int64))
    with pytest.raises(IndexFormatError, match="doc_ids"):
        FastBM25.load(path)


def test_weights_are_computed_at_load_not_stored(saved):
    """Nothing on disk can disagree with the weights: they are computed from tf, document
    lengths and idf as the postings are checked, bit for bit the built ones."""
    scorer, path = saved
    assert not (path / "weights.npy").exists()
    assert "weights" not in json.loads((path / "bm25.json").read_text())["arrays"]
    for backend in ["numpy"] + (["numba"] if HAVE_NUMBA else []):
        loaded = FastBM25.load(path, backend=backend)
        assert np.array_equal(loaded.weights, scorer.weights) and loaded.weights.dtype == np.float32
        assert np.array_equal(loaded.max_weight, scorer.max_weight)


def test_an_index_of_the_format_that_stored_weights_is_refused(saved):
    _, path = saved
    _edit_meta(path, version=1)
    with pytest.raises(IndexFormatError, match="version"):
        FastBM25.load(path)


@pytest.mark.parametrize("corrupt", ["doc_out_of_range", "doc_order", "tf", "offsets",
                                     "idf", "vocab_dup", "json_garbage", "pickle"])
def test_load_rejects_corrupt_content(saved, corrupt):
    _, path = saved
    if corrupt in ("doc_out_of_range", "doc_order"):
        docs = np.load(path / "doc_ids.npy")
        if corrupt == "doc_out_of_range":
            docs[5] = 10**6
        else:
            docs[[0, 1]] = docs[[1, 0]]
        np.save(path / "doc_ids.npy", docs)
    elif corrupt == "tf":
        tf = np.load(path / "tf.npy")
        tf[17] = 0
        np.save(path / "tf.npy", tf)
    elif corrupt == "offsets":
        off = np.load(path / "term_offsets.npy")
        off[3], off[4] = off[4], off[3] - 1
        np.save(path / "term_offsets.npy", off)
    elif corrupt == "idf":
        idf = np.load(path / "idf.npy")
        idf[0] *= 2
        np.save(path / "idf.npy", idf)
    elif corrupt == "vocab_dup":
        vocab = json.loads((path / "vocab.json").read_text())
        vocab[1] = vocab[0]
        (path / "vocab.json").write_text(json.dumps(vocab))
    elif corrupt == "json_garbage":
        (path / "bm25.json").write_bytes(b"\x00\xffnot json")
    elif corrupt == "pickle":
        np.save(path / "tf.npy", np.array([object()] * 3, dtype=object), allow_pickle=True)
    for mmap in (True, False):
        with pytest.raises(IndexFormatError):
            FastBM25.load(path, mmap=mmap)


def test_load_validates_with_numpy_backend_too(saved):
    _, path = saved
    docs = np.load(path / "doc_ids.npy")
    docs[[0, 1]] = docs[[1, 0]]
    np.save(path / "doc_ids.npy", docs)
    with pytest.raises(IndexFormatError, match="ascending"):
        FastBM25.load(path, backend="numpy")


# -- threads ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["numpy"] + (["numba"] if HAVE_NUMBA else []))
def test_concurrent_queries_match_sequential(backend):
    docs = sample_docs(n=2000, seed=5)
    fast = FastBM25(docs, backend=backend)
    rng = np.random.default_rng(9)
    qs = [[f"w{int(x)}" for x in rng.zipf(1.2, size=rng.integers(1, 6)) % 200] for _ in range(60)]
    expect = [fast.top_k(q, 10) for q in qs]
    results: dict[int, list] = {}
    errors = []
    start = threading.Barrier(8)

    def worker(tid):
        try:
            start.wait()
            got = []
            for rep in range(5):
                for i in range(len(qs)):
                    j = (i * 7 + tid + rep) % len(qs)
                    got.append((j, fast.top_k(qs[j], 10)))
            results[tid] = got
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 8
    for got in results.values():
        for j, res in got:
            assert res == expect[j]


# -- without numba -----------------------------------------------------------------------


def test_works_without_numba():
    """With numba unimportable the module falls back to the numpy paths (same answers)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = """
import sys
sys.modules["numba"] = None          # makes "import numba" raise ImportError
sys.path.insert(0, ROOT)
from index.bm25.kernels import HAVE_NUMBA
from index.bm25.reference import ReferenceBM25
from index.bm25.scorers import build_scorer
assert not HAVE_NUMBA
docs = [["a", "b", "a"], ["b", "c"], ["c", "c", "d"], [], ["a"]] * 7
scorer = build_scorer(docs)
assert scorer.backend == "numpy"
ref = ReferenceBM25(docs)
for q in (["a"], ["b", "a"], ["c", "c", "x"], ["x"], [], ["a", "a", "d"]):
    for k in (1, 3, 100):
        assert scorer.top_k(q, k) == ref.top_k(q, k), (q, k)
print("ok")
""".replace("ROOT", repr(str(root)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
