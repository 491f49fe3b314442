"""The speller on its own: what a typo may be read as, bounded for a large corpus."""
from index.text import spelling
from index.text.spelling import Speller


def _never_known(word: str) -> bool:
    return False


def test_a_large_corpus_keeps_its_commonest_words_and_every_name_as_choices(monkeypatch):
    monkeypatch.setattr(spelling, "MAX_CHOICES", 2)
    words = ["safety"] * 5 + ["tribunal"] * 4 + ["yasukuni"] * 3 + ["vautrin"]
    speller = Speller(words, _never_known, names=["vautrin", "notinthecorpus"])
    assert speller.correct("the sfaety zone")[1] == (("sfaety", "safety"),)
    assert speller.correct("the tirbunal")[1] == (("tirbunal", "tribunal"),)
    assert speller.correct("minnie vautrn")[1] == (("vautrn", "vautrin"),)      # a name, however rare
    assert speller.correct("the yasukunii shrine")[1] == ()                      # third commonest: cut
    assert speller.uses("yasukuni")                                              # still the corpus's word


def test_a_small_corpus_keeps_every_word():
    speller = Speller(["yasukuni", "safety"], _never_known)
    assert speller.correct("the yasukunii shrine")[1] == (("yasukunii", "yasukuni"),)
