"""Chinese names typed with the wrong character of the same sound. Chinese is typed by its sound
(pinyin) and the input method offers every character of that sound, so the usual misspelling of a
name is a homophone: "拉倍" for 拉贝 (la bei), "魏特林" for 魏特琳 (wei te lin). Such a name finds
nothing as typed: each character is a term of its own, and the other character names nobody.

A run of Chinese characters that sounds as a name of the sources written in Chinese characters,
shares a character with it and is no everyday word ("伤害" sounds as 上海 but is "harm") is read
as that name. Sounds are pypinyin's, tones aside (an input method lists the characters of a
syllable whatever their tone): a typed character may be read as the name's character is usually
read. Only text without kana: Japanese is typed by its own readings, not by pinyin."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

from index.text.respell import respell
from index.text.scripts import HAN
from index.text.tokenize import KANA_RE
from index.text.wordfreqs import frequency_dict

# pypinyin loads its phrase readings at import (about 45 MB) unless told not to; a character's own
# readings are all a name's sound needs
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
from pypinyin import Style, pinyin  # noqa: E402

_HAN = re.compile(f"[{HAN}]+")
MIN_NAME = 2            # a name of one character ("江") sounds as too many others
EVERYDAY = 1e-6        # a word this common in Chinese (zipf 3) is that word, not a misspelt name


@lru_cache(maxsize=65536)
def sounds(char: str) -> frozenset[str]:
    """The syllables ``char`` may be read as, tones aside (empty for no Chinese character)."""
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0] or ())


@lru_cache(maxsize=4096)
def sound(char: str) -> str:
    """The syllable ``char`` is usually read as, tones aside: how a name's character is typed."""
    return (pinyin(char, style=Style.NORMAL, errors="ignore")[0] or [""])[0]


class Homophones:
    def __init__(self, names: Iterable[tuple[str, str]]):
        """``names``: (name or alias, whose) of the sources' entities; those written in Chinese
        characters alone (two or more) are the ones a question may mistype."""
        self._lengths: list[int] = []   # the names' lengths, longest first
        # (length, the usual sound of the first character) -> the names: a typed run is compared
        # only with the names its first character may sound as (a few, not all of them)
        self._by_sound: dict[tuple[int, str], list[str]] = {}
        self._whose: dict[str, str] = {}
        for name, whose in names:
            if len(name) >= MIN_NAME and _HAN.fullmatch(name) and name not in self._whose:
                self._by_sound.setdefault((len(name), sound(name[0])), []).append(name)
                self._whose[name] = whose
        self._lengths = sorted({n for n, _ in self._by_sound}, reverse=True)

    def read(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with each homophone of a name replaced by the name, and the (typed, read as)
        pairs; the longest name first, left to right."""
        if not self._whose or KANA_RE.search(text):
            return text, ()
        changes = []
        for run in _HAN.finditer(text):
            at = run.start()
            while at < run.end():
                found = self._name_at(text, at, run.end())
                if found is None:
                    at += 1
                    continue
                typed, name = found
                if typed != name:
                    changes.append((at, at + len(typed), name))
                at += len(typed)
        return respell(text, changes)

    def _name_at(self, text: str, at: int, end: int) -> tuple[str, str] | None:
        """(typed, name) of the longest name that starts at ``at`` as typed or by its sound."""
        for length in (n for n in self._lengths if at + n <= end):
            typed = text[at:at + length]
            if typed in self._whose:
                return typed, typed
            heard = [name for heard_as in sounds(typed[0]) for name in self._by_sound.get((length, heard_as), ())
                     if _sounds_as(typed, name)]
            # one entity's names only ("拉倍" sounds as 拉贝 and as 拉貝), and no everyday word
            if heard and len({self._whose[n] for n in heard}) == 1 and frequency_dict("zh").get(typed, 0.0) < EVERYDAY:
                return typed, heard[0]
        return None


def _sounds_as(typed: str, name: str) -> bool:
    """Each character may be read as the name's is usually read, and at least one of them is the
    name's own: "陆" (lu, liu) is no "角" of 角川 (jiao; "lu" only in a place name)."""
    pairs = list(zip(typed, name, strict=True))
    return any(a == b for a, b in pairs) and all(a == b or sound(b) in sounds(a) for a, b in pairs)
