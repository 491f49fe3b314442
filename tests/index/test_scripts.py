"""The script ranges every CJK pattern is built from name what Unicode says they are."""
import re
import unicodedata

from index.text import scripts


def _characters(ranges: str):
    for first, last in re.findall(r"(.)-(.)", ranges, re.DOTALL):
        yield from map(chr, range(ord(first), ord(last) + 1))


def test_han_is_ideographs_only():
    named = [unicodedata.name(c, "") for c in _characters(scripts.HAN)]
    assigned = [n for n in named if n]
    assert assigned and all(n.startswith("CJK") and "IDEOGRAPH" in n for n in assigned)
    assert not re.match(f"[{scripts.HAN}]", "䷀")   # a hexagram symbol sits between two Han blocks


def test_kana_is_hiragana_and_katakana():
    for ranges, script in ((scripts.HIRAGANA, "HIRAGANA"), (scripts.KATAKANA, "KATAKANA")):
        named = [unicodedata.name(c, "") for c in _characters(ranges)]
        assert sum(script in n for n in named) > 0.8 * len(named)


def test_a_word_character_is_never_the_middle_dot_that_parts_a_name():
    word = re.compile(f"[{scripts.CJK_WORD}]")
    assert not word.match("・")
    assert all(word.match(c) for c in "拉贝ジョンラーベのー")
    assert not any(word.match(c) for c in "한국어a1")
