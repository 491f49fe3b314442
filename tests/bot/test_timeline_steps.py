"""A step along the timeline ("what happened next?", "and before that?", "Was geschah danach?",
"然后呢？") after a dated answer quotes the timeline's entries after (before) the dates it quoted,
instead of searching its own few words ("what happened next" got "they never mention “next”")."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.answers import SOURCES_IN_ENGLISH
from bot.answering.types import Answer, Quote
from bot.asking_more import Asked, asks_for_more
from bot.console import handle_line
from bot.conversation import ConversationMemory, answer_in
from bot.timeline_steps import AFTER, BEFORE, answer_step, asks_for_step, quoted_dates
from index.engine import Index
from index.live import LiveIndex

ROOT = Path(__file__).resolve().parents[2]

STEPS_AFTER = ["what happened next?", "What happened next", "and then?", "then what?", "what happened after that?",
               "ok, what happened after that", "what came next?", "what followed?", "and after that?",
               "what happened afterwards?", "what happened later?", "so what happened then?", "then?",
               "Was geschah danach?", "Und dann?", "Was passierte als nächstes?", "Wie ging es weiter?",
               "¿Y después?", "¿Qué pasó después?", "¿Qué ocurrió luego?", "¿Y luego?", "y después de eso?",
               "然后呢？", "之后发生了什么？", "后来呢", "後來發生了什麼事？", "接下来发生了什么？",
               "その後どうなった？", "それから？", "その後は？", "その後何が起きたの？"]
STEPS_BEFORE = ["and before that?", "what happened before that?", "what happened before?", "what came before?",
                "what led up to that?", "Und davor?", "Was geschah vorher?", "Was passierte davor?",
                "¿Y antes?", "¿Qué pasó antes de eso?", "之前呢？", "在那之前发生了什么？", "その前は？",
                "それ以前は何があった？"]
NOT_STEPS = ["what happened after the war?", "what happened next to Rabe?", "tell me more", "next", "what's next?",
             "who was John Rabe?", "what happened in 1937?", "and the director?", "¿Qué pasó después de la guerra?",
             "Was geschah danach mit Rabe?", "井田修少尉はその後どうなった？", "安全区后来怎么样了？", "",
             "what happened", "before the war?", "¿Entonces?", "hello"]


@pytest.fixture(scope="module")
def lexical():
    """BM25 alone: which quote comes first for the opening questions is not what is tested."""
    return Index.from_dir(ROOT / "corpus")


@pytest.mark.parametrize("message", STEPS_AFTER)
def test_a_step_forward_is_read_as_one(message):
    assert asks_for_step(message) == AFTER


@pytest.mark.parametrize("message", STEPS_BEFORE)
def test_a_step_back_is_read_as_one(message):
    assert asks_for_step(message) == BEFORE


@pytest.mark.parametrize("message", NOT_STEPS)
def test_a_question_that_says_what_it_asks_is_no_step(message):
    assert asks_for_step(message) is None


def _dates(answer) -> list[str]:
    return [q.date for q in answer.quotes]


def _starts(index, answer) -> list:
    """The start of each quoted timeline entry's dates."""
    by_passage = {index.timeline_passage(e).id: e for e in index.timeline.all()}
    return [by_passage[q.passage_id].span.start for q in answer.quotes]


def test_what_happened_next_quotes_the_entries_after_the_dated_answer_in_order(lexical):
    memory = ConversationMemory()
    first, _ = answer_in(memory, "k", lexical, "what happened on December 13, 1937?")
    assert first.answered and first.quotes[0].date == "1937-12-13"
    step, resolution = answer_in(memory, "k", lexical, "what happened next?")
    assert resolution.step == AFTER and step.answered and not step.chat
    starts = _starts(lexical, step)
    later = sorted(e.span.start for e in lexical.timeline.all() if e.span.start.isoformat() > "1937-12-13")
    assert starts == later[:3]   # the next three, in order, none of that day again
    assert all(q.passage_id.split("@")[0] == q.source_id for q in step.quotes)   # timeline entries, verbatim
    assert SOURCES_IN_ENGLISH not in step.notes
    # a further step goes on from the last entry shown, and "tell me more" is one too
    again, _ = answer_in(memory, "k", lexical, "and after that?")
    assert _starts(lexical, again) == later[3:6]
    more, resolution = answer_in(memory, "k", lexical, "tell me more")
    assert resolution.step == AFTER and _starts(lexical, more) == later[6:9]


