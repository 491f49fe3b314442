"""Is a question in English? Each word votes for the language that uses it most."""
import pytest

from bot.answering.language import is_english

SOURCES_WORDS = {"when", "did", "nanking", "fall", "who", "was", "safety", "zone", "in", "war", "the", "film"}


def _known(word: str) -> bool:
    return word in SOURCES_WORDS


@pytest.mark.parametrize("question, english", [
    ("when did nanking fall", True),
    ("who was in the safety zone", True),
    ("what war was it", True),                   # "war", a German word too, is the sources'
    ("Wer war John Rabe?", False),
    ("¿Quién fue Minnie Vautrin?", False),
    ("南京什么时候沦陷", False),
    # a word votes as typed, accents and all: "aufgelöst" is German, "aufgelost" no word at all
    ("Sicherheitszone aufgelöst?", False),
    # a tie goes to English unless another language's question word comes first
    ("wer spielt Jon Rabe in", False),
    ("war criminals", True),
])
def test_the_language_vote(question, english):
    assert is_english(question, _known) is english
