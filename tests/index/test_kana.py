"""index.text.kana: hiragana typed for the katakana it looks like."""
import pytest

from index.text.kana import katakana_lookalikes


@pytest.mark.parametrize("typed, read", [
    ("ラーべは誰", "ラーベは誰"),     # after the long mark
    ("ラべ", "ラベ"),                 # after a katakana letter
    ("ペらぺら", "ペらぺら"),          # a run of hiragana: kept (the first is katakana already)
    ("ぺらぺら", "ぺらぺら"),
    ("べんきょう", "べんきょう"),
    ("Rabe", "Rabe"),
])
def test_hiragana_after_katakana_is_read_as_the_katakana_it_looks_like(typed, read):
    assert katakana_lookalikes(typed) == read
    assert len(katakana_lookalikes(typed)) == len(typed)
