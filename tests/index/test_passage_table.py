"""The compact passage table makes exactly the passages ``build_passages`` makes."""
import pytest

from index.corpus.loader import load_corpus
from index.passages import build_passages
from index.snapshot.table import PassageTable
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


def test_every_row_is_the_straight_passage(corpus):
    straight = build_passages(corpus)
    table = PassageTable.build(corpus)
    assert len(table) == len(straight)
    assert list(table) == straight
    assert [table[i] for i in range(len(table))] == straight
    assert table[-1] == straight[-1] and table[2:5] == straight[2:5]
    assert any(p.is_timeline for p in table)


def test_rows_are_found_by_id_and_unknown_ids_are_not(corpus):
    table = PassageTable.build(corpus)
    for i, p in enumerate(table):
        assert table.row_of(p.id) == i
        assert table.by_id(p.id) == p
    first = corpus.sources[0].id
    for bad in (f"{first}#999999", f"{first}#x", f"{first}", "nope#1", f"{first}@nope", "", "#"):
        assert table.row_of(bad) is None, bad
    with pytest.raises(IndexError):
        table[len(table)]


@pytest.mark.parametrize("numba", [True, False])
def test_first_order_is_the_order_of_first_occurrence(numba, monkeypatch):
    import numpy as np

    from index.snapshot import order

    if numba and not order.HAVE_NUMBA:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(order, "HAVE_NUMBA", numba)   # False: the numpy fallback
    rng = np.random.default_rng(3)
    for _ in range(50):
        seq = rng.integers(0, 40, size=rng.integers(0, 200)).astype(np.int32)
        expected = list(dict.fromkeys(seq.tolist()))
        assert order.first_order(seq, 40).tolist() == expected
