"""Tolerance for how people type: misspelt question words corrected against the corpus's words.

A question word the corpus never uses (after folding and stemming), and that is no common English
word either, is replaced by the closest word the corpus does use (entity alias words included),
within a small edit distance that grows with the word's length: "mizushma" -> "mizushima",
"vautrn" -> "vautrin", "nankin" -> "nanking", "sfaety" -> "safety". Two letters swapped count as
one edit (optimal string alignment, not Levenshtein's two): it is the commonest typo, and with
Levenshtein a swap in a word of up to six letters was never corrected. A real word the sources
just do not use ("held", "toll") is left alone, as are short words, numbers and stopwords; a typo
of a word the corpus lacks is read as that English word ("lanuch" -> "launch",
"cmomenter" -> "commented", whose stem the corpus has), and so is one that is fewer edits from
an English word than from any word of the corpus ("artices" -> "articles", not "arrives"). Word
frequencies are wordfreq's (data inside the package). Edit distance is rapidfuzz's (a well-kept
C library).
A question in another language (``correct_names``) has words no English list holds; there only a
word that no list of seven languages holds is read, and only as a name's own word ("Vautrn" ->
"vautrin") or a German or Spanish word of the glossary ("Flüchtlnge" -> "flüchtlinge")
(``index.text.foreign_names``); and a
Chinese name typed with a character of the same sound ("拉倍" -> "拉贝", ``index.text.homophones``).
In any language, a name of several words with one typed as another real word is read as the name
("City of Live and Death", ``index.text.phrases``).
A name typed as two words ("xiao jiang", "Nan King") is read as the name's one word, in any
language (``join_split_names``).
Only the searched text changes: quotes stay verbatim, and the answer says what was read how.
"""
from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from index.text.foreign_names import ForeignNames
from index.text.homophones import Homophones
from index.text.kana import katakana_lookalikes
from index.text.nearwords import COMMON_WORD, LARGE_LISTS, MIN_LENGTH, ByLength, max_edits
from index.text.phrases import NamePhrases
from index.text.respell import respell
from index.text.synonyms import LIGHT_WORDS
from index.text.tokenize import fold_word
from index.text.wordfreqs import common_words, in_large_list, zipf
from index.text.wordlists import DEMONYMS, ENGLISH_DEMONYMS, INTERROGATIVES, STOPWORDS

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]|[^\W\d_]{2,}")
QUESTION_WORDS = frozenset(w for w in INTERROGATIVES if len(w) >= MIN_LENGTH)   # those a typo may be
_LETTERS = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t-]+")   # between two halves of a name typed apart ("xiao jiang", "Xiao-Jiang")
MIN_JOINED = 6                   # a name's word this long may be typed as two
_CONTRACTION = re.compile(r"['’](?!s$)\w+$", re.I)
_POSSESSIVE = re.compile(r"['’]s$", re.I)
ENGLISH_ZIPF = 3.5    # a typo is read as an English word only this common (about 14,000 of them)
# ... and only a word no list of English has (not a rare real one: "blurb", "dumplings") typed
# this long (a short one is one edit from too many words)
ENGLISH_MIN_LENGTH = 5
# A typo is compared with every choice of a near length: about 55 ns each, so 17 ms for a corpus
# of 300,000 distinct words; its commonest 50,000 (and every name) bound that to about 3 ms.
MAX_CHOICES = 50_000


def _exchanged(typed: str, word: str) -> bool:
    """Does reading ``typed`` as ``word`` exchange a letter for another? A letter left out, added
    or swapped with its neighbour (the same letters, or a length that differs) is the likelier typo."""
    return len(typed) == len(word) and sorted(typed) != sorted(word)


def _filler(word: str) -> bool:
    return word in STOPWORDS or word in LIGHT_WORDS


@lru_cache(maxsize=1)
def _english_words() -> ByLength:
    """What a typo of a word the corpus lacks may be read as (``Speller._english``)."""
    return ByLength(common_words(ENGLISH_ZIPF, MIN_LENGTH))


