"""Domain words in the languages people ask in, mapped to the corpus's English words.

The corpus is English; a question in German, Spanish, Chinese or Japanese shares no term with it
but names (``entities.yaml``). The glossary (``glossary.yaml``) lists the corpus's content words
with the forms they take in those languages ("大屠杀" -> "massacre", "Dokumentarfilm" ->
"documentary"), so a question in another language gets English search terms and a text the
embedding model reads half in English. It is vocabulary, never facts: it only finds passages,
which are still quoted verbatim.

Matching: German and Spanish forms by whole word (folded as the tokenizer folds words; a form of
several words, "blanco y negro", by its words in order), and a
Spanish word not listed by its Snowball stem, when that is a listed one-word form's ("cortan" is
read as "cortar": a list cannot hold every inflection), and a German compound no entry lists by
its two parts when both are listed ("Blogautor": "Blog" + "Autor"); Chinese and Japanese forms as substrings
(they are written without spaces), longest first, each character used once. German is not
stemmed: its participles do not stem to the verb's stem ("gekämpft", "kämpfen"), and stemming it
too lost a question at rank 1 and 3 cross-validated, where Spanish alone gained 3 at rank 3.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import Stemmer
import yaml

from index.text.scripts import CJK_WORD
from index.text.tokenize import fold_word

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")
LANGUAGES = ("de", "es", "zh", "ja")
STEMMED = {"es": "spanish"}
MIN_STEM = 4   # shorter stems join unrelated words
MIN_PART = 4   # a compound's part is a word of four letters or more ("Blog", "Film")
LINKS = ("", "s", "es", "n", "en")   # what German puts between a compound's parts ("Kriegs-zone")
_WORD = re.compile(r"\w+")
_CJK = re.compile(f"[{CJK_WORD}]")


@dataclass(frozen=True)
class Glossary:
    words: dict[str, tuple[str, ...]]                 # folded de/es form -> its English words
    scripts: tuple[tuple[str, tuple[str, ...]], ...]  # (zh/ja form, its English words), longest first
    # (language, Snowball stem of a one-word form in a STEMMED language: Spanish) -> its English
    # words: another inflection of a listed form ("cortan" of "cortar") is read as the form is
    stems: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # de/es forms of several words ("blanco y negro", "im Stich lassen"), as folded word tuples,
    # -> their English words; the longest number of words a phrase has
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    longest: int = 1
    # the de/es forms of one word, folded, each to its first spelling in lower case ("fluchtlinge":
    # "flüchtlinge"): what a typo of such a word may be read as (``Speller.correct_names``)
    single_words: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, mapping: dict) -> Glossary:
        # form -> {English word: the form's place in that word's list}; a form several entries list
        # means the words where it comes first ("大屠杀" is massacre's first form, holocaust's second)
        places: dict[tuple[bool, str], dict[str, int]] = {}
        for english, forms in (mapping or {}).items():
            for lang in LANGUAGES:
                for place, form in enumerate((forms or {}).get(lang) or ()):
                    form = str(form).strip()
                    script = bool(_CJK.search(form))
                    if len(form) >= (2 if script else 3):
                        key = (script, form if script else fold_word(form))
                        places.setdefault(key, {}).setdefault(str(english), place)
        best = {key: tuple(w for w, p in ws.items() if p == min(ws.values())) for key, ws in places.items()}
        words = {form: ws for (script, form), ws in best.items() if not script}
        scripts = tuple(sorted(((form, ws) for (script, form), ws in best.items() if script),
                               key=lambda kv: (-len(kv[0]), kv[0])))
        phrases = {tuple(form.split()): ws for form, ws in words.items() if " " in form}
        single: dict[str, str] = {}
        for forms in (mapping or {}).values():
            for lang in ("de", "es"):
                for form in (forms or {}).get(lang) or ():
                    form = str(form).strip().lower()
                    if " " not in form:
                        single.setdefault(fold_word(form), form)
        return cls(words, scripts, _stems(mapping or {}), phrases, max(map(len, phrases), default=1), single)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English word) for each glossary form in ``text`` and each of its words."""
        found = self._in_words(list(_WORD.finditer(text)))
        taken = [False] * len(text)
        for form, words in self.scripts:
            start = text.find(form)
            while start >= 0:
                end = start + len(form)
                if not any(taken[start:end]):
                    found += [(start, end, w) for w in words]
                    taken[start:end] = [True] * len(form)
                start = text.find(form, end)
        return sorted(found)

    def _in_words(self, matches: list[re.Match]) -> list[tuple[int, int, str]]:
        """The de/es forms among a text's words: the longest phrase starting at a word first (its
        words are not read again alone), else the word itself or its stem."""
        folded = [fold_word(m.group()) for m in matches]
        found, n = [], 0
        while n < len(folded):
            for size in range(min(self.longest, len(folded) - n), 1, -1):
                words = self.phrases.get(tuple(folded[n:n + size]))
                if words:
                    found += [(matches[n].start(), matches[n + size - 1].end(), w) for w in words]
                    n += size
                    break
            else:
                m, word = matches[n], folded[n]
                words = self.words.get(word) or self._by_stem(word)
                found += [(m.start(), m.end(), w) for w in words] if words else self._parts_found(m, word)
                n += 1
        return found

    def _parts_found(self, m: re.Match, word: str) -> list[tuple[int, int, str]]:
        """A compound's parts, each read where it stands in the word ("Blog|autor"), so the note
        says what each part was read as; the whole word when folding changed its length."""
        parts = self._by_parts(word)
        if not parts:
            return []
        (first, first_words), (last, last_words) = parts
        if len(word) != len(m.group()):
            return [(m.start(), m.end(), w) for w in dict.fromkeys(first_words + last_words)]
        return ([(m.start(), m.start() + first, w) for w in first_words]
                + [(m.end() - last, m.end(), w) for w in last_words])

    def _by_parts(self, word: str) -> tuple[tuple[int, tuple[str, ...]], tuple[int, tuple[str, ...]]] | None:
        """A German compound no entry lists, read as its two parts when both are listed forms
        ("Blogautor": "Blog" + "Autor"; "Kriegszone": "Krieg" + "s" + "Zone"), the longest last
        part first: German makes words by joining them, and no list holds every compound. Each
        part's length and English words; None for a word that is no such compound."""
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            last = self.words.get(word[cut:])
            if not last:
                continue
            first = word[:cut]
            for link in LINKS:
                part = first[:len(first) - len(link)] if first.endswith(link) else None
                if part and len(part) >= MIN_PART and " " not in part and (words := self.words.get(part)):
                    return (len(part), words), (len(word) - cut, last)
        return None

    def _by_stem(self, word: str) -> tuple[str, ...]:
        if not self.stems or len(word) < MIN_STEM:
            return ()
        out: dict[str, None] = {}
        for lang in STEMMED:
            out.update(dict.fromkeys(self.stems.get((lang, stem(lang, word)), ())))
        return tuple(out)

    def read(self, text: str, names: Sequence[tuple[int, int]] = ()) -> tuple[tuple[str, str], ...]:
        """(form as typed, English word) for each glossary form in ``text``, in order found; none
        inside the spans of ``names`` ("masacre de Nankín" is one name, as the tokenizer reads it:
        its "masacre" is not read again)."""
        return tuple((text[s:e], w) for s, e, w in self.read_spans(text, names))

    def read_spans(self, text: str, names: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
        """What ``read`` reads, as (start, end, English word): where each form stands."""
        return [(s, e, w) for s, e, w in self.find(text) if not any(start < e and s < end for start, end in names)]


_STEMMERS = {lang: Stemmer.Stemmer(name) for lang, name in STEMMED.items()}
_STEM_LOCK = threading.Lock()   # PyStemmer objects are not thread-safe


def stem(lang: str, word: str) -> str:
    with _STEM_LOCK:
        return _STEMMERS[lang].stemWord(word)


def _stems(mapping: dict) -> dict[tuple[str, str], tuple[str, ...]]:
    """(language, stem) -> the English words of the one-word forms with that stem."""
    out: dict[tuple[str, str], dict[str, None]] = {}
    for english, forms in mapping.items():
        for lang in STEMMED:
            for form in (forms or {}).get(lang) or ():
                folded = fold_word(str(form).strip())
                if " " not in folded and len(folded) >= MIN_STEM:
                    key = (lang, stem(lang, folded))
                    if len(key[1]) >= MIN_STEM:
                        out.setdefault(key, {})[str(english)] = None
    return {key: tuple(ws) for key, ws in out.items()}


@lru_cache(maxsize=1)
def shipped() -> Glossary:
    with GLOSSARY_FILE.open(encoding="utf-8") as f:
        # libyaml when installed: a tenth of the pure-Python parser's second on a cold process
        return Glossary.from_mapping(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
