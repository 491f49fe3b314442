"""The Unicode ranges of the scripts the bot tells apart, named once, as character-class bodies
(``f"[{HAN}]"``): every module that finds Chinese, Japanese or Korean text builds its pattern
from these, so they cannot drift apart."""

HIRAGANA = "\u3040-\u309f"
KATAKANA = "\u30a0-\u30ff"
KANA = HIRAGANA + KATAKANA
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"   # extension A, unified, compatibility
HANGUL = "\uac00-\ud7af"
# A character that is a word of its own (Chinese and Japanese write no spaces): kana and Han, but
# not the katakana middle dot "・" (U+30FB), which parts the words of a name ("ジョン・ラーベ")
CJK_WORD = "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff" + HAN
