"""``Tokenizer.terms`` (the index build's fast path) gives exactly ``Tokenizer.tokens``."""
import random

from index.corpus.loader import load_corpus
from index.corpus.model import Entity
from index.passages import build_passages
from index.text.tokenize import Tokenizer
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
              "Rabe's", "zone.", "\n\n", "for", "International", "Committee", "Dec", "Japanese"]
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
