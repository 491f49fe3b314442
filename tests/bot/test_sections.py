"""Questions that point at a numbered section ("the second comment"): bot/answering/sections.py,
Corpus.numbered_sections, and the ranking that puts the pointed section first."""
import pytest

from bot.answering.answers import build_answer
from bot.answering.sections import ordinal, past_the_last, section_scope
from index.engine import Index
from index.retrieval.protocol import Query
from tests.conftest import CORPUS

BLOG = "blog-truth-about-nanking"


@pytest.fixture(scope="module")
def lexical():
    return Index.from_dir(CORPUS, semantic=False)


def test_the_corpus_lists_its_numbered_sections(lexical):
    assert lexical.corpus.numbered_sections == {
        "comment": {BLOG: {1: "Comment 1", 2: "Comment 2", 3: "Comment 3"}}}


@pytest.mark.parametrize("words, number", [
    (["the", "second", "comment"], 2), (["3rd", "reader"], 3), (["last", "comment", "first"], -1),
    (["what", "did", "they", "say"], None), (["42nd"], 42), (["second", "last"], 2)])
def test_ordinals(words, number):
    assert ordinal(words) == number


def _scope(index, text, glossed=()):
    terms = tuple(index.analyzer.tokens(" ".join([text, *glossed])))
    return section_scope(index, Query(text, terms, {}, translated=tuple((w, w) for w in glossed)))


def test_an_ordinal_and_the_title_word_point_at_the_section(lexical):
    assert _scope(lexical, "what did the second commenter say") == {(BLOG, "Comment 2")}
    assert _scope(lexical, "the first comment") == {(BLOG, "Comment 1")}
    assert _scope(lexical, "and the last comment?") == {(BLOG, "Comment 3")}
    assert _scope(lexical, "第二位评论者说了什么", glossed=("second", "comment")) == {(BLOG, "Comment 2")}


def test_no_pointer_without_both_or_past_the_last(lexical):
    assert _scope(lexical, "when was nanking first bombed") == frozenset()   # no title word
    assert _scope(lexical, "what do the comments say") == frozenset()        # no ordinal
    assert _scope(lexical, "the fifth comment") == frozenset()               # there are three


@pytest.mark.parametrize("question, comment", [
    ("What did the second commenter say?", "Reader comment 2"),
    ("what does the first comment complain about", "Reader comment 1"),
    ("the last comment", "Reader comment 3")])
@pytest.mark.parametrize("semantic", [False, True])
def test_the_answer_quotes_the_section_pointed_at_first(lexical, index, question, comment, semantic):
    answer = build_answer(index if semantic else lexical, question)
    assert answer.answered
    assert answer.quotes[0].attribution.startswith(comment), answer.quotes[0]


def _past(index, text):
    return past_the_last(index, Query(text, tuple(index.analyzer.tokens(text)), {}))


def test_a_section_past_the_last_is_said_with_the_ones_there_are(lexical):
    assert _past(lexical, "what did the sixth commenter say") == (
        "there is no Comment 6; “The Truth About Nanking (Movie)” has Comment 1 to Comment 3")
    assert _past(lexical, "the tenth comment?") is not None
    for there in ("the third comment", "the last comment", "what do the comments say", "the sixth emperor"):
        assert _past(lexical, there) is None, there


@pytest.mark.parametrize("semantic", [False, True])
def test_a_question_about_a_section_past_the_last_is_declined_with_why(lexical, index, semantic):
    """Not the least-bad passage: the blog shows three comments ("6 thoughts on" it, says its heading)."""
    answer = build_answer(index if semantic else lexical, "What did the sixth commenter on the blog post say?")
    assert not answer.answered and answer.quotes == ()
    assert answer.notes[0] == ("Not in my sources: there is no Comment 6; “The Truth About Nanking (Movie)” "
                               "has Comment 1 to Comment 3.")
