"""What of a question in another language nothing read: its content words that are no name, no
glossary word and no word of the sources ("geboren" in "in welchem Jahr wurde John Rabe geboren")."""
import pytest

from index.text.unread import typed_runs, unread_words


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _nothing_known(word: str) -> bool:
    return False


@pytest.mark.parametrize("question, name, unread", [
    ("in welchem Jahr wurde John Rabe geboren", "John Rabe", ["geboren"]),
    ("¿en qué año nació John Rabe?", "John Rabe", ["nació"]),
    ("约翰·拉贝是哪年出生的", "约翰·拉贝", ["出生"]),
    ("ジョン・ラーベって何年生まれ？", "ジョン・ラーベ", ["生まれ"]),
])
def test_content_words_no_name_covers_are_unread(question, name, unread):
    assert unread_words(question, [_span(question, name)], _nothing_known) == unread


@pytest.mark.parametrize("question, name", [
    ("wer war Vautrin?", "Vautrin"),          # question words and function words say what is asked
    ("¿quién era Vautrin?", "Vautrin"),
    ("魏特琳是谁", "魏特琳"),
    ("ヴォートリンって誰？", "ヴォートリン"),
    ("wer war Vautrin? Danke!", "Vautrin"),   # greetings and thanks are chat, not content
    ("¿quién era Vautrin? ¡Gracias!", "Vautrin"),
    ("你好，魏特琳是谁谢谢！", "魏特琳"),
    ("魏特琳是啥人", "魏特琳"),              # colloquial question words ask as 什么, 怎么 and 为什么 do
    ("魏特琳是干嘛的", "魏特琳"),
    ("魏特琳是干什么的", "魏特琳"),
    ("魏特琳咋样", "魏特琳"),
    ("魏特琳怎么样", "魏特琳"),
    ("魏特琳为何", "魏特琳"),
    ("魏特琳为啥", "魏特琳"),
    ("那篇魏特琳有多长", "魏特琳"),          # a measure word counts a noun; 多长 asks "how long"
    ("请问魏特琳是谁 求科普", "魏特琳"),      # "may I ask", "please explain": a request, not content
    ("Größe Vautrin", "Vautrin"),             # a size asked by its word, as "wie groß" asks it
    ("1980年以前魏特琳", "魏特琳"),           # "before", a stopword in English
])
def test_a_question_of_a_name_and_question_words_has_nothing_unread(question, name):
    assert unread_words(question, [_span(question, name)], _nothing_known) == []


def test_a_word_of_the_sources_and_a_covered_word_are_read():
    question = "was passiert mit frau tang am ende, wird das erwähnt?"
    assert unread_words(question, [], _nothing_known) == ["tang", "erwähnt"]
    assert unread_words(question, [], lambda word: word == "tang") == ["erwähnt"]
    assert unread_words(question, [_span(question, "erwähnt")], lambda word: word == "tang") == []


def test_the_retrieval_says_how_much_of_a_question_in_another_language_it_could_not_read(index):
    born = index.retrieve("in welchem Jahr wurde John Rabe geboren", 10, english=False).query
    who = index.retrieve("wer war Minnie Vautrin?", 10, english=False).query
    assert born.unread > 0 and who.unread == 0
    assert index.retrieve("in which year was John Rabe born", 10).query.unread == 0   # English: never


def test_a_typo_is_no_word_of_the_language_and_not_counted():
    """"welchme" is no word at all: what it was meant to be is unknown, so it is not counted as a
    word nothing read (a misspelt question word would otherwise look like an unanswered fact)."""
    question = "in welchme Jahr wurde John Rabe gebroen"
    assert unread_words(question, [_span(question, "John Rabe")], _nothing_known) == []


@pytest.mark.parametrize("question, name", [
    ("segun Vautrin", "Vautrin"),             # "según" typed without its accent is still a function word
    ("despues de Vautrin", "Vautrin"),        # "después"
    ("worum geht es bei Vautrin", "Vautrin"),  # German asks "about what" in one word
    ("worüber war Vautrin", "Vautrin"),
    ("魏特琳啥时候走的", "魏特琳"),           # colloquial "when" (什么时候)
    ("魏特琳什么时候走的", "魏特琳"),
])
def test_question_and_function_words_as_people_type_them_are_not_unread(question, name):
    assert unread_words(question, [_span(question, name)], _nothing_known) == []


@pytest.mark.parametrize("traditional, simplified", [
    ("魏特琳什麼時候離開南京", "魏特琳什么时候离开南京"),   # "when did Vautrin leave Nanjing"
    ("這部電影的導演是誰", "这部电影的导演是谁"),           # "who directed this film"
    ("約翰·拉貝是哪年出生的", "约翰·拉贝是哪年出生的"),
])
def test_traditional_chinese_is_cut_as_its_simplified_form_is(traditional, simplified):
    """wordfreq's Chinese list is in simplified characters: a question typed in traditional ones
    (Taiwan, Hong Kong) is cut as its simplified form, character for character, and its unread
    words are given as typed."""
    expected = unread_words(simplified, [], _nothing_known)
    unread = unread_words(traditional, [], _nothing_known)
    assert [len(w) for w in unread] == [len(w) for w in expected]
    assert all(w in traditional for w in unread)
    assert "什麼" not in unread and "時候" not in unread and "誰" not in unread


@pytest.mark.parametrize("question, name", [
    ("这部电影里魏特琳是谁", "魏特琳"),        # "this (film)": a demonstrative and a measure word
    ("這部電影裡魏特琳是誰", "魏特琳"),        # ... typed in traditional characters
    ("博主怎么看这场", "博主"),                # "this (war)"
    ("魏特琳是哪位", "魏特琳"),                # "which (person)"
    ("魏特琳那年", "魏特琳"),                  # "that year"
    ("魏特琳几年", "魏特琳"),                  # "how many years" (cut "几" + "年" before: a control)
])
def test_a_demonstrative_or_question_word_with_its_measure_word_is_not_unread(question, name):
    """Chinese points at a noun with a demonstrative and the noun's measure word ("这部电影",
    "this film"): cut as one word, it says no more of what is asked than "this" does."""
    assert unread_words(question, [_span(question, name)], _nothing_known) == []


@pytest.mark.parametrize(("words", "typed", "shown"), [
    # a name the word lists lack is cut into its characters: shown as the question runs them
    (["陆", "川", "拍", "取景"], "陆川拍这部电影的时候是在哪里取景的？", ["陆川拍", "取景"]),
    (["陸", "川", "取景"], "陸川在哪裡取景", ["陸川", "取景"]),
    # words apart in the question stay apart, and Latin words are never run together
    (["geboren", "Jahr"], "geboren im Jahr", ["geboren", "Jahr"]),
    (["Rabe", "拍"], "Rabe拍了什么", ["Rabe", "拍"]),
    (["取景", "取景"], "取景和取景", ["取景", "取景"]),
])
def test_words_nothing_read_are_shown_as_the_question_runs_them(words, typed, shown):
    assert typed_runs(words, typed) == shown
