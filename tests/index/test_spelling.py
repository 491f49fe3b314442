"""The speller on its own: what a typo may be read as, bounded for a large corpus."""
from index.text import nearwords, spelling
from index.text.phrases import NamePhrases
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


def test_the_words_that_name_the_sources_parts_are_choices_though_no_passage_says_them():
    """"Comments" is a heading and "reader" an attribution's word, not words of any passage's
    text: a typo of them is read as them ("coments", not "moment", one letter nearer)."""
    parts = spelling.part_words(["blog-post", "Comments", "Reader comment 1 on the blog post"])
    assert {"comments", "reader", "comment", "blog"} <= set(parts)
    speller = Speller(["moment", "safety"], _never_known, parts=parts)
    assert speller.correct("did the coments agree")[1] == (("coments", "comments"),)
    assert speller.correct("which readr")[1] == (("readr", "reader"),)
    assert Speller(["moment"], _never_known).correct("did the coments agree")[1] == (("coments", "moment"),)


def _every_word(words, word, limit):
    """The lookup without length groups: every word compared (what ``ByLength.within`` must equal)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return [(c, d, k) for c, d, k in process.extract(word, words, scorer=OSA.distance, score_cutoff=limit, limit=None)]


def test_comparing_only_words_of_a_near_length_reads_every_typo_as_comparing_every_word_does(monkeypatch):
    """A word within k edits of another is within k letters of its length, so the speller
    compares a typo only with the words of those lengths: the same reading, typo for typo (the
    corpus's words and the English list; ties broken by the same order)."""
    import random
    from pathlib import Path

    from index.corpus.loader import load_corpus
    from index.engine import Index

    index = Index(load_corpus(Path(__file__).resolve().parents[2] / "corpus"), semantic=False)
    speller = index.speller
    rng = random.Random(4)
    words = [w for w in speller._choices.words if len(w) >= 5]
    words += list(spelling.common_words(spelling.ENGLISH_ZIPF, 5)[:3000])

    def typo(w: str) -> str:
        i = rng.randrange(len(w) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if kind == 1:
            return w[:i] + w[i + 1:]
        if kind == 2:
            return w[:i] + rng.choice("aeiourstn") + w[i:]
        return w[:i] + rng.choice("aeiourstn") + w[i + 1:]

    typos = [typo(typo(w)) if rng.random() < 0.3 else typo(w) for w in rng.sample(words, 600)]
    bucketed = [speller._suggest(t, first=n % 5 == 0) for n, t in enumerate(typos)]
    monkeypatch.setattr(nearwords.ByLength, "within", lambda self, word, limit: _every_word(self.words, word, limit))
    assert [speller._suggest(t, first=n % 5 == 0) for n, t in enumerate(typos)] == bucketed
    assert sum(b is not None for b in bucketed) > 300   # most typos are read as something


def test_in_another_language_only_names_are_corrected():
    """A German or Spanish question's words are not English: only a word near a name of the
    sources (and common in no language the bot reads) is corrected, to that name."""
    speller = Speller(["safety", "vautrin", "kadokawa", "mizushima"], _never_known,
                      names=["minnie", "vautrin", "kadokawa", "mizushima", "war"])
    assert speller.correct_names("Wer war Minnie Vautrn?")[1] == (("Vautrn", "vautrin"),)
    assert speller.correct_names("wer ist kadokwa")[1] == (("kadokwa", "kadokawa"),)
    assert speller.correct_names("¿Qué hizo Mizushma?")[1] == (("Mizushma", "mizushima"),)
    # words of the question's language stay, however near an English word of the sources
    assert speller.correct_names("Was passierte in der Sicherheitszone? sfaety")[1] == ()
    assert speller.correct_names("¿Dónde estaba la zona de seguridad?")[1] == ()
    # a name inside Chinese or Japanese text is compared by its Latin letters alone
    assert speller.correct_names("Vautrnは誰？")[1] == (("Vautrn", "vautrin"),)


def test_in_another_language_a_typo_of_a_glossary_word_is_read_as_it_is_spelt():
    speller = Speller(["safety"], _never_known, names=["vautrin", "vautrins"])   # as the tokenizer lists them
    forms = {"fluchtlinge": "flüchtlinge", "massaker": "massaker"}
    assert speller.correct_names("Wie viele Flüchtlnge gab es?", forms)[1] == (("Flüchtlnge", "flüchtlinge"),)
    assert speller.correct_names("das Massker von Nanking", forms)[1] == (("Massker", "massaker"),)
    # a word spelt right, umlaut and all, is a word of German, not a typo
    assert speller.correct_names("Wie viele Flüchtlinge drängten sich dort?", forms)[1] == ()
    # a name's own form is no typo of it
    assert speller.correct_names("Wessen Aussagen untersucht Vautrins Film?", forms)[1] == ()


def test_a_name_typed_as_two_words_is_read_as_the_name():
    """ "xiao jiang" is Xiaojiang, "nan king" Nanking: two words that together spell a name's
    word (one of them no word of the sources) are read as it, in any language."""
    speller = Speller(["xiaojiang", "nanking", "safety", "zone", "jiang"], _never_known,
                      names=["xiaojiang", "nanking", "jiang"])
    assert speller.correct("who is xiao jiang")[1] == (("xiao jiang", "xiaojiang"),)
    assert speller.correct("who is xiao jiang")[0] == "who is xiaojiang"
    assert speller.correct("when did Nan King fall")[0] == "when did Nanking fall"
    assert speller.correct_names("¿Quién es Xiao-Jiang?")[0] == "¿Quién es Xiaojiang?"
    # words that are the sources' own each, or that spell no name, stay apart
    assert speller.correct("the safety zone")[1] == ()
    assert speller.correct("the any one")[1] == ()


def test_in_another_language_a_misspelt_name_of_one_everyday_word_is_read_as_the_name():
    """"Japan" is an everyday word, so no choice for a German word near it ("war" of "Second
    Sino-Japanese War" stays German "war"); a name that is one word alone is one: "Japna" is
    no word of any language."""
    speller = Speller.from_counts(["japan", "war", "second"], [3, 2, 1], _never_known,
                                  names=["japan", "war", "second", "sino"],
                                  phrases=NamePhrases([("japan",), ("second", "sino", "japan", "war")]))
    assert speller.correct_names("Wann hat Japna China angegriffen?")[1] == (("Japna", "japan"),)
    assert speller.correct_names("Wer war Rabe?")[1] == ()
    assert speller.correct_names("Was geschah im Kreig?")[1] == ()   # near no name: left as typed
