"""Is a question in English? The sources are English; other languages are searched by meaning.

Each word votes for the language that uses it most (wordfreq's word frequencies, a well-kept
library with its data inside the package): "war" and "die" are German words more than English
ones, "fue" Spanish. Words the corpus itself uses vote English; names ("Rabe", "Nanking") are
written alike in every language and do not vote, nor do function words German or Spanish share
with English ("was", "am", "in", "a"). Text mostly in CJK characters, its names left
out ("City of Life and Death的导演是谁"), is not English, nor is a question with Spanish opening
marks ("¿", "¡").
A question with no voting word (a name alone, a typo) counts as English.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache

from index.text import glossary, hanzi, spelling, unread
from index.text.scripts import HAN, HANGUL, KANA
from index.text.tokenize import fold_word
from index.text.wordfreqs import FLOOR, LANGUAGES, zipf
from index.text.wordlists import STOPWORDS

_CJK = re.compile(f"[{KANA}{HAN}{HANGUL}]")
_MARKS = re.compile(r"[\s\W_]+")
MIN_ZIPF = FLOOR   # rarer than once per million words (not on the lists): no vote
MARGIN = 1.0     # zipf is log10: one point = ten times as frequent
_WORD = re.compile(r"[^\W\d_]+")
_SPANISH_MARKS = re.compile("[¿¡]")   # written by Spanish alone: the question is not English
_READ = tuple(lang for lang in glossary.LANGUAGES if lang in LANGUAGES)   # read word by word: German, Spanish


@lru_cache(maxsize=50_000)
def language_of(word: str) -> str | None:
    scores = {lang: zipf(word, lang) for lang in LANGUAGES}
    best = max(scores, key=scores.get)
    return best if scores[best] >= MIN_ZIPF else None


def mostly_cjk(text: str) -> bool:
    """Is the text mostly in Chinese, Japanese or Korean characters (more than 30% of its letters)?"""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) > 0.3 * len(letters)


def cjk_run(text: str) -> str | None:
    """A message mostly in Chinese or Japanese as one run without its spaces and marks ("还有吗？"
    -> "还有吗"), to match whole against a few set phrases; None for any other message."""
    return _MARKS.sub("", text) if mostly_cjk(text) else None


def is_english(question: str, known: Callable[[str], bool], name_spans: list[tuple[int, int]] = ()) -> bool:
    """``known(word)``: the corpus uses this folded word; ``name_spans``: where the question names
    something the corpus knows ("City of Life and Death"): those words do not vote."""
    if mostly_cjk(_without(question, name_spans)) or _SPANISH_MARKS.search(question):
        return False
    english = other = 0
    first = None   # the question's first word
    for m in _WORD.finditer(question):
        if any(s <= m.start() < e for s, e in name_spans):
            continue
        word = fold_word(m.group())
        if not word.isalpha():
            continue
        first = first or word
        # as typed, accents and all, when that is a word of some language ("aufgelöst"; folded,
        # "aufgelost" is none), else folded
        typed = m.group().lower()
        vote = _vote(typed if typed != word and language_of(typed) else word, known(word) or word in STOPWORDS)
        english += vote == "en"
        other += vote is not None and vote != "en"
    # a tie goes to English unless the question starts with another language's question word
    # ("wer spielt Jon Rabe in ...": "wer", "spielt" against "Jon", "in")
    return english > other or english == other and not (
        first in unread.QUESTION_WORDS and language_of(first) not in (None, "en"))


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans (the names: an English title in a Chinese question is not
    English words)."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _vote(word: str, known: bool) -> str | None:
    """The word's language: English for a word the corpus uses unless another language uses it
    ten times as often ("die", "war"); otherwise the language that uses it most. An English
    function word that German or Spanish uses nearly as often ("was", "am", "in", "a") does not
    vote: it voted English, and "Was passierte am 21. Dezember 1937 in Nanking?" was read as
    English (3 votes to 2), its German words as unknown English ones."""
    if word in STOPWORDS and max(zipf(word, lang) for lang in _READ) >= zipf(word, "en") - MARGIN:
        return None
    best = language_of(word)
    if known and (best is None or best == "en"
                  or zipf(word, best) - zipf(word, "en") < MARGIN):
        return "en"
    return best


_WARMING = threading.Lock()


def warm_up() -> None:
    """Load the word-frequency tables now (about a second), not on the first question: the
    language vote's, the speller's English lists, and the glossary and the Chinese and Japanese
    word lists a question in another language is read with (the glossary's YAML parse held the
    GIL for 0.1-0.3 s). A second caller waits for the first and finds them loaded (``run`` warms
    up on the console's thread and in the Discord client's setup)."""
    with _WARMING:
        language_of("warm")
        spelling.warm_up()
        glossary.shipped()
        unread.warm_up()
        hanzi.warm_up()
