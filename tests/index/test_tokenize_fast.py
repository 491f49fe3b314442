"""``Tokenizer.terms`` (the index build's fast path) gives exactly ``Tokenizer.tokens``."""
import random

from index.corpus.loader import load_corpus
from index.corpus.model import Entity
from index.passages import build_passages
from index.text.fastwords import ASCII_WORD_RE, ascii_words
from index.text.tokenize import WORD_RE, Tokenizer, fold_word
from tests.conftest import CORPUS


def test_terms_equal_tokens_on_every_passage_of_the_shipped_corpus():
    corpus = load_corpus(CORPUS)
    tokenizer = Tokenizer(corpus.entities)
    for p in build_passages(corpus):
        text = " ".join(x for x in (p.date_text, p.section, p.text) if x)
        assert tokenizer.terms(text) == tokenizer.tokens(text), p.id


def test_terms_equal_tokens_around_names_brackets_and_odd_words():
    entities = [Entity("rabe", "John Rabe", "person", ("Rabe", "John H. D. Rabe")),
                Entity("iscsz", "International Committee for the Safety Zone", "organisation",
                       ("Safety Zone Committee", "Safety Zone")),
                Entity("nanjing", "Nanjing", "place", ("Nanking", "南京"))]
    tokenizer = Tokenizer(entities)
    pieces = ["John", "Rabe", "(John", "Rabe)", "Safety", "Zone", "Committee", "the", "\"Safety",
              "Zone\"", "Nanking's", "Nan\u200bking", "\u200b", "200,000", "13th", "南京", "is", "John H. D. Rabe",
              "Rabe's", "zone.", "\n\n", "for", "International", "Committee", "Dec", "Japanese",
              "two", "hundred", "thousand", "one", "twenty-five", "seven", "ninety"]
    rng = random.Random(7)
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert tokenizer.terms(text) == tokenizer.tokens(text), repr(text)


def test_terms_equal_tokens_on_plain_ascii_text():
    """ASCII text is read with a simpler pattern (the commonest case of a large build)."""
    entities = [Entity("rabe", "John Rabe", "person", ("Rabe",)), Entity("nanjing", "Nanjing", "place", ("Nanking",))]
    tokenizer = Tokenizer(entities)
    rng = random.Random(11)
    alphabet = "abcXYZ019_'-,.;:()[]\"?! \n"
    pieces = ["John", "Rabe", "Nanking's", "200,000", "1,234.5", "13th", "don't", "rock'n'roll", "a_b", "x-y",
              "'quoted'", "1,23", "9,999,999", "Dec.", "(Rabe)"]
    for _ in range(3000):
        words = [rng.choice(pieces) if rng.random() < 0.6
                 else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(0, 12))]
        text = " ".join(words)
        assert text.isascii() and tokenizer.terms(text) == tokenizer.tokens(text), repr(text)


# Pieces of text where a faster reading could go wrong: apostrophes straight and curly, inner and
# outer, thousands commas, accents, CJK, invisible characters, hyphens, brackets and quotes, and
# names (one word, several words, a name whose words a curly apostrophe joins).
_TRICKY = ["John", "Rabe", "Rabe’s", "Rabe's", "'Rabe'", "’Rabe’", "don’t", "rock'n'roll", "a''b", "a’’b", "x'",
           "’", "'", "200,000", "1,234.5", "1,23", "9,999,999", "13th", "Dec.", "Dec", "Japanese", "Nanking’s",
           "Nan\u200bking", "\u200b", "café", "Zoë", "南京", "拉贝", "ラーベ", "(Safety", "Zone)", "\"Safety", "Zone\"",
           "Safety", "Zone", "Committee", "for", "the", "International", "Sino-Japanese", "x-y", "a_b", "–", "“",
           "two", "hundred", "thousand", "one", "Twenty-five", "six",
           "”", "\n\n", ",", ".", "Tokyo", "Tokio", "Trials", "ﬁne", "Ｒａｂｅ", "IMTFE", "is", "of"]


def _tricky_tokenizer() -> Tokenizer:
    return Tokenizer([Entity("rabe", "John Rabe", "person", ("Rabe", "John H. D. Rabe", "拉贝", "ラーベ")),
                      Entity("iscsz", "International Committee for the Safety Zone", "organisation",
                             ("Safety Zone Committee", "Safety Zone")),
                      Entity("nanjing", "Nanjing", "place", ("Nanking", "南京")),
                      Entity("tokyo", "Tokyo", "place", ("Tokio",)),
                      Entity("imtfe", "Tokyo Trials", "event", ("IMTFE",)),
                      Entity("dont", "Don't Look", "film", ())])


def test_terms_and_spelling_words_equal_the_reference_reading_on_tricky_text():
    """``terms`` (the build's reading: bytes cut at non-word bytes where that is exact) gives
    ``tokens_with_spans``'s terms and the folded words after the first ``skip_words`` (a
    title's words)."""
    tokenizer = _tricky_tokenizer()
    rng = random.Random(12)
    for _ in range(6000):
        sep = rng.choice([" ", " ", "  ", "\n", ", ", "; "])
        text = sep.join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 16)))
        skip = rng.randint(0, 3)
        words: list[str] = []
        assert tokenizer.terms(text, words, skip) == [t.term for t in tokenizer.tokens_with_spans(text)], repr(text)
        assert words == [w for w in list(map(fold_word, WORD_RE.findall(text)))[skip:] if w], repr(text)


def test_ascii_words_are_the_word_patterns_words_at_the_same_places():
    alphabet = "aZ09_'’,. -\n()\"é南"
    rng = random.Random(5)
    read = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        found = ascii_words(text)
        if found is None:
            assert not text.replace("’", "'").isascii()
            continue
        read += 1
        words, same = found
        assert [w.decode() for w in words] == [w.replace("’", "'") for w in WORD_RE.findall(text)], repr(text)
        assert ([m.span() for m in ASCII_WORD_RE.finditer(same)]
                == [m.span() for m in WORD_RE.finditer(text)]), repr(text)
    assert read > 5000
