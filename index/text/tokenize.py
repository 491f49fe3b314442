"""One tokenizer for passages and questions.

Unicode normalization and case folding, possessives, numbers kept whole (``200,000`` and
``200000`` are one term, ``13th`` is ``13``; written in words, ``two hundred thousand`` is
``200000`` too: ``index.text.numbers``), month abbreviations expanded, stopwords removed,
Snowball stemming, nationality adjectives folded to the country, a small thesaurus
(``index.text.synonyms``), and entity aliases folded to one term per entity
(the words of a matched name are not counted again on their own). Tokens keep their character
span in the original text so matched words can be highlighted.
"""
from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import Stemmer

from index.corpus.model import Entity
from index.dates.units import MONTH_NAMES, MONTHS
from index.text.aliases import alias_table, lengths_by, name_heads
from index.text.fastwords import ASCII_WORD_RE, ascii_words, fold_any
from index.text.numbers import NUMBER_WORDS, number_runs
from index.text.scripts import CJK_WORD as CJK
from index.text.scripts import KANA
from index.text.synonyms import LIGHT_WORDS, SYNONYMS, UNSTEMMED
from index.text.wordlists import DEMONYMS, STOPWORDS

ENTITY_PREFIX = "ent:"
TERM_CACHE_SIZE = 500_000

