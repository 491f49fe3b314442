"""Hostile questions and hostile corpus text, property-based, from the tokenizer to what Discord shows.

Inputs: arbitrary Unicode (lone surrogates included), empty and whitespace-only text, 10,000
characters, only stopwords, only punctuation, CJK, right-to-left and zero-width characters,
markdown and every kind of mention syntax. Invariants:

* no exception escapes the tokenizer, the date parsers, the timeline search, the answer builder
  or any renderer (Discord, console, JSON);
* every message and embed is within Discord's limits;
* nothing the bot sends can ping or link anyone (no unescaped @everyone, @here, <@id>, <@!id>,
  <@&id>, <#id>), and a question echoed back has every markdown character escaped;
* every quote is verbatim source text, in the Answer and once un-rendered from the embed;
* a question longer than 500 characters is answered from its beginning, with a note saying so.

The last tests send hostile text through the real discord.py client and the fake Discord
(/ask, mentions, /timeline and its autocomplete) and check every request body the bot sent.
"""
from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path

import discord
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answering.answers import Answer, Quote, build_answer
from bot.answering.reading import read_question
from bot.render.console import render_answer, render_entry, render_sources
from bot.render.discord_embeds import (
    answer_embeds,
    entry_line,
    not_found_text,
    sources_embed,
    timeline_embed,
    timeline_heading,
)
from bot.render.jsonout import answer_dict, dumps, timeline_dict
from bot.render.limits import CONTENT_MAX
from index.corpus.model import Corpus, Section, Source
from index.dates import InvalidDate, extract_date_query, parse_date_query
from index.engine import Index
from index.retrieval.lexical import MAX_QUESTION_CHARS
from index.text.verbatim import normalize_ws
from index.text.wordlists import STOPWORDS
from tests.support.fixtures import fake_discord, start_bot  # noqa: F401  (fixtures)

# --------------------------------------------------------------------------- Discord's rules

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
LIMITS = {"title": 256, "description": 4096, "fields": 25, "field_name": 256, "field_value": 1024,
          "footer": 2048, "author": 256, "total": 6000, "embeds": 10, "content": 2000}

# A mention Discord would render (and, unless allowed_mentions forbids it, ping).
PING = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
# Discord's own URL pattern (discord.utils): markdown inside a URL is left as it is.
URL = re.compile(r"<[^: >]+:\/[^ >]+>|(?:https?|steam):\/\/[^\s<]+[^<.,:;\"\'\]\s]")
MARKDOWN = re.compile(r"[*_~`|\\]")


def assert_no_ping(text: str) -> None:
    found = PING.search(text or "")
    assert found is None, f"unescaped mention {found.group()!r} in {text!r:.300}"


def assert_inert(echo: str) -> None:
    """Text echoed from a user renders literally: every markdown character is escaped."""
    assert_no_ping(echo)
    rest = URL.sub("", re.sub(r"\\.", "", echo, flags=re.S))
    assert not MARKDOWN.search(rest), f"unescaped markdown in the echo {echo!r:.300}"


def assert_embeds_ok(embeds: list[discord.Embed]) -> None:
    assert len(embeds) <= LIMITS["embeds"]
    total = 0
    for embed in embeds:
        e = embed.to_dict()
        title, description = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        fields = e.get("fields") or []
        assert len(title) <= LIMITS["title"] and len(description) <= LIMITS["description"]
        assert len(footer) <= LIMITS["footer"] and len(fields) <= LIMITS["fields"]
        for f in fields:
            assert 0 < len(f["name"]) <= LIMITS["field_name"], f
            assert 0 < len(f["value"]) <= LIMITS["field_value"], f
            assert_no_ping(f["name"])
            assert_no_ping(f["value"])
        for text in (title, description, footer):
            assert_no_ping(text)
        total += len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= LIMITS["total"], total


def unrender(description: str) -> str:
    """The words of a rendered quote: without the quotation marks, the bold markers, the
    escapes, the zero-width spaces that defuse mentions and a trailing ellipsis."""
    body = description.removeprefix("“").removesuffix("”")
    cut = body.endswith(" …")
    body = body.removesuffix(" …").replace("@\u200b", "@").replace("<\u200b#", "<#")  # defuse's insertions
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
        elif body.startswith("**", i):
            i += 2
        else:
            out.append(body[i])
            i += 1
    text = "".join(out)
    return text.rstrip() if cut else text


def assert_rendered_quote_is_verbatim(description: str, source_text: str) -> None:
    """Verbatim, whitespace and bidirectional controls aside (the bot removes those: U+202E)."""
    words = normalize_ws(unrender(description))
    assert words in normalize_ws(BIDI.sub("", source_text)), (description[:200], words[:200])


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


# --------------------------------------------------------------------------- hostile text

