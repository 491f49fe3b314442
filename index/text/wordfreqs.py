"""Word frequencies, from wordfreq (a well-kept library with its data inside the package).

One list for every use: its "small" lists hold the words used at least once per million
(zipf >= 3; rarer words score 0). They load in 0.16 s and 48 MB for the seven languages the
language vote uses, against 0.9 s and 275 MB for the "best" lists, a cost every cold
`python -m bot ask` pays; on the labelled questions both judge the same questions' language.
"""
from __future__ import annotations

from functools import lru_cache

WORDLIST = "small"
FLOOR = 3.0   # the least zipf frequency a word on these lists has (once per million words)
# The languages whose lists say what a word is: the language vote (``bot.answering.language``),
# and whether a word of a question in another language is a word of some language or a typo.
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl")


# A word this common in a language people ask in is a word, not a name: once per 100,000 words
# ("war", "city", "Sergeant"), where "Minnie" is 3.3 and "Rabe" 3.4.
EVERYDAY_WORD = 4.0


def everyday_anywhere(word: str) -> bool:
    """Is the folded ``word`` an everyday word of one of the LANGUAGES (so no name's own word)?"""
    return any(zipf(word, lang) >= EVERYDAY_WORD for lang in LANGUAGES)


def zipf(word: str, lang: str = "en") -> float:
    """The word's zipf frequency in ``lang`` (0 when it is rarer than FLOOR)."""
    import wordfreq  # imported on first use (0.3 s), by the first index built or question read

    return wordfreq.zipf_frequency(word, lang, wordlist=WORDLIST)


@lru_cache(maxsize=4)
def common_words(min_zipf: float, min_length: int) -> tuple[str, ...]:
    """English words (letters only, at least ``min_length`` of them) used at least ``min_zipf``
    on the zipf scale, most frequent first: what a typo of a word the corpus lacks is read as."""
    import math

    import wordfreq

    counts = wordfreq.get_frequency_dict("en", wordlist=WORDLIST)
    return tuple(w for w, f in sorted(counts.items(), key=lambda kv: -kv[1])
                 if len(w) >= min_length and w.isalpha() and math.log10(f * 1e9) >= min_zipf)


@lru_cache(maxsize=2)
def frequency_dict(lang: str) -> dict[str, float]:
    """wordfreq's word -> frequency for ``lang``, read directly: for Chinese and Japanese, whose
    ``zipf`` would need a word cutter wordfreq does not ship (0.1 s and 8 MB for both, on first use)."""
    import wordfreq

    return wordfreq.get_frequency_dict(lang, wordlist=WORDLIST)


def in_large_list(word: str, lang: str = "en") -> bool:
    """Is the word on wordfreq's "large" list (used about once per hundred million words or
    more)? Loaded on first use (0.1 s for English), only to tell a rare real word ("blurb",
    "dumplings") from a typo ("lanuch"), which no list has."""
    import wordfreq

    return wordfreq.zipf_frequency(word, lang, wordlist="large") > 0