# A word: letters/digits with inner apostrophes; zero-width and soft-hyphen characters are taken
# into the word and removed by normalization, so "Nan\u200bking" is still one word. A Chinese or
# Japanese character is a word of its own: a name ("拉贝", "ラーベ") is a phrase of characters.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
KANA_RE = re.compile(f"[{KANA}]")   # hiragana or katakana: the text is Japanese
WORD_RE = re.compile(
    rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"          # 200,000 / 1,234.5
    rf"|[{CJK}]"                                   # one CJK character
    rf"|(?:(?![{CJK}])[\w{_INVISIBLE}])+(?:['’](?:(?![{CJK}])[\w{_INVISIBLE}])+)*"  # words, don't, Rabe's
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# The same words in a text without invisible characters, a third faster: "a word character that
# is not CJK" as one character class instead of a look-ahead per character.
_PLAIN_WORD_RE = re.compile(rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[{CJK}]|[^\W{CJK}]+(?:['’][^\W{CJK}]+)*")
# The same words in ASCII text (the commonest case of a large build): no CJK, no invisible
# characters, so a plain ASCII word class, a quarter faster again: ``fastwords.ASCII_WORD_RE``.


def _word_pattern(text: str) -> re.Pattern:
    """The fastest of the three patterns that reads ``text``'s words as ``WORD_RE`` does."""
    if text.isascii():
        return ASCII_WORD_RE
    return WORD_RE if _INVISIBLE_RE.search(text) else _PLAIN_WORD_RE


_BREAK = re.compile(r"[()\[\]{}“”\"]|\n\s*\n")
_ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")

# Month abbreviations read as the month's name ("Dec" -> "december").
_MONTHS = {word: MONTH_NAMES[number - 1].lower() for word, number in MONTHS.items()}

class Token(NamedTuple):
    term: str
    start: int
    end: int


@lru_cache(maxsize=500_000)
def fold_word(word: str) -> str:
    """Case-fold, strip accents and invisible characters, drop possessives and number commas."""
    word = _INVISIBLE_RE.sub("", word)
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c))
    word = unicodedata.normalize("NFKC", word).casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if word[:1].isdigit():
        word = word.replace(",", "")
        m = _ORDINAL_RE.match(word)
        if m:
            word = m.group(1)
    return _MONTHS.get(word) or DEMONYMS.get(word, word)


def _words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their spans, stopwords included (alias phrases may contain them)."""
    return [(w, m.start(), m.end()) for m in WORD_RE.finditer(text) if (w := fold_word(m.group()))]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in _words(text))


def folded_words(text: str, capitalised: bool = False) -> list[str]:
    """The folded words of ``text`` (stopwords included), e.g. for a spelling vocabulary; with
    ``capitalised``, only those not written in lower case."""
    return [w for w, start, _ in _words(text) if not (capitalised and text[start].islower())]


def _compute_term(stemmer, lock: threading.Lock, word: str) -> str | None:
    if (not word or word in STOPWORDS or word in LIGHT_WORDS
            or (len(word) == 1 and not word.isdigit() and word.isascii())):
        return None
    word = SYNONYMS.get(word, word)
    if word in UNSTEMMED:
        return UNSTEMMED[word]
    if word[0].isdigit():
        return word
    with lock:
        return stemmer.stemWord(word)


class _Memo(dict):
    """A dict that computes a missing value once (cleared when it grows past TERM_CACHE_SIZE)."""

    def __init__(self, compute):
        super().__init__()
        self._compute = compute

    def __missing__(self, key):
        if len(self) >= TERM_CACHE_SIZE:
            self.clear()
        value = self[key] = self._compute(key)
        return value


class Tokenizer:
    """Tokenizes documents and questions the same way; built from the corpus' entities."""

    def __init__(self, entities: Sequence[Entity] = ()):
        self._stemmer = Stemmer.Stemmer("english")
        # alias phrase (tuple of folded words) -> entity id; longest phrases tried first
        self._aliases = alias_table(entities, _phrase)
        # names written with brackets or quotes ("Nanking (2007)"): found across them in a text
        self._bracketed = frozenset(alias_table(entities, _phrase, written=_BREAK.search))
        # first word (first two words) -> the lengths of the alias phrases starting with it (with
        # them: names of two words or more), longest first; a one-word name -> its term
        self._lengths = lengths_by(self._aliases, 1)
        self._bigrams = lengths_by(self._aliases, 2)
        self._singles = {key[0]: ENTITY_PREFIX + e for key, e in self._aliases.items() if len(key) == 1}
        self._name_words = self.alias_words
        self._number_words = NUMBER_WORDS - self._name_words
        # PyStemmer objects are not thread-safe, and questions are tokenized on several worker
        # threads at once; stemming happens only on a cache miss, so the lock costs little.
        self._stem_lock = threading.Lock()
        # word -> term, and raw word -> folded word (for ``terms``): dicts whose misses are
        # computed once, so a known word costs one C-level lookup. Their compute functions hold
        # no reference to the tokenizer (a cycle would keep an old snapshot's tokenizer alive
        # after a reload until a full GC).
        self._term_of = _Memo(functools.partial(_compute_term, self._stemmer, self._stem_lock))
        self._folded = _Memo(functools.partial(fold_any, fold_word))   # str or ASCII bytes keys
        # a word's term -> the terms of the names of events and groups it ends ("massacr":
        # "ent:nanking-massacre"), for a question's word to match those names too
        self.heads = {term: frozenset(ENTITY_PREFIX + e for e in ids)
                      for word, ids in name_heads(self._aliases, {e.id: e.kind for e in entities}).items()
                      if (term := self.term(word))}

    @property
    def alias_phrases(self) -> list[tuple[str, ...]]:
        """Each name's and alias's folded words, as matched (``index.text.phrases``)."""
        return list(self._aliases)

    @property
    def alias_words(self) -> frozenset[str]:
        """The folded words of the entities' names and aliases."""
        return frozenset(w for key in self._aliases for w in key)

    def term(self, word: str) -> str | None:
        """The term of one folded word (None for stopwords and light words)."""
        return self._term_of[word]

    def tokens_with_spans(self, text: str, expand_names: bool = False) -> list[Token]:
        """Terms with their spans. A name (an entity alias) is one term, so a question naming
        "City of Life and Death" is not also about "city", "life" and "death". With
        ``expand_names`` (for word lookups and highlighting, not for BM25) every word and every
        name inside a longer name is a term too: "committee" and "Nanking" both find
        "Nanking Intern ational Committee for the Safety Zone"."""
        folded = self._folded   # each distinct word folded once (as _words does, memoized)
        words = [(w, m.start(), m.end()) for m in WORD_RE.finditer(text) if (w := folded[m.group()])]
        numbers = self._numbers([w for w, _, _ in words])
        out: list[Token] = []
        skip_until = 0  # inside a matched name: no nested names (unless expanding)
        number_end = 0  # inside a number written in words
        aliases, lengths, bigrams = self._aliases, self._lengths, self._bigrams
        for i, (word, start, end) in enumerate(words):
            if (i >= skip_until or expand_names) and word in lengths:
                # a longer name needs its first two words ("the" starts names but rarely one)
                pair = i + 1 < len(words) and (word, words[i + 1][0]) in bigrams
                for n in lengths[word]:  # longest first
                    if n > 1 and (not pair or i + n > len(words)):
                        continue
                    key = tuple(w for w, _, _ in words[i:i + n]) if n > 1 else (word,)
                    entity_id = aliases.get(key)
                    if entity_id and n > 1 and self._runs_across(key, text, start, words[i + n - 1][1]):
                        continue
                    if entity_id:
                        out.append(Token(ENTITY_PREFIX + entity_id, start, words[i + n - 1][2]))
                        skip_until = max(skip_until, i + n)
                        if not expand_names:
                            break
            if i < skip_until and not expand_names or i < number_end:
                continue
            if i in numbers:
                digits, number_end = numbers[i]
                out.append(Token(digits, start, words[number_end - 1][2]))
                continue
            term = self._term_of[word]
            if term:
                out.append(Token(term, start, end))
        return out

    def word_count(self, text: str) -> int:
        """How many words ``terms`` reads in ``text`` (for its ``skip_words``)."""
        return len(_word_pattern(text).findall(text))

    def tokens(self, text: str) -> list[str]:
        """A question's terms."""
        return [t.term for t in self.tokens_with_spans(text)]

    def terms(self, text: str, words_out: list[str] | None = None, skip_words: int = 0) -> list[str]:
        """Exactly ``tokens(text)``, at a fraction of the cost (what an index build calls): no
        spans, and each distinct word folded and stemmed once per tokenizer. A word that may
        start a name is looked at as ``tokens_with_spans`` does; spans are found only when a
        name of several words matches in a text with brackets or quotes (a name must not run
        across them). ``words_out`` is extended with the folded words (``folded_words``) after
        the first ``skip_words`` words: a build's spelling vocabulary, without reading the text
        twice."""
        fast = ascii_words(text)
        if fast is None:
            word_re, span_text = _word_pattern(text), text
            raws = word_re.findall(text)
        else:
            (raws, span_text), word_re = fast, ASCII_WORD_RE
        folded = list(map(self._folded.__getitem__, raws))
        if words_out is not None:
            words_out.extend(filter(None, folded[skip_words:] if skip_words else folded))
        terms = list(map(self._term_of.__getitem__, folded))
        # a word that folds to nothing: names and numbers may run across it
        if "" in folded and (self._lengths or not self._number_words.isdisjoint(folded)):
            return self.tokens(text)
        self._names(folded, terms, word_re, span_text)
        for i, (digits, end) in self._numbers(folded).items():
            terms[i:end] = [digits] + [None] * (end - i - 1)
        return list(filter(None, terms))

    def _numbers(self, folded: list[str]) -> dict[int, tuple[str, int]]:
        """The numbers written in words among ``folded`` (``numbers.number_runs``); most texts
        have none, and a set lookup per word says so."""
        if self._number_words.isdisjoint(folded):
            return {}
        return number_runs(folded, self._name_words)

    def _names(self, folded: list[str], terms: list[str | None], word_re: re.Pattern, text: str) -> None:
        """Put each name's term in ``terms`` at its first word (and None at its others), as
        ``tokens_with_spans`` reads names (``word_re`` reads ``folded``'s words in ``text``)."""
        lengths, singles, bigrams, aliases = self._lengths, self._singles, self._bigrams, self._aliases
        n_words, skip_until, spans = len(folded), 0, None
        # a name may start only at a one-word name or at the first two words of a longer one;
        # first words of names are few, so pairs are made only there
        for i in itertools.compress(range(n_words), map(lengths.__contains__, folded)):
            if i < skip_until:
                continue
            word = folded[i]
            # the longer names starting here, longest first, then a one-word name
            for n in bigrams.get((word, folded[i + 1]), ()) if i + 1 < n_words else ():
                entity_id = aliases.get(tuple(folded[i:i + n])) if i + n <= n_words else None
                if entity_id is None:
                    continue
                spans = _spans(word_re, text) if spans is None else spans   # only if a name matched
                if spans and self._runs_across(tuple(folded[i:i + n]), text, spans[i][0], spans[i + n - 1][0]):
                    continue
                terms[i] = ENTITY_PREFIX + entity_id
                terms[i + 1:i + n] = [None] * (n - 1)
                skip_until = i + n
                break
            else:
                terms[i] = singles.get(word, terms[i])

    def _runs_across(self, name: tuple[str, ...], text: str, start: int, end: int) -> bool:
        """Do the name's words in ``text[start:end]`` cross a bracket, quote or blank line (unless it is written so)?"""
        return name not in self._bracketed and _BREAK.search(text, start, end) is not None

    def expanded_tokens(self, text: str) -> list[str]:
        """Every word and every name, nested names included (see ``tokens_with_spans``)."""
        return [t.term for t in self.tokens_with_spans(text, expand_names=True)]


def _spans(word_re: re.Pattern, text: str) -> list[tuple[int, int]]:
    """The spans of ``text``'s words; none when it has no bracket, quote or blank line (then
    no name is kept from matching)."""
    if _BREAK.search(text) is None:
        return []
    return [m.span() for m in word_re.finditer(text)]