PIECES = [
    "@everyone", "@here", "@ everyone", "<@123456789012345678>", "<@!123456789012345678>", "<@&987654321098765432>",
    "<#555555555555555555>", "</ask:1234567890>", "@\u200beveryone", "＠everyone",
    "**", "*", "__", "_", "~~", "||", "`", "```", "\\", "> ", "# ", "-# ", "- ", "1. ",
    "[click](https://evil.example/x)", "https://example.org/a_b*c", "<https://example.org>",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u202c", "\u061c", "\u200f",
    "南京大屠杀", "拉贝日记", "ナンキン", "南京", "نانجينغ", "מינכן", "ﷺ", "e\u0301", "ß", "İ", "\U0001d400",
    "🏯", "👨‍👩‍👧", "\ud800", "\udfff", "\x00", "\x1b[31m", "\r\n", "\n", "\t", " ", "  ",
    "John Rabe", "Nanking", "Nanjing", "Safety Zone", "Minnie Vautrin", "Matsui", "Tokyo Trials",
    "Dec 13", "December 13, 1937", "1937-02-30", "Feb 30", "Aug 1946 - Feb 1947", "13/12/1937", "1937",
    "200,000", "9" * 40, "who", "what", "when", "how many", "the", "of", "and", "?", "!", "...", "“", "”", "’",
]
STOPWORD_LIST = sorted(STOPWORDS)
PUNCTUATION = string.punctuation + "“”‘’…—–·¿¡«»、。！？「」"


def _join(parts: list[str]) -> str:
    return "".join(parts)


hostile_text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=300),         # any code point, surrogates too
    st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map(_join),
    st.lists(st.sampled_from(STOPWORD_LIST), max_size=30).map(" ".join),  # only stopwords
    st.text(PUNCTUATION, max_size=200),                                   # only punctuation
    st.text(" \t\n\r\u00a0\u2003\u3000\u200b", max_size=50),              # whitespace and invisibles
    st.tuples(st.sampled_from(PIECES), st.integers(1, 10_000)).map(lambda t: (t[0] * t[1])[:10_000]),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(lambda p: (" ".join(p) + " ") * 400),
)
HOSTILE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- the tokenizer and dates


@HOSTILE
@given(text=hostile_text)
@example(text="")
@example(text="Nan\u200bking \u202eJohn Rabe\u202c 南京 ﷺ \ud800")
def test_tokenizer_never_raises_and_spans_point_into_the_text(index, text):
    tokens = index.tokenizer.tokens_with_spans(text)
    for t in tokens:
        assert t.term and isinstance(t.term, str)
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end].strip()
    assert [t.term for t in tokens] == index.tokenizer.tokens(text)  # deterministic


@HOSTILE
@given(text=hostile_text)
@example(text="1937-02-30")
@example(text="Feb 30 @everyone **x**")
def test_date_parsers_and_timeline_never_raise(index, text):
    for parse in (parse_date_query, extract_date_query):
        try:
            parse(text)
        except InvalidDate as exc:
            assert "is not a valid date" in str(exc)
    result = index.timeline.search(text)
    assert result.error is None or isinstance(result.error, str)
    for label, value in index.timeline.autocomplete(text, limit=25):
        assert label and value


# --------------------------------------------------------------------------- answers and renderers


def check_answer(index: Index, question: str, answer: Answer, per_page: int = 3) -> None:
    """Every invariant of one answer, rendered every way."""
    for q in answer.quotes:
        source = index.corpus.source_by_id[q.source_id]
        assert q.text and source.text[q.start:q.end] == q.text          # verbatim, traceable
        assert all(0 <= s < e <= len(q.text) for s, e in q.highlights)
    if len(read_question(question)) > MAX_QUESTION_CHARS:   # the question as read
        assert any("first" in n and "characters" in n for n in answer.notes), answer.notes
    # Discord: every page of the answer, as the /ask cog pages it
    pages = [list(answer.quotes[i:i + per_page]) for i in range(0, len(answer.quotes), per_page)]
    for page in pages:
        embeds = answer_embeds(answer, page)
        assert_embeds_ok(embeds)
        for quote, embed in zip(page, embeds, strict=True):
            assert_rendered_quote_is_verbatim(embed.description, index.corpus.source_by_id[quote.source_id].text)
    refusal = not_found_text(answer, question)
    assert len(refusal) <= CONTENT_MAX
    assert_no_ping(refusal)
    echo = refusal.split("answers “", 1)[1].split("”.\n", 1)[0] if "answers “" in refusal else ""
    assert_inert(echo)
    # console and JSON
    render_answer(answer)
    render_answer(answer, color=True)
    json.loads(dumps(answer_dict(answer)))


