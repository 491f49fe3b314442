"""A request for more ("tell me more", "what else?", "Erzähl mir mehr", "还有吗？") continues the
conversation's last question with its next quotes, instead of searching its own few words
("tell me more" had no word to search). Nothing is repeated; when the sources hold nothing more,
or nothing was asked, the reply says so and is not counted as a question they could not answer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.answers import build_answer
from bot.asking_more import asks_for_more
from bot.conversation import ConversationMemory, answer_in
from bot.render.console import more_shown
from index.engine import Index

ROOT = Path(__file__).resolve().parents[2]

MORE = ["tell me more", "Tell me more!", "more", "more?", "go on", "anything else?", "what else?",
        "is there more?", "ok, tell me more please", "can you tell me more about that?", "more quotes",
        "next", "continue", "show me more", "thanks! what else do you have?", "keep going",
        "Erzähl mir mehr", "mehr", "Was noch?", "Gibt es noch mehr?", "weiter bitte",
        "Cuéntame más", "¿Algo más?", "más", "dime más, por favor", "sigue",
        "还有吗？", "继续", "多告诉我一些", "还有呢",
        "もっと教えて", "他には？", "続けて", "もっと詳しく教えてください"]

NOT_MORE = ["tell me more about John Rabe", "tell me more about her", "what happened next?", "more about the film",
            "did more die?", "what else did Rabe do?", "who was John Rabe?", "what more could they have done?",
            "Was weißt du über Rabe?", "¿Qué más hizo Rabe?", "还有谁？", "hello", "thanks", "", "next day?",
            "Erzähl mir mehr über Rabe", "¿Hay más películas?", "もっと大きい映画は？"]


@pytest.fixture(scope="module")
def lexical():
    """BM25 alone: the pages of more, whatever the semantic stage adds (the conftest's ``index``
    has it, for the tests of where the pages end)."""
    return Index.from_dir(ROOT / "corpus")


@pytest.mark.parametrize("message", MORE)
def test_a_request_for_more_is_read_as_one(message):
    assert asks_for_more(message)


@pytest.mark.parametrize("message", NOT_MORE)
def test_a_question_that_says_what_it_asks_is_not_a_request_for_more(message):
    assert not asks_for_more(message)


def test_tell_me_more_shows_the_next_quotes_of_the_last_question(lexical):
    memory = ConversationMemory()
    first, _ = answer_in(memory, "k", lexical, "who was John Rabe?")
    assert first.answered and [q.rank for q in first.quotes] == [1, 2, 3]
    more, resolution = answer_in(memory, "k", lexical, "tell me more")
    assert resolution.more and resolution.continues.question == "who was John Rabe?"
    assert more.answered and not more.chat
    assert [q.rank for q in more.quotes] == [4, 5, 6]
    assert not {q.text for q in more.quotes} & {q.text for q in first.quotes}   # nothing repeated
    assert all("Rabe" in q.text for q in more.quotes)
    for quote in more.quotes:   # verbatim, with the context of its source
        source = lexical.corpus.source_by_id[quote.source_id]
        assert source.text[quote.start:quote.end] == quote.text and source.context in quote.context
    assert more_shown(resolution.continues) == "More on “who was John Rabe?”: its quotes after the first 3."


def test_when_nothing_more_is_left_the_reply_says_so(lexical):
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "who was John Rabe?")
    shown = {}
    for _ in range(5):
        answer, _ = answer_in(memory, "k", lexical, "what else?")
        if not answer.answered:
            break
        for q in answer.quotes:
            assert q.text not in shown   # each page new
            shown[q.text] = q.rank
    assert answer.chat and not answer.answered and answer.quotes == ()
    assert answer.notes == ("That is all my sources have on “who was John Rabe?”. Ask me something else.",)


def test_more_with_nothing_asked_before_says_what_to_do(lexical):
    answer, resolution = answer_in(ConversationMemory(), "k", lexical, "tell me more")
    assert resolution.more and resolution.continues is None
    assert answer.chat and not answer.answered
    assert answer.notes[0].startswith("More of what? Ask me a question first")


def test_more_after_a_question_the_sources_could_not_answer(lexical):
    memory = ConversationMemory()
    declined, _ = answer_in(memory, "k", lexical, "who is Barack Obama?")
    assert not declined.answered
    answer, _ = answer_in(memory, "k", lexical, "anything else?")
    assert answer.chat and not answer.answered
    assert answer.notes == ("I had nothing on “who is Barack Obama?”, so there is no more to show.",)


def test_a_greeting_between_keeps_the_question_to_continue(lexical):
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "who was John Rabe?")
    thanks, _ = answer_in(memory, "k", lexical, "thanks!")
    assert thanks.chat
    more, _ = answer_in(memory, "k", lexical, "Erzähl mir mehr")
    assert [q.rank for q in more.quotes] == [4, 5, 6]


def test_more_continues_the_follow_up_as_read_in_its_topic(lexical):
    """"what did he do?" about John Rabe, then "more": the next quotes of the question as searched
    (with the topic), said as it was asked."""
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "who was John Rabe?")
    follow, resolution = answer_in(memory, "k", lexical, "why did he stay?")
    assert resolution.topic is not None and resolution.topic.id == "john-rabe"
    more, again = answer_in(memory, "k", lexical, "more")
    assert again.continues.search == resolution.search and again.continues.question == "why did he stay?"
    assert more.quotes and more.quotes[0].rank == len(follow.quotes) + 1


def test_the_pages_end_where_the_quotes_stop_being_about_the_question(index):
    """Past the first page, a quote that holds no word of the question and comes from no source
    about what it names was there by closeness of meaning alone: "tell me about Germany" had 18
    further quotes, none about Germany ("Japan and China resume diplomatic relations")."""
    memory = ConversationMemory()
    first, _ = answer_in(memory, "k", index, "tell me about Germany")
    assert first.answered
    more, _ = answer_in(memory, "k", index, "tell me more")
    assert not more.answered and more.notes[0].startswith("That is all my sources have on")
    # a passage of a source about the film asked about is about it, named or not
    memory = ConversationMemory()
    answer_in(memory, "k", index, "tell me about The Truth about Nanking")
    more, _ = answer_in(memory, "k", index, "tell me more")
    assert more.answered and {q.source_id for q in more.quotes} == {"blog-truth-about-nanking"}
    assert any("this film investigates" in q.text for q in more.quotes)


def test_more_of_what_readers_think_shows_the_other_comments(index):
    """"what do readers think?" holds no word of the comments, but asks for them: its further
    page is the comments' paragraphs not shown yet (the pages ended at the first: "That is all my
    sources have"), and no passage of another voice (the post's own, its ratings). The comments'
    header ("6 thoughts on ...") is of the comments too: the learned order may put it there."""
    memory = ConversationMemory()
    first, _ = answer_in(memory, "k", index, "what do readers think?")
    assert first.answered
    more, _ = answer_in(memory, "k", index, "tell me more")
    assert more.answered, more.notes
    assert more.quotes and all(re.fullmatch(r"Comments|Comment \d", q.section) for q in more.quotes), more.quotes
    assert not {q.text for q in more.quotes} & {q.text for q in first.quotes}


def test_the_pager_s_pages_end_at_the_same_quote(index):
    """Discord's answer holds up to three pages for its "More results" button: past the first,
    the same end as "tell me more"."""
    assert len(build_answer(index, "tell me about Germany", 9).quotes) == 9
    paged = build_answer(index, "tell me about Germany", 9, first_page=3)
    assert len(paged.quotes) == 3 and paged.answered
    assert len(build_answer(index, "who was John Rabe?", 9, first_page=3).quotes) == 6
