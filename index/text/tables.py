"""The word tables the tokenizer reads words with, as one digest: the thesaurus, light and
unstemmed words, stopwords, nationality adjectives, number words and month abbreviations decide a
word's term, so an index built with other tables holds other terms. ``index.store`` records the
digest with each version and rebuilds one whose digest differs, whatever TOKENIZER_VERSION says:
a thesaurus edit made without a bump is never served against the new tokenizer."""
from __future__ import annotations

import hashlib
import json

from index.dates.units import MONTH_NAMES, MONTHS
from index.text.numbers import NUMBER_WORDS
from index.text.synonyms import LIGHT_WORDS, SYNONYMS, UNSTEMMED
from index.text.wordlists import DEMONYMS, STOPWORDS


def tables_digest() -> str:
    """The digest of the tables as they are now (computed each call: a test may change them)."""
    tables = (sorted(SYNONYMS.items()), sorted(LIGHT_WORDS), sorted(UNSTEMMED.items()), sorted(STOPWORDS),
              sorted(DEMONYMS.items()), sorted(NUMBER_WORDS), sorted(MONTHS.items()), list(MONTH_NAMES))
    return hashlib.sha256(json.dumps(tables, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


TOKENIZER_TABLES = tables_digest()   # as imported
