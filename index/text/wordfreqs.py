"""Word frequencies, from wordfreq (a well-kept library with its data inside the package).

One list for every use: its "small" lists hold the words used at least once per million
(zipf >= 3; rarer words score 0). They load in 0.16 s and 48 MB for the seven languages the
language vote uses, against 0.9 s and 275 MB for the "best" lists, a cost every cold
`python -m bot ask` pays; on the labelled questions both judge the same questions' language.
"""
from __future__ import annotations

WORDLIST = "small"
FLOOR = 3.0   # the least zipf frequency a word on these lists has (once per million words)


def zipf(word: str, lang: str = "en") -> float:
    """The word's zipf frequency in ``lang`` (0 when it is rarer than FLOOR)."""
    import wordfreq  # imported on first use (0.3 s): an index build never needs it

    return wordfreq.zipf_frequency(word, lang, wordlist=WORDLIST)
