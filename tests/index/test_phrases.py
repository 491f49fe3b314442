"""A name of several words with one of them typed as another word ("City of Live and Death")."""
import pytest

from index.text.phrases import NamePhrases

PHRASES = [("city", "of", "life", "and", "death"), ("chiang", "kai", "shek"), ("chiang", "kai", "sheks"),
           ("the", "truth", "about", "nanking"),
           ("international", "military", "tribunal", "for", "the", "far", "east"), ("tokyo", "trials"),
           ("o", "j", "simpson"), ("约", "翰", "拉", "贝"), ("john", "rabe"), ("bob", "wilson")]


@pytest.mark.parametrize("typed, read", [
    ("who plays rabe in city of live and death", "who plays rabe in city of life and death"),
    ("wer spielt Rabe in City of Live and Death?", "wer spielt Rabe in City of life and Death?"),
    ("the international military tribunal for the far easy", "the international military tribunal for the far east"),
    ("city of lief and death", "city of life and death"),   # two letters swapped
    # a name of two words, one of them no everyday word of any language ("rabe") typed as it is
    ("what hapens to jon rabe in the movie", "what hapens to john rabe in the movie"),
    ("quien era jhon rabe en la pelicula", "quien era john rabe en la pelicula"),
])
def test_a_name_with_one_word_one_edit_off_is_read_as_the_name(typed, read):
    text, fixes = NamePhrases(PHRASES).mend(typed)
    assert text == read and len(fixes) == 1


@pytest.mark.parametrize("typed", [
    "city of life and death",          # the name as it is
    "when did chiang kai shek leave",  # ... though one word off another ("chiang kai sheks")
    "city of live and dearth",         # two words off: no longer the name
    "a city of life and joy",          # a word more than one edit off
    "tokyo trails",                    # a name of two words: an everyday word kept is too little
    "bob wilsen",
    "the truth about nanjung",         # "the" and "about" say nothing: one word kept
    "city off life and death",         # the odd word says nothing ("of")
    "约翰拉倍",                         # a CJK name is matched by its characters, not here
])
def test_other_text_stays_as_typed(typed):
    assert NamePhrases(PHRASES).mend(typed) == (typed, ())
