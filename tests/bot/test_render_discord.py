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


# -- issue 13: long quotes shrink to their start, never to "n …"; bidi controls removed --------
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_a_huge_markdown_heavy_quote_keeps_its_start():
    words = [f"*w{i}_" for i in range(200_000)]           # every word escaped twice over
    text = "Nanking " + " ".join(words)
    highlights = [(0, 7), (len(text) - 5, len(text))]
    out = quote_markdown(quote(text, highlights), 1000)
    assert len(out) <= 1000 and out.startswith("“**Nanking**") and out.endswith(" …”"), out[:80]
    assert len(out) > 500   # shrinks to fit, not to one letter


def test_a_huge_quote_without_spaces_is_cut_at_a_character():
    out = quote_markdown(quote("南京" * 600_000), 1000)
    assert out.startswith("“南京南京") and out.endswith(" …”") and 500 < len(out) <= 1000


def test_bidirectional_controls_never_reach_discord():
    text = f"evil\u202egpj.exe {BIDI} <@1> quote"
    answer = Answer(text, True, (quote(text, context=(text,)),), (), ())
    embeds = answer_embeds(answer, list(answer.quotes))
    shown = [e.description, e.footer.text, *(f.value for f in e.fields)] if (e := embeds[0]) else []
    shown += [escape(text), not_found_text(answer, text)]
    for piece in shown:
        assert not any(c in piece for c in BIDI), repr(piece)
    assert "evilgpj.exe" in escape(text)


def test_a_sources_context_note_is_shown_once_per_page_not_under_every_quote():
    from bot.render.console import render_answer

    note = "A long note about the source that would otherwise repeat under every quote from it."
    quotes = tuple(Quote(rank=n, text=f"Quote {n}.", source_id="s", source_title="S", attribution="S",
                         section=None, score=1.0, passage_id=f"s#{n}", context=(note,)) for n in (1, 2, 3))
    answer = Answer("q", True, quotes, notes=(note,), sources=("S",))
    embeds = answer_embeds(answer, list(quotes))
    assert [sum(f.value == note for f in e.fields) for e in embeds] == [1, 0, 0]
    assert answer_embeds(answer, list(quotes[1:]))[0].fields[0].value == note  # page 2 shows it again
    assert render_answer(answer).count(note) == 1
