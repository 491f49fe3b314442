"""Chinese names typed with a character of the same sound, as an input method offers them."""
import pytest

from index.text.homophones import Homophones

NAMES = [("拉贝", "john-rabe"), ("拉貝", "john-rabe"), ("魏特琳", "minnie-vautrin"), ("上海", "shanghai"),
         ("东京", "tokyo"), ("角川", "kadokawa"), ("高圆圆", "gao-yuanyuan"), ("江", "jiang"),
         ("ジョン・ラーベ", "john-rabe")]


@pytest.mark.parametrize("typed, read", [
    ("拉倍是谁", "拉贝是谁"),              # 倍 and 贝 are both "bei"
    ("魏特林是谁", "魏特琳是谁"),          # 林 and 琳 "lin"
    ("高园园演了谁", "高圆圆演了谁"),       # two characters of three, one kept
    ("拉倍和魏特林", "拉贝和魏特琳"),
])
def test_a_name_typed_with_characters_of_its_sound_is_read_as_the_name(typed, read):
    text, fixes = Homophones(NAMES).read(typed)
    assert text == read and fixes


@pytest.mark.parametrize("typed", [
    "拉贝是谁",        # the name as it is
    "伤害是什么",      # sounds as 上海 (shang hai), but shares no character with it
    "东经是什么",      # sounds as 东京 and shares 东, but is an everyday word (east longitude)
    "姜是什么",        # a name of one character sounds as too many others
    "陆川是谁",        # 陆 is read lu or liu; 角 of 角川 is read jiao (lu only in a place name)
    "拉倍って誰",      # Japanese is not typed by pinyin
])
def test_other_words_stay_as_typed(typed):
    assert Homophones(NAMES).read(typed) == (typed, ())