@HOSTILE
@given(question=hostile_text)
@example(question="")
@example(question="   \n\t ")
@example(question="@everyone who was **John Rabe**? <@&123456789012345678> <#42> ||spoiler||")
@example(question="the of and to in a an")
@example(question="?!?...“”")
@example(question="Nanking " * 2000)
def test_any_question_is_answered_or_declined_safely(index, question):
    answer = build_answer(index, question, k=9)
    assert answer.answered == bool(answer.quotes)
    check_answer(index, question, answer)
    check_answer(index, question, answer, per_page=10)  # quotes_per_answer may be set up to 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(padding=st.lists(st.sampled_from([" ", "?", "!", "…", "\u200b", "\n", "the", "of", "and", "please"]),
                        min_size=1, max_size=8).map(" ".join).filter(lambda p: any(c.isalpha() for c in p)),
       size=st.integers(MAX_QUESTION_CHARS, 10_000))
def test_a_long_question_is_answered_from_its_beginning_with_a_note(index, padding, size):
    question = "Who was John Rabe? " + (padding + " ") * size + "?"   # words past the limit, as read
    answer = build_answer(index, question, k=9)
    assert answer.answered, answer.notes          # not refused for being long
    assert any(n.startswith("Your question was long; I searched its first") for n in answer.notes)
    assert "Rabe" in answer.quotes[0].text
    check_answer(index, question, answer)


@pytest.mark.parametrize("padding", [" ", "?", "! ", "\n\t"])
def test_a_question_long_only_in_spaces_and_marks_is_read_whole_without_a_note(index, padding):
    answer = build_answer(index, "Who was John Rabe" + padding * 3000)
    assert answer.answered and "Rabe" in answer.quotes[0].text
    assert not any(n.startswith("Your question was long") for n in answer.notes), answer.notes


# A corpus whose own text is hostile: quotes must stay verbatim and still ping nobody.

_WORDS = ["rabe", "nanking", "zone", "safety", "ledger", "committee", "river", "gate", "diary", "winter"]
source_piece = st.one_of(st.sampled_from(PIECES), st.sampled_from(_WORDS), st.text(st.characters(), max_size=8))
source_text = st.lists(source_piece, min_size=5, max_size=120).map(" ".join).filter(lambda s: s.strip())


def _corpus(texts: list[str], attribution: str, context: str) -> Corpus:
    sources = []
    for i, text in enumerate(texts):
        sources.append(Source(
            id=f"s{i}", title=f"{attribution} {i}", kind="test", publisher="P", seed="s.txt", text=text,
            sections=(Section(None, 0, len(text), f"{attribution} {i}", None),), path=Path(f"s{i}.md"),
            context=context or None))
    return Corpus(root=Path("hostile"), sources=tuple(sources), timeline=(), entities=())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(source_text, min_size=1, max_size=3),
       attribution=st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(" ".join),
       context=st.lists(st.sampled_from(PIECES), max_size=300).map(" ".join),
       question=st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(PIECES)), min_size=1,
                         max_size=8).map(" ".join))
def test_hostile_corpus_text_is_quoted_verbatim_and_pings_nobody(texts, attribution, context, question):
    index = Index(_corpus(texts, attribution, context.strip()))
    answer = build_answer(index, question, k=9)
    check_answer(index, question, answer)
    check_answer(index, question, answer, per_page=10)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), title=st.sampled_from(PIECES).map(lambda p: p * 50),
       context=st.sampled_from(PIECES).map(lambda p: (p + " ") * 400))
def test_sources_embed_stays_within_limits(n, title, context):
    sources = tuple(Source(id=f"s{i}", title=f"{title}{i}", kind=title[:300], publisher=context[:500], seed="s",
                           text="x", sections=(), path=Path("x"), context=context) for i in range(n))
    assert_embeds_ok([sources_embed(sources)])
    render_sources(sources)


@settings(max_examples=60, deadline=None)
@given(text=hostile_text, date_text=st.sampled_from(PIECES), title=st.sampled_from(PIECES),
       heading=hostile_text, n=st.integers(1, 40))
def test_timeline_lines_and_embed_stay_within_limits(text, date_text, title, heading, n):
    from index.corpus.model import TimelineEntry

    entry = TimelineEntry("t", date_text, "1937-12-13", "day", False, text or "x", "s", 0, 1)
    lines = [entry_line(entry, title)] * n
    assert_no_ping(lines[0])
    title_text = timeline_heading(heading)
    if title_text != "Timeline":
        assert_inert(title_text.removeprefix("Timeline: "))
    assert_embeds_ok([timeline_embed(title_text, lines, f"{n} entries")])
    render_entry(entry, title)
    json.loads(dumps(timeline_dict(heading, [entry])))


