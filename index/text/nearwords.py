"""Words within a few edits of a typed word, compared only with those of a near length
(rapidfuzz's optimal string alignment distance, a well-kept C library)."""
from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from index.text.wordfreqs import FLOOR

MIN_LENGTH = 4   # a shorter word is no typo of anything: too many words are one edit from it
# a word of Latin letters only: in "Vautrnは誰" the name is compared without the Japanese after it
LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]{2,}")
# a word on the "large" list of one of the languages people ask in is a word, not a typo of a name
LARGE_LISTS = ("en", "de", "es")
COMMON_WORD = FLOOR   # zipf: used at least once per million words: a word, not a typo


def max_edits(word: str) -> int:
    """Edits allowed for a word: 1 up to 6 letters, 2 beyond (about one typo per 4-5 letters)."""
    return 1 if len(word) <= 6 else 2


class ByLength:
    """Words grouped by length, each group in the words' order. A word within k edits of another
    is within k letters of its length (each edit changes the length by at most one), so a typo
    is compared only with the groups that could hold its reading: about half the words (an
    unknown word against the English list, 0.6-0.7 -> 0.3 ms)."""

    def __init__(self, words: list[str] | tuple[str, ...]):
        self.words = words
        self._groups: dict[int, tuple[list[str], list[int]]] = {}
        for position, word in enumerate(words):
            group = self._groups.setdefault(len(word), ([], []))
            group[0].append(word)
            group[1].append(position)

    def within(self, word: str, limit: int) -> list[tuple[str, int, int]]:
        """(word, edits, its position among all the words) for each word ``limit`` edits or fewer from ``word``."""
        found = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            group = self._groups.get(length)
            if group:
                found += [(w, d, group[1][k]) for w, d, k in
                          process.extract(word, group[0], scorer=OSA.distance, score_cutoff=limit, limit=None)]
        return found
