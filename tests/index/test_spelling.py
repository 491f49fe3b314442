"""The speller on its own: what a typo may be read as, bounded for a large corpus."""
import random
from pathlib import Path

from index.text import spelling
from index.text.spelling import Speller
from index.text.tokenize import folded_words

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


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


def _typos(words: list[str], seed: int = 5) -> list[str]:
    """One or two random edits (swap, drop, insert, replace) of each word."""
    rng = random.Random(seed)
    out = []
    for w in words:
        for _ in range(rng.choice((1, 2))):
            i = rng.randrange(len(w))
            op = rng.choice("sdir")
            if op == "s" and i + 1 < len(w):
                w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
            elif op == "d" and len(w) > 4:
                w = w[:i] + w[i + 1:]
            elif op == "i":
                w = w[:i] + rng.choice("aeiourstn") + w[i:]
            else:
                w = w[:i] + rng.choice("aeiourstn") + w[i + 1:]
        out.append(w)
    return out


def test_a_typo_is_compared_only_with_words_of_a_near_length_and_read_as_before(monkeypatch):
    """The edit distance of two words is at least the difference of their lengths, so comparing
    a typo only with words at most MAX_EDITS letters longer or shorter reads every typo as
    comparing it with every word did (same words, same order, so ties fall the same way)."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "sources").glob("*.md")))
    words = folded_words(text)
    distinct = sorted({w for w in words if len(w) >= 5 and w.isalpha()})
    long = [w for w in distinct if len(w) >= 8][::4]
    # two letters fewer and two more: the words two letters longer and shorter must be compared
    typed = _typos(distinct[::3]) + [w[:2] + w[3] + w[5:] for w in long]
    typed += [w[:3] + "e" + w[3:5] + "a" + w[5:] for w in long]
    windowed = Speller(words, _never_known)
    fast = [windowed.correct(w) for w in typed]
    monkeypatch.setattr(spelling.NearLength, "groups", lambda self, length: [dict(enumerate(self.words))])
    everything = Speller(words, _never_known)
    assert fast == [everything.correct(w) for w in typed]
    assert sum(bool(fixes) for _, fixes in fast) > len(typed) // 3   # most typos are read as a word


def test_words_of_a_near_length_keep_their_place_in_the_list():
    near = spelling.NearLength(("abcd", "abcdefgh", "abc", "abcdef", "ab", "abcde"))
    assert sorted(i for g in near.groups(4) for i in g) == [0, 2, 3, 4, 5]
    assert sorted(i for g in near.groups(8) for i in g) == [1, 3]
    assert near.groups(30) == []
    assert sorted(near.within("abdc", 1)) == [("abc", 1, 2), ("abcd", 1, 0)]