def test_quote_footers_and_notes_fit_together_with_a_long_note():
    """Three quotes, long attributions and context notes, and an "Also" note: still <= 6000."""
    words = " ".join(f"word{i}" for i in range(3000))
    quotes = tuple(Quote(i + 1, words, "s", "T", "@everyone " * 300, None, 1.0, "p", 0, len(words), (),
                         "1937-12-13", "December 13 " * 40, False, ("ctx " * 400, "more " * 300)) for i in range(3))
    answer = Answer("q", True, quotes, ("x " * 700, "y " * 700))
    for per_page in (1, 3):
        assert_embeds_ok(answer_embeds(answer, list(quotes[:per_page])))


# --------------------------------------------------------------------------- through Discord

def _hostile_samples(n: int, seed: int = 1937) -> list[str]:
    rng = random.Random(seed)
    samples = ["", " ", "\u200b\u200b", "@everyone", "@here hello", "<@&987654321098765432> who was John Rabe?",
               "**John Rabe** __Nanking__ ~~x~~ ||y|| `z` ```w```", "the of and to", "?!?...", "南京大屠杀 拉贝",
               "\u202eJohn Rabe\u202c", "[click](https://evil.example) Safety Zone", "Feb 30 @everyone",
               "Who was John Rabe? " + "tell me more " * 500, "x" * 6000, "\\*\\* <#555555555555555555>"]
    while len(samples) < n:
        samples.append(" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))))
    return samples


def _message_texts(body: dict) -> list[str]:
    texts = [body.get("content") or ""]
    for e in body.get("embeds") or []:
        texts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
        texts += [f.get("name", "") + "\n" + f.get("value", "") for f in e.get("fields") or []]
    return texts


def assert_bodies_safe(fake) -> int:
    """Every body the bot sent: within limits, pings nobody, never allows a mention."""
    from tests.support.bot_harness import sent_bodies

    bodies = sent_bodies(fake)
    for data in bodies:
        assert len(data.get("content") or "") <= LIMITS["content"]
        assert_embeds_ok([discord.Embed.from_dict(e) for e in data.get("embeds") or []])
        for text in _message_texts(data):
            assert_no_ping(text)
        allowed = data.get("allowed_mentions") or {}
        assert allowed.get("parse") == [] and not allowed.get("users") and not allowed.get("roles") \
            and not allowed.get("replied_user"), data
    return len(bodies)


@pytest.fixture
async def quote_bot(fake_discord, start_bot, tmp_path):  # noqa: F811
    from tests.support.bot_harness import copy_corpus, start_quote_bot

    return await start_quote_bot(fake_discord, start_bot, copy_corpus(tmp_path))


async def test_hostile_questions_through_discord(fake_discord, quote_bot):  # noqa: F811
    fake = fake_discord
    for question in _hostile_samples(40):
        if question.strip():
            ix = await fake.send_slash_command("ask", {"question": question})
            reply = await fake.wait_for_original(ix)
            if reply.content and "answers “" in reply.content:
                assert_inert(reply.content.split("answers “", 1)[1].split("”.\n", 1)[0])
            long = len(read_question(question)) > MAX_QUESTION_CHARS   # as read
            if long:
                assert reply.embeds or "first" in reply.content  # answered from the beginning, with the note
            if reply.embeds and long:
                assert any(f["name"] == "Also" and "first" in f["value"]
                           for e in reply.embeds for f in e.get("fields", []))
        await fake.send_message(f"{fake.bot_user.mention} {question}")
        await fake.wait_for_channel_message(fake.channel.id)
    assert assert_bodies_safe(fake) >= 75


async def test_hostile_timeline_queries_through_discord(fake_discord, quote_bot):  # noqa: F811
    fake = fake_discord
    for query in _hostile_samples(30, seed=13):
        ix = await fake.send_slash_command("timeline", {"query": query[:6000]})
        reply = await fake.wait_for_original(ix)
        if reply.embeds:
            title = reply.embeds[0].get("title") or ""
            if title.startswith("Timeline: "):
                assert_inert(title.removeprefix("Timeline: ").removesuffix("…"))
        elif "matches “" in reply.content:
            assert_inert(reply.content.split("matches “", 1)[1].split("”.", 1)[0])
        ix = await fake.send_autocomplete("timeline", {"query": query[:100]}, focused="query")
        choices = (await fake.wait_for_interaction_response(ix)).data["choices"]
        assert len(choices) <= 25 and all(0 < len(c["name"]) <= 100 and 0 < len(c["value"]) <= 100 for c in choices)
    assert assert_bodies_safe(fake) >= 30


def test_a_context_note_of_nothing_but_bidi_controls_is_left_out_not_sent_empty():
    index = Index(_corpus(["John Rabe was a German businessman in Nanking."], "John Rabe", "\u202e"))
    answer = build_answer(index, "John Rabe", k=9)
    check_answer(index, "John Rabe", answer)   # Discord refuses an embed field with an empty value
