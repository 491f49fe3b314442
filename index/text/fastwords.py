"""A text's words as the tokenizer's word pattern reads them, at a fraction of the cost: what an
index build does for every passage (``Tokenizer.terms``).

Plain ASCII text, the commonest case of a large build, is cut at every byte that is not a word
character or an apostrophe (``bytes.translate`` and ``split``, in C, no regular expression: twice
as fast as the ASCII pattern). That is exactly the pattern's reading when no number has
a thousands comma (``\\d,\\d``) and every apostrophe joins two word characters ("Rabe's", not
"'quoted'"); any other text is read with a pattern. The right single quote (``’``) is read as the
apostrophe it folds to, so English with curly apostrophes is plain ASCII here too: same words at
the same places, each folding to the same word (``fold_word`` turns ``’`` into ``'``).
Words read from bytes are ``bytes``: the caller folds them (``fold_any``).
"""
from __future__ import annotations

import re
import string

# The tokenizer's word pattern on ASCII text (``index.text.tokenize``), and on ASCII bytes.
ASCII_WORD_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\w+(?:'\w+)*", re.ASCII)
ASCII_BYTES_RE = re.compile(ASCII_WORD_RE.pattern.encode("ascii"), re.ASCII)
_KEPT = frozenset((string.ascii_letters + string.digits + "_'").encode("ascii"))
_CUT_TABLE = bytes(c if c in _KEPT else 0x20 for c in range(256))   # the rest -> space
_THOUSANDS = re.compile(rb"\d,\d")


def ascii_words(text: str) -> tuple[list[bytes], str] | None:
    """``(words, same_text)``: the words of ``text`` as ``ASCII_WORD_RE`` reads
    ``same_text`` (``text`` with ``’`` read as ``'``: the same length, so the same spans), as
    bytes; None when ``text`` has other non-ASCII characters."""
    if "’" in text:
        text = text.replace("’", "'")
    if not text.isascii():
        return None
    data = text.encode("ascii")
    cut = data.translate(_CUT_TABLE)
    if (b"," in data and _THOUSANDS.search(data)) or (b"'" in cut and _outer_apostrophe(cut)):
        return ASCII_BYTES_RE.findall(data), text
    return cut.split(), text


def _outer_apostrophe(cut: bytes) -> bool:
    """Whether an apostrophe of ``cut`` (word bytes, apostrophes and spaces) is not between two
    word bytes (substring searches: a pattern costs as much as reading the words with it)."""
    return b" '" in cut or b"' " in cut or b"''" in cut or cut[:1] == b"'" or cut[-1:] == b"'"


def fold_any(fold, word: str | bytes) -> str:
    """``fold`` of a word read as ``str`` or as ASCII ``bytes``."""
    return fold(word.decode("ascii") if type(word) is bytes else word)