def test_a_step_back_quotes_the_entries_before_the_earliest_date_shown_the_latest_first(lexical):
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "what happened on December 13, 1937?")
    answer_in(memory, "k", lexical, "what happened next?")
    back, resolution = answer_in(memory, "k", lexical, "and before that?")
    assert resolution.step == BEFORE
    earlier = sorted((e.span.start for e in lexical.timeline.all() if e.span.start.isoformat() < "1937-12-14"),
                     reverse=True)
    assert _starts(lexical, back) == earlier[:3]


def test_a_passage_holding_dated_entries_is_stepped_from_its_latest_date(lexical):
    """A prose quote dates what it holds of the timeline ("By November 12th ... by December 13th")."""
    entry = next(e for e in lexical.timeline.all() if e.date == "1937-12-13" and "invaded the city" in e.text)
    passage = next(p for p in lexical.passages if p.source_id == entry.source_id and not p.is_timeline
                   and p.start <= entry.text_start and entry.text_end <= p.end)
    held = [e.span for e in lexical.timeline.all() if e.source_id == passage.source_id
            and passage.start <= e.text_start and e.text_end <= passage.end]
    assert len(held) >= 2
    quote = Quote(1, passage.text, passage.source_id, "t", passage.attribution, passage.section, 1.0, passage.id,
                  passage.start, passage.end)
    dates = quoted_dates(lexical, Answer("q", True, (quote,)), 3, walked=False)
    assert sorted(dates, key=lambda s: s.start) == sorted(held, key=lambda s: s.start)
    step = answer_step(lexical, "what happened next?", Asked("q", "q", 3, True, dates), AFTER, 3)
    assert min(_starts(lexical, step)) > max(s.start for s in held)


def test_after_an_undated_answer_the_message_is_read_as_a_question(lexical):
    memory = ConversationMemory()
    first, _ = answer_in(memory, "k", lexical, "who plays John Rabe in City of Life and Death?")
    assert first.answered and first.quotes[0].date is None
    _, resolution = answer_in(memory, "k", lexical, "what happened next?")
    assert resolution.step is None
    _, resolution = answer_in(ConversationMemory(), "new", lexical, "what happened next?")
    assert resolution.step is None   # nothing asked before


def test_past_the_last_entry_the_reply_says_so_and_is_no_declined_question(lexical):
    last = max(lexical.timeline.all(), key=lambda e: (e.span.start, e.span.end))
    reply = answer_step(lexical, "what happened next?", Asked("q", "q", 3, True, (last.span,)), AFTER, 3)
    assert reply.chat and not reply.answered and not reply.quotes
    assert reply.notes[0].startswith("Nothing in my sources is dated after ")


def test_a_step_in_another_language_says_the_sources_are_in_english(lexical):
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "¿Qué pasó el 13 de diciembre de 1937?")
    step, resolution = answer_in(memory, "k", lexical, "¿Y después?")
    assert resolution.step == AFTER and step.answered
    assert SOURCES_IN_ENGLISH in step.notes


def test_tell_me_more_after_an_ordinary_answer_is_still_more_of_it(lexical):
    assert asks_for_more("tell me more")
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "what happened on December 13, 1937?")
    _, resolution = answer_in(memory, "k", lexical, "tell me more")
    assert resolution.more and resolution.step is None


def test_the_console_says_which_date_a_step_goes_on_from(lexical):
    live = LiveIndex(ROOT / "corpus")
    live.load()
    memory = ConversationMemory()
    handle_line(live, "what happened on December 13, 1937?", False, memory)
    reply = handle_line(live, "what happened next?", False, memory)
    assert reply.startswith("Next on the timeline from 13 December 1937, the latest date I quoted, in order:\n1. ")
