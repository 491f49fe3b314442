"""index.text.verbatim: whitespace-insensitive verbatim search."""
from __future__ import annotations

import time

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index.text.verbatim import find_verbatim, normalize_ws


def test_normalize_ws():
    assert normalize_ws("  a \t b\n\n c  ") == "a b c"
    assert normalize_ws("") == ""
    assert normalize_ws(" \n\t ") == ""
    assert normalize_ws("a\u00a0b\u3000c") == "a b c"


def test_exact_match():
    hay = "The city fell on December 13, 1937."
    assert find_verbatim(hay, "December 13") == (17, 28)


def test_whitespace_runs_match_any_run():
    hay = "The city\n  fell on\tDecember\r\n13."
    span = find_verbatim(hay, "city fell   on December 13")
    assert span is not None
    assert hay[span[0]:span[1]] == "city\n  fell on\tDecember\r\n13"


def test_needle_line_breaks_match_spaces():
    hay = "one two three four"
    span = find_verbatim(hay, "two\nthree\n  four")
    assert span is not None and hay[span[0]:span[1]] == "two three four"


def test_needle_ends_are_ignored():
    hay = "alpha beta gamma"
    assert find_verbatim(hay, "  \n beta \t") == (6, 10)


def test_whitespace_is_not_optional():
    assert find_verbatim("foobar", "foo bar") is None
    assert find_verbatim("foo bar", "foobar") is None


def test_not_found_and_case_and_punctuation_matter():
    hay = "Minnie Vautrin's diary, 1937."
    assert find_verbatim(hay, "minnie vautrin") is None
    assert find_verbatim(hay, "Vautrin\u2019s") is None  # curly apostrophe is a different char
    assert find_verbatim(hay, "Rabe") is None


def test_empty_needle_is_never_found():
    assert find_verbatim("abc", "") is None
    assert find_verbatim("abc", "  \n ") is None


def test_regex_metacharacters_are_literal():
    hay = "cost (approx.) $1.50 * 2 [sic] a+b? c|d ^e\\f"
    for needle in ["(approx.)", "$1.50 * 2", "[sic]", "a+b?", "c|d", "^e\\f"]:
        span = find_verbatim(hay, needle)
        assert span is not None and hay[span[0]:span[1]] == needle
    assert find_verbatim(hay, "1x50") is None


def test_start_offset():
    hay = "a cat, a cat, a cat"
    assert find_verbatim(hay, "a cat") == (0, 5)
    assert find_verbatim(hay, "a cat", 1) == (7, 12)
    assert find_verbatim(hay, "a cat", 7) == (7, 12)
    assert find_verbatim(hay, "a cat", 15) is None
    assert find_verbatim(hay, "a cat", -3) == (0, 5)


def test_large_haystack_is_fast():
    hay = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 900_000)  # ~50 MB
    needle = "the  needle\nat the end"
    hay2 = hay + "the needle at the end."
    t0 = time.perf_counter()
    span = find_verbatim(hay2, needle)
    assert find_verbatim(hay, needle) is None
    elapsed = time.perf_counter() - t0
    assert span == (len(hay), len(hay) + len("the needle at the end"))
    assert elapsed < 5, elapsed


_WS = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000\x1f\x85", min_size=1, max_size=4)
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcAB.,'()*+?[]\\$^|-\u00e9\u4e2d"),
        st.sampled_from(" \t\n\r\u00a0\u3000\x1f\x85"),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, data=st.data())
def test_property_altered_whitespace_slice_is_found(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    piece = text[i:j]
    words = piece.split()
    assume(words)
    # rebuild the slice with every whitespace run replaced by a random one (and random ends)
    seps = [data.draw(_WS) for _ in range(len(words) + 1)]
    lead = seps[0] if piece[:1].isspace() or data.draw(st.booleans()) else ""
    needle = lead + "".join(w + s for w, s in zip(words, seps[1:], strict=False))
    span = find_verbatim(text, needle)
    assert span is not None
    s, e = span
    first_word_at = i + len(piece) - len(piece.lstrip())
    assert 0 <= s <= first_word_at and e <= len(text)  # the leftmost occurrence
    assert normalize_ws(text[s:e]) == normalize_ws(piece)
    # the span is trimmed: it starts and ends on non-whitespace
    assert not text[s].isspace() and not text[e - 1].isspace()
    # and searching from the found start finds the same place
    assert find_verbatim(text, needle, s) == span
