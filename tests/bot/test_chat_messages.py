"""A message that only greets, thanks or asks for help is not a question: it gets a short reply
saying what the bot does, not "Not in my sources: they never mention “hello”", and it is not
counted as a question the sources could not answer."""
from __future__ import annotations

import pytest

from bot.answering.answers import analyse, build_answer
from bot.answering.reasons import CHAT_REPLY, WELCOME
from bot.render.console import render_answer
from bot.render.discord_embeds import not_found_text
from bot.render.jsonout import answer_dict

CHAT = ["hello", "Hi there!", "hey bot", "thanks!", "thank you so much 🙏", "ok thx", "help", "help?",
        "hmm", "Hola", "谢谢！", "Danke schön", "muchas gracias", "vielen Dank!", "ありがとうございます",
        "Good morning!", "guten Tag", "buenas tardes"]


THANKS = {"thanks!", "thank you so much 🙏", "ok thx", "谢谢！", "Danke schön", "muchas gracias", "vielen Dank!",
          "ありがとうございます"}


@pytest.mark.parametrize("message", CHAT)
def test_a_message_that_only_greets_or_thanks_gets_the_chat_reply(index, message):
    answer = build_answer(index, message)
    assert answer.chat and not answer.answered and answer.quotes == ()
    # thanks are acknowledged first
    assert answer.notes == ((WELCOME, CHAT_REPLY) if message in THANKS else (CHAT_REPLY,))


@pytest.mark.parametrize("message", ["who are you?", "what can you do?", "what are you", "what do you know?",
                                     "how do you work?", "who made you?", "Wer bist du?", "Was kannst du?",
                                     "¿Quién eres?", "¿Qué puedes hacer?", "你是谁？", "你能做什么？",
                                     "あなたは誰ですか？", "何ができますか？", "what's your name?", "Wie heißt du?",
                                     "¿Cómo te llamas?", "你叫什么名字？"])
def test_a_message_that_only_asks_about_the_bot_gets_the_chat_reply(index, message):
    """"what do you know?" quoted three blog comments for "know"; "who are you?" had "no words
    to search"."""
    answer = build_answer(index, message)
    assert answer.chat and not answer.answered and answer.notes == (CHAT_REPLY,)


@pytest.mark.parametrize("message", ["hello, who was john rabe?", "thanks! and when did nanking fall?",
                                     "hello nanking", "help me find rabe", "can you help with the safety zone",
                                     "asdfghjkl", "the of and to", "?", "morgen?", "what happened that morning",
                                     "buenos días, ¿quién era John Rabe?", "do you know who John Rabe was?",
                                     "what do you know about the safety zone?", "¿sabes quién fue Rabe?",
                                     "你知道拉贝是谁吗？", "what did you say about the film?"])
def test_a_message_with_anything_else_in_it_is_a_question(index, message):
    assert not build_answer(index, message).chat


def test_the_decision_features_of_a_greeting_are_still_measured(index):
    """The decider learns what a word the sources never use means from such questions
    (``answers._no_word_known``): a greeting stays an analysed question, not a fact."""
    analysis = analyse(index, "hello")
    assert analysis.fact is None and analysis.values is not None


def test_every_renderer_shows_the_chat_reply_not_a_decline(index):
    answer = build_answer(index, "hi bot!")
    console = render_answer(answer)
    assert CHAT_REPLY in console and "Not in my sources" not in console
    discord_text = not_found_text(answer, "hi bot!")
    assert CHAT_REPLY in discord_text and "Not in my sources" not in discord_text
    assert "/timeline" in discord_text
    assert answer_dict(answer)["chat"] is True and answer_dict(build_answer(index, "who was rabe"))["chat"] is False
