"""Hiragana typed for the katakana it looks like: べ and ぺ are drawn just like ベ and ペ, and an
input method may give one for the other. After a katakana letter (or the long mark ー) they are
the katakana: "ラーべ" is Rabe. Never in a run of hiragana ("ぺらぺら")."""
from __future__ import annotations

import re

_LOOKALIKE = re.compile(r"(?<=[\u30a1-\u30fa\u30fc])[\u3079\u307a]")
_TO_KATAKANA = 0x60   # the katakana block repeats the hiragana one this far on


def katakana_lookalikes(text: str) -> str:
    """``text`` with each hiragana べ or ぺ after katakana written as the katakana (same length)."""
    return _LOOKALIKE.sub(lambda m: chr(ord(m.group()) + _TO_KATAKANA), text)
