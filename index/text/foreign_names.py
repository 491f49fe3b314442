"""Typos in a question in another language. Its words are not English ("die", "Stadt"), so only a
word common in none of seven languages' word lists is read, and only as a name's own word
("Vautrn" -> "vautrin", not "war" or "city"), a name that is one word ("Japna" -> "japan"), or a
German or Spanish word of the glossary ("Flüchtlnge" -> "flüchtlinge")."""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from index.text.nearwords import COMMON_WORD, LARGE_LISTS, LATIN_WORD, MIN_LENGTH, ByLength, max_edits
from index.text.respell import respell
from index.text.tokenize import fold_word
from index.text.wordfreqs import LANGUAGES, everyday_anywhere, in_large_list, zipf


class ForeignNames:
    def __init__(self, names: list[str], one_word_names: Collection[str], corpus_word: Callable[[str], bool],
                 known: Callable[[str], bool]):
        """``names``: the folded words of the names; ``one_word_names``: the names of one word;
        ``corpus_word`` and ``known``: is a folded word the corpus's, does it find something."""
        self._names, self._one_word = names, one_word_names
        self._corpus_word, self._known = corpus_word, known
        self._choices: tuple[Mapping[str, str], ByLength] | None = None

    def read(self, text: str, forms: Mapping[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with each such typo replaced by the name or by the form's spelling (``forms``:
        the glossary's German and Spanish words, folded, to their spelling), and the (typed, read
        as) pairs."""
        choices = self._choices_for(forms)
        found = ((m, self._suggest(m.group(), choices)) for m in LATIN_WORD.finditer(text))
        return respell(text, [(m.start(), m.end(), forms.get(better, better)) for m, better in found if better])

    def _suggest(self, typed: str, choices: ByLength) -> str | None:
        word = fold_word(typed)
        if (len(word) < MIN_LENGTH or not word.isalpha() or self._corpus_word(word) or self._known(word)
                or common_anywhere(typed.lower())):   # as typed: the lists spell "Flüchtlinge" so
            return None
        # the fewest edits, then a name before a glossary form, then the first
        best = min(choices.within(word, max_edits(word)), key=lambda f: (f[1], f[2]), default=None)
        return best[0] if best and best[1] > 0 else None   # none: a name's own form ("Mizushimas")

    def _choices_for(self, forms: Mapping[str, str]) -> ByLength:
        """The names' own words ("vautrin", "minnie", "rabe") and the names of one word ("japan"),
        not the everyday words names of several hold ("war", "city", "safety"), then ``forms``:
        built on first use (it asks seven languages' word lists) and kept while ``forms`` is the same."""
        if self._choices is None or self._choices[0] is not forms:
            names = [w for w in self._names if len(w) >= MIN_LENGTH and w.isalpha() and w.isascii()
                     and (not everyday_anywhere(w) or w in self._one_word)]
            kept = set(names)
            self._choices = (forms, ByLength(names + [f for f in forms if f not in kept and f.isalpha()
                                                      and len(f) >= MIN_LENGTH]))
        return self._choices[1]


def common_anywhere(word: str) -> bool:
    """Is ``word`` (lower case, as typed) a word of some language people ask in, not a typo?"""
    return (any(zipf(word, lang) >= COMMON_WORD for lang in LANGUAGES)
            or any(in_large_list(word, lang) for lang in LARGE_LISTS))
