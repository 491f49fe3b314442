"""A message that asks for the timeline ("show me the timeline", "timeline of the safety zone",
"Zeig mir die Zeitleiste", "muéstrame la cronología", "给我看时间线") gets the timeline, as
/timeline gives it, not three timeline lines found for the word "timeline"; one that asks for
the bot's sources gets them as /sources lists them, not "they never mention “sources”". A
question that asks something of the timeline or of a source stays a question."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.command_requests import sources_asked, timeline_asked
from bot.console import handle_line
from index.live import LiveIndex

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("message, query", [
    ("timeline", ""), ("Timeline?", ""), ("give me the timeline", ""), ("show me the whole timeline please", ""),
    ("can I see the timeline?", ""), ("what's the timeline?", ""), ("could you show us the full chronology", ""),
    ("hey bot, timeline pls", ""), ("I'd like to see the timeline", ""),
    ("show me the timeline of the safety zone", "the safety zone"), ("timeline for december 1937", "december 1937"),
    ("Zeig mir die Zeitleiste", ""), ("Kannst du mir die Chronologie zeigen?", ""), ("Zeitleiste von 1937", "1937"),
    ("muéstrame la cronología", ""), ("¿Me puedes dar la línea de tiempo?", ""), ("cronología de 1938", "1938"),
    ("给我看时间线", ""), ("时间线", ""), ("年表を見せて", ""), ("タイムラインを教えてください", ""),
])
def test_a_request_for_the_timeline_is_read_with_its_query(message, query):
    assert timeline_asked(message) == query


@pytest.mark.parametrize("message", [
    "what does the timeline say about Rabe?", "when does the timeline start?", "is the timeline accurate?",
    "who wrote the timeline", "how many entries are in the timeline?", "who was John Rabe?", "tell me more",
    "what happened in the timeline of the film?", "Was steht in der Zeitleiste über Rabe?", "时间线从哪一年开始？", "",
])
def test_a_question_about_the_timeline_is_not_a_request_for_it(message):
    assert timeline_asked(message) is None


@pytest.fixture(scope="module")
def live():
    live = LiveIndex(ROOT / "corpus")
    live.load()
    return live


def test_the_console_answers_a_request_for_the_timeline_with_the_timeline(live):
    assert handle_line(live, "give me the timeline") == handle_line(live, "/timeline")
    assert handle_line(live, "timeline of the safety zone") == handle_line(live, "/timeline the safety zone")
    assert "Safety Zone" in handle_line(live, "timeline of the safety zone")


@pytest.mark.parametrize("message", [
    "what are your sources?", "What are the sources", "which sources do you use?", "sources?", "your sources",
    "list your sources please", "can you show me the sources", "where does your information come from?",
    "what documents do you have?", "Welche Quellen nutzt du?", "Was sind deine Quellen?", "Quellen",
    "¿Cuáles son tus fuentes?", "¿Qué fuentes usas?", "fuentes", "你的来源是什么？", "你用了哪些资料？",
    "情報源は何ですか？", "ソースを教えて",
])
def test_a_request_for_the_sources_is_read_as_one(message):
    assert sources_asked(message)


@pytest.mark.parametrize("message", [
    "what sources does the blog cite?", "what are the sources of the documentary",
    "according to your sources, who was Rabe?", "are your sources reliable?", "who wrote the sources",
    "Welche Quellen zitiert der Blog?", "", "sources of the film", "这部电影的来源是什么？",
])
def test_a_question_about_a_source_is_not_a_request_for_the_sources(message):
    assert not sources_asked(message)


def test_the_console_answers_a_request_for_the_sources_with_them(live):
    assert handle_line(live, "what are your sources?") == handle_line(live, "/sources")
