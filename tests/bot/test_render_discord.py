"""Discord rendering: limits, escaping, no mentions."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering.answers import Answer, Quote
from bot.render.discord_embeds import answer_embeds, not_found_text, quote_markdown
from bot.render.limits import CONTENT_MAX, DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, FIELD_VALUE_MAX
from bot.render.safe_text import escape
from index.text.cut import cut

PING = re.compile(r"@[*_~`|\\]*(everyone|here)|<@[!&]?\d+>|<#\d+>")


def embeds_size(embeds) -> int:
    """Characters Discord counts toward the 6000 total (title, description, fields, footer, author)."""
    total = 0
    for e in embeds:
        total += len(e.title or "") + len(e.description or "")
        total += len(e.footer.text or "") if e.footer else 0
        total += len(e.author.name or "") if e.author else 0
        total += sum(len(f.name or "") + len(f.value or "") for f in e.fields)
    return total


def quote(text, highlights=(), context=("A note.",), date=None):
    return Quote(1, text, "src", "Title", "Someone (Publisher)", None, 1.0, "src#0", 0, len(text),
                 tuple(highlights), date, "Dec 13" if date else None, False, tuple(context))


def test_escape_neutralizes_mentions_and_markdown():
    text = "@everyone @here <@123456789012345678> <@!1> <@&2> <#3> **bold** _it_ `code` > quote"
    out = escape(text)
    assert not PING.search(out)
    assert "\\*\\*bold\\*\\*" in out and "\\_it\\_" in out


def test_cut_at_word_boundary():
    assert cut("alpha beta gamma", 100) == "alpha beta gamma"
    out = cut("alpha beta gamma delta", 14)
    assert len(out) <= 14 and out.endswith("…") and out.startswith("alpha beta")


def test_highlighted_quote():
    q = quote("John Rabe was there", [(0, 9)])
    assert quote_markdown(q, 4096) == "“**John Rabe** was there”"


def test_long_quotes_fit_every_limit():
    words = " ".join(f"word{i}" for i in range(3000))
    answer_quotes = [quote(words, [(0, 5), (6000, 6010)]) for _ in range(3)]
    embeds = answer_embeds(Answer("q", True, tuple(answer_quotes), ("note",)), answer_quotes)
    assert embeds_size(embeds) <= EMBEDS_TOTAL_MAX
    for e in embeds:
        assert len(e.description) <= DESCRIPTION_MAX
        assert e.description.endswith("…”")
        assert all(len(f.value) <= FIELD_VALUE_MAX for f in e.fields)


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=6000), n=st.integers(1, 3))
def test_any_text_renders_within_limits_and_pings_nobody(text, n):
    quotes = [quote(text, [(0, min(3, len(text)))], context=(text,)) for _ in range(n)]
    embeds = answer_embeds(Answer(text, True, tuple(quotes), (text,)), quotes)
    assert embeds_size(embeds) <= EMBEDS_TOTAL_MAX
    for e in embeds:
        assert len(e.description) <= DESCRIPTION_MAX
        assert not PING.search(e.description)
        assert all(len(f.value) <= FIELD_VALUE_MAX and not PING.search(f.value) for f in e.fields)
    refusal = not_found_text(Answer(text, False, (), (text,), (text,)), text)
    assert len(refusal) <= CONTENT_MAX and not PING.search(refusal)