class Speller:
    def __init__(self, words: Iterable[str], is_known: Callable[[str], bool], names: Iterable[str] = (),
                 parts: Iterable[str] = ()):
        """``words``: folded words of the corpus (repeats raise their weight); ``is_known(word)``
        says whether a folded word already finds something (its term is in the corpus);
        ``names``: the folded words of the entities' names, always choices; ``parts``: the
        folded words that name the sources' parts (``part_words``), always choices."""
        self._counts = Counter(w for w in words if len(w) >= MIN_LENGTH and w.isalpha())
        self._known = is_known
        self._homophones, self._phrases = Homophones(()), NamePhrases(())
        self._set_choices(names, parts)

    @classmethod
    def from_counts(cls, words: list[str], counts, is_known: Callable[[str], bool],
                    names: Iterable[str] = (), parts: Iterable[str] = (),
                    homophones: Homophones | None = None, phrases: NamePhrases | None = None) -> Speller:
        """The speller of words already counted (in first-occurrence order, filtered as above);
        ``homophones``: the names a Chinese question may type by their sound (``correct_names``);
        ``phrases``: the names of several words, one of which may be typed as another word."""
        self = cls((), is_known)
        self._counts = Counter(dict(zip(words, (int(c) for c in counts), strict=True)))
        self._homophones, self._phrases = homophones or Homophones(()), phrases or NamePhrases(())
        self._set_choices(names, parts)
        return self

    def _set_choices(self, names: Iterable[str], parts: Iterable[str] = ()) -> None:
        """What a typo may be read as: the corpus's MAX_CHOICES commonest words, every name word
        it counts, the words that name the sources' parts ("comments", "reader": a question asks
        by them, though no passage says them), the question words, and the nationalities:
        "Japanese" is a choice when the corpus has "Japan" (its words are counted folded, the
        tokenizer reading the nationality as the country)."""
        names = self._names = list(dict.fromkeys(names))
        self._joined = frozenset(w for w in names if len(w) >= MIN_JOINED and w.isalpha())
        # the counter's own test, not self.uses: a bound method of the speller would make a cycle,
        # and a dropped index would wait for the garbage collector
        self._foreign = ForeignNames(names, self._phrases.one_word_names, self._counts.__contains__, self._known)
        counts = self._counts
        common = (heapq.nlargest(MAX_CHOICES, counts, key=counts.__getitem__) if len(counts) > MAX_CHOICES
                  else list(counts))
        kept = set(common)
        choices = common + [w for w in names if w in counts and w not in kept]
        choices += [w for w in dict.fromkeys(parts) if w not in counts and len(w) >= MIN_LENGTH and w.isalpha()]
        choices += [d for d, country in ENGLISH_DEMONYMS.items() if country in counts and d not in counts]
        choices += sorted(QUESTION_WORDS - set(choices))   # the words a question starts with
        self._choices = ByLength(choices)

    def uses(self, folded_word: str) -> bool:
        return folded_word in self._counts

    def correct(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with misspelt words replaced, and the (typed, read as) pairs."""
        text, mended = self.mend_names(text)
        changes = []
        for n, m in enumerate(_WORD.finditer(text)):
            typed = m.group()
            better = self._suggest(typed, first=n == 0)
            if better is None:
                continue
            if (tail := _POSSESSIVE.search(typed)) and not _POSSESSIVE.search(better):
                better += tail.group()   # "movei's" is "movie's", "wehre's" "where's"
            changes.append((m.start(), m.end(), better))
        text, fixed = respell(text, changes)
        return text, (*mended, *fixed)

    def mend_names(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with the names typed apart, by their sound or with one word another word read
        as the names, and the (typed, read as) pairs: what every question gets, in any language.
        A hiragana べ typed for the katakana ベ of a name ("ラーべ") is read as it looks, unreported
        (the two look alike)."""
        text, heard = self._homophones.read(katakana_lookalikes(text))
        text, mended = self._phrases.mend(text)
        text, joined = self.join_split_names(text)
        return text, (*heard, *mended, *joined)

    def join_split_names(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Two words that together spell a name's word, one of them no word of the sources ("xiao
        jiang", "Nan King"), read as that word, spelt as typed ("xiaojiang", "Nanking"): each
        half alone finds nothing or another name ("Jiang" is an actress)."""
        changes = []
        words = list(_LETTERS.finditer(text))
        n = 0
        while n + 1 < len(words):
            a, b = words[n], words[n + 1]
            n += 1
            if (not _GAP.fullmatch(text[a.end():b.start()]) or fold_word(a.group() + b.group()) not in self._joined
                    or self.uses(fold_word(a.group())) and self.uses(fold_word(b.group()))):
                continue
            changes.append((a.start(), b.end(), a.group() + b.group().lower()))
            n += 1
        return respell(text, changes)

    def _suggest(self, typed: str, first: bool = False) -> str | None:
        if _CONTRACTION.search(typed):   # "we've", "they're": words, not typos of "wave", "there"
            return None
        word = fold_word(typed)
        if (len(word) < MIN_LENGTH or not word.isalpha() or _filler(word) or word in self._counts
                or self._known(word) or zipf(word) >= COMMON_WORD):
            return None
        limit = max_edits(word)
        found = self._choices.within(word, limit)
        # the fewest edits, then, for a question's first word, a question word ("whree" is
        # "where", not "three"), then no letter exchanged for another ("wher" is "where", not
        # "when"), then a word that says something ("women", not "when", for "wmen"), then the
        # word the corpus uses most, then the first choice
        best = min(found, key=lambda f: (f[1], not (first and f[0] in QUESTION_WORDS), _exchanged(word, f[0]),
                                         _filler(f[0]), -self._counts[DEMONYMS.get(f[0], f[0])], f[2]),
                   default=None)
        if best is not None and best[1] <= 1:
            return best[0]
        # a typo of a word the corpus lacks ("lanuch", "cmomenter"): the English word it is, so
        # its stem may still match ("commented" -> "comment") and the meaning is read right. It
        # also wins when it is fewer edits away than the corpus's nearest ("artices" is "articles",
        # not "arrives": one typo is far likelier than two). The fewest edits, then a word the
        # corpus has a term for, then the commonest (the list is ordered so).
        english = self._english(word, best[1] - 1 if best else limit)
        return english or (best[0] if best else None)

    def correct_names(self, text: str, forms: Mapping[str, str] = MappingProxyType({})
                      ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """For a question in another language: its words are not English ("die", "Stadt"), so
        only a word common in none of LANGUAGES, and near a name of the sources or one of
        ``forms`` (the glossary's German and Spanish words, folded, to their spelling), is
        replaced, by that name or form ("Wer war Minnie Vautrn?"); a Chinese name typed with a
        character of the same sound is read as the name ("拉倍" -> "拉贝", ``Homophones``).
        ``correct``'s (text, pairs)."""
        text, mended = self.mend_names(text)
        text, read = self._foreign.read(text, forms)
        return text, (*mended, *read)

    def _english(self, word: str, limit: int) -> str | None:
        if limit < 1 or len(word) < ENGLISH_MIN_LENGTH or in_large_list(word):
            return None
        found = _english_words().within(word, limit)
        return min(found, key=lambda f: (f[1], not self._known(f[0]), f[2]))[0] if found else None


def part_words(labels: Iterable[str]) -> list[str]:
    """The folded words of the labels of the sources' parts (their kinds, section headings and
    attributions: "blog-post", "Comments", "Reader comment 1 on the blog post ...")."""
    return list(dict.fromkeys(fold_word(m.group()) for label in labels for m in _WORD.finditer(label)))


def warm_up() -> None:
    """Load the English word lists a typo of a word the corpus lacks is read against (0.1 s):
    at start, not on the first such question (holding the GIL while a reload runs)."""
    _english_words()
    for lang in LARGE_LISTS:   # a name's typo is told from a rare word of these (``correct_names``)
        in_large_list("warm", lang)
