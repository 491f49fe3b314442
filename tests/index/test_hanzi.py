"""Chinese typed in traditional characters is read as its simplified form (index.text.hanzi)."""
import pytest

from index.text.hanzi import as_typed, in_traditional_chinese, simplified


def test_simplified_writes_each_character_simplified_and_keeps_the_length():
    assert simplified("魏特琳什麼時候離開南京？") == "魏特琳什么时候离开南京？"
    assert simplified("who was John Rabe?") == "who was John Rabe?"


@pytest.mark.parametrize("text", [
    "魏特琳什麼時候離開南京？",
    "這部電影的導演是誰",
    "拉貝給希特勒發了電報嗎 IMDb",
    "日本是什麼時候開始全面侵華的？",   # "面" is both scripts' character
    "日中国交回復 何年",                 # mixed: read simplified all the same
])
def test_chinese_in_traditional_characters_is_told(text):
    assert in_traditional_chinese(text)


@pytest.mark.parametrize("text", [
    "魏特琳什么时候离开南京？",      # simplified
    "南京",                          # the same in both: nothing to read otherwise
    "ラーベの日記はいつ出版された？",  # Japanese: kana, though "記" is a traditional form too
    "水島総？",                      # Japanese without kana: "総" is Japanese's own form
    "IMDb 評価",                     # ... "価"
    "who was John Rabe?",
    "",
])
def test_other_text_is_not(text):
    assert not in_traditional_chinese(text)


def test_a_word_of_the_simplified_form_is_named_as_typed():
    assert as_typed("开始", "南京大屠殺是什麼時候開始的？") == "開始"
    assert as_typed("开始", "南京大屠杀是什么时候开始的？") == "开始"
    assert as_typed("blog", "segun el blog") == "blog"
    assert as_typed("不在", "南京") == "不在"   # not in the question: as it is
