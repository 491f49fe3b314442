"""A name of several words with one of them mistyped as another real word: "City of Live and
Death", "the Truth about Nanjung". The speller leaves a real word alone ("live" is English), and
the name is matched only word for word, so the film was not found, and in a German question its
English words outvoted the German ones.

A run of words that is a name of three words or more but for one word, where two or more of the
name's other words that say something are typed as they are and the odd word is one edit from
the name's (a letter left out, added, exchanged, or two swapped; the name's word at least
MIN_WORD letters), is read as the name. So is a name of two words whose other word is typed as it
is and is no everyday word of any language ("jon rabe", "jhon rabe": "rabe" is; "tokyo trails":
"tokyo" is everyday, and so is the "trails" it may be)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from index.text.respell import respell
from index.text.tokenize import fold_word
from index.text.wordfreqs import everyday_anywhere
from index.text.wordlists import STOPWORDS

MIN_NAME_WORDS = 3
MIN_WORD = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class NamePhrases:
    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        """``phrases``: the names' folded words, as the tokenizer matches them."""
        # (length, position 0 or 1, word) -> the names of that length with that word there: with
        # one word off, a name of three words or more keeps its first or its second word as typed,
        # so a run of words is compared only with the names that share one of those (not all)
        self._by_word: dict[tuple[int, int, str], list[tuple[str, ...]]] = {}
        self._names = frozenset(phrases := list(phrases))
        for phrase in dict.fromkeys(phrases):
            if not all(w.isascii() and w.isalpha() for w in phrase):   # a CJK name is its characters
                continue
            said = [w for w in phrase if w not in STOPWORDS]
            if len(phrase) >= MIN_NAME_WORDS and len(said) >= MIN_NAME_WORDS - 1:
                for i in (0, 1):
                    self._by_word.setdefault((len(phrase), i, phrase[i]), []).append(phrase)
            elif len(phrase) == 2:   # the word kept must say the name alone
                for i in (0, 1):
                    if len(phrase[i]) >= MIN_WORD and not everyday_anywhere(phrase[i]):
                        self._by_word.setdefault((2, i, phrase[i]), []).append(phrase)
        self._lengths = sorted({n for n, _, _ in self._by_word})

    @property
    def one_word_names(self) -> frozenset[str]:
        """The names (and aliases) that are one word: "japan", "vautrin"."""
        return frozenset(p[0] for p in self._names if len(p) == 1)

    def mend(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with the mistyped word of each such name spelt as the name spells it, and the
        (typed, read as) pairs."""
        if not self._by_word:
            return text, ()
        words = list(_WORD.finditer(text))
        folded = [fold_word(m.group()) for m in words]
        changes, pos = [], 0   # pos: where the last change ends (none overlap)
        for n in range(len(words)):
            for length in self._lengths:
                window = folded[n:n + length]
                if len(window) < length or tuple(window) in self._names:   # a name as typed ("chiang kai shek")
                    continue
                phrases = self._by_word.get((length, 0, window[0]), []) + self._by_word.get((length, 1, window[1]), [])
                odd = next((o for p in phrases if (o := _odd_word(window, p))), None)
                if odd is None or words[n + odd[0]].start() < pos:
                    continue
                m = words[n + odd[0]]
                changes.append((m.start(), m.end(), odd[1]))
                pos = m.end()
        return respell(text, changes)


def _odd_word(window: list[str], phrase: tuple[str, ...]) -> tuple[int, str] | None:
    """(where, the name's word) if ``window`` is ``phrase`` but for one word one edit off."""
    odd = [i for i, (typed, word) in enumerate(zip(window, phrase, strict=True)) if typed != word]
    if len(odd) != 1:
        return None
    i = odd[0]
    word = phrase[i]
    kept = sum(w not in STOPWORDS for j, w in enumerate(phrase) if j != i)
    if (kept < min(MIN_NAME_WORDS, len(phrase)) - 1 or len(word) < MIN_WORD or word in STOPWORDS
            or OSA.distance(window[i], word) != 1):
        return None
    return i, word
