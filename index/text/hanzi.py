"""Chinese characters, traditional or simplified: the bot's word lists, glossary patterns and
question words are written mostly in simplified characters (wordfreq's Chinese list is simplified
only), so a question typed in traditional ones (Taiwan, Hong Kong) is read as its simplified form.

The table is wordfreq's own (the one its Chinese cutter reads), one character for one, so a
text keeps its length and every offset. Japanese writes many of the same characters: a text with
kana, or with a character only Japanese writes ("総", "価"), is never taken for traditional Chinese.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.text.scripts import HAN
from index.text.tokenize import KANA_RE

_HAN = re.compile(f"[{HAN}]")


def simplified(text: str) -> str:
    """``text`` with its traditional Chinese characters written simplified, character for
    character: "什麼時候" -> "什么时候"."""
    return text.translate(simplifying_table())


def as_typed(word: str, typed: str) -> str:
    """The characters ``typed`` wrote for ``word``, a word of its simplified form ("开始" of
    "什麼時候開始的" is "開始"): what a note names; the word itself when typed as it is."""
    if word in typed:
        return word
    at = simplified(typed).find(word)
    return typed[at:at + len(word)] if at >= 0 else word


def in_traditional_chinese(text: str) -> bool:
    """Is ``text`` Chinese written (at least partly) in traditional characters: a character of
    the traditional forms, no kana and no character of Japanese's own forms? (Simplified forms
    beside them do not say otherwise: "面", "出" are the simplified form of "麵", "齣" and the
    everyday character of both scripts.)"""
    if KANA_RE.search(text):
        return False
    traditional, japanese = _scripts()
    han = set(_HAN.findall(text))
    return bool(han & traditional) and not han & japanese


@lru_cache(maxsize=1)
def simplifying_table() -> dict[int, str]:
    """Each traditional character's code point -> its simplified character (3,275 of them)."""
    import gzip
    import importlib.resources

    import msgpack

    data = importlib.resources.files("wordfreq") / "data" / "_chinese_mapping.msgpack.gz"
    with data.open("rb") as raw, gzip.open(raw) as table:
        return msgpack.load(table, raw=False, strict_map_key=False)


@lru_cache(maxsize=1)
def _scripts() -> tuple[frozenset[str], frozenset[str]]:
    """The traditional forms (the table's keys) and the characters of wordfreq's Japanese list
    that no Chinese form is ("総", "価", "続")."""
    from index.text.wordfreqs import frequency_dict

    traditional = frozenset(chr(k) for k in simplifying_table())
    chinese = {c for w in frequency_dict("zh") for c in w}
    japanese = frozenset(c for w in frequency_dict("ja") for c in w if _HAN.match(c)) - chinese - traditional
    return traditional, japanese


def warm_up() -> None:
    """Read the table and the scripts now (with the word lists), not on the first such question."""
    _scripts()
