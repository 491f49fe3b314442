"""index/corpus/headings.py: a body's ``## `` lines, found by a literal search, exactly where a
``^## (.*)$`` multiline search finds them."""
import re

from hypothesis import given
from hypothesis import strategies as st

from index.corpus.headings import heading_lines

LINE = re.compile(r"^## (.*)$", re.M)
pieces = st.sampled_from(["## ", "##", "# ", "\n", "\n\n", "title", " ", "## x\n", "a ## b", "\t"])


@given(st.lists(pieces, max_size=30).map("".join))
def test_the_same_lines_as_a_multiline_search(body):
    expected = [(m.start(), m.group(1), m.end()) for m in LINE.finditer(body)]
    assert list(heading_lines(body)) == expected


def test_a_heading_on_the_first_line_and_at_the_very_end():
    body = "## First\ntext\n## Last"
    assert list(heading_lines(body)) == [(0, "First", 8), (14, "Last", len(body))]
