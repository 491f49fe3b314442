"""index.text.cut: the one truncator."""
from hypothesis import given
from hypothesis import strategies as st

from index.text.cut import cut


def test_text_that_fits_is_unchanged():
    assert cut("Safety Zone", 11) == "Safety Zone"


def test_cut_at_a_word_boundary_without_trailing_punctuation():
    assert cut("Safety Zone proposal sent, rejected weeks later", 30) == "Safety Zone proposal sent…"
    assert cut("Safety Zone proposal sent, rejected weeks later", 30, " …") == "Safety Zone proposal sent …"


def test_a_long_word_is_cut_inside():
    assert cut("x" * 50, 10) == "x" * 9 + "…"


@given(st.text(max_size=300), st.integers(0, 120), st.sampled_from(["…", " …", "...", ""]))
def test_never_longer_than_the_limit(text, limit, ellipsis):
    out = cut(text, limit, ellipsis)
    assert len(out) <= max(0, limit)
    assert out == text or len(text) > limit
