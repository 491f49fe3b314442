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
    # a function word German or Spanish uses about as often as English ("was", "am", "in", "a")
    # does not vote: the German around it decides
    ("Was geschah 2007?", False),
    ("Was passierte am 21. Dezember 1937 in Nanking?", False),
    ("se fue a nanking", False),                # "a" voted English: 1 vote to 1, and a tie is English
    # ... and an English question of such words and names alone is still English
    ("was he in nanking", True),
    ("when was it", True),
])
def test_the_language_vote(question, english):
    assert is_english(question, _known) is english


def _spans(question: str, *names: str) -> list[tuple[int, int]]:
    return [(question.index(n), question.index(n) + len(n)) for n in names]


@pytest.mark.parametrize("question, names, english", [
    # the English title is a name: it does not make the Chinese or Japanese around it English
    ("City of Life and Death的导演是谁？", ["City of Life and Death"], False),
    ("City of Life and DeathのIMDb評価は？", ["City of Life and Death"], False),
    # a Japanese title in an English question: the question is English
    ("南京の真実 - when did the film come out?", ["南京の真実"], True),
    ("南京の真実 - when did the film come out?", [], True),
])
def test_a_name_in_another_script_does_not_decide_the_language(question, names, english):
    assert is_english(question, _known, _spans(question, *names)) is english
