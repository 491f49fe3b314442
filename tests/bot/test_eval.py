"""Answer quality on the labelled questions beside the project (../shared/eval), measured the
honest way: the answer-or-decline model is refitted on four fifths of the questions and scored on
the fifth (``bot.answering.fitting.cross_validate``), so no figure comes from questions a
parameter was fitted on. Each fold's semantic models also learn from the project's blind sets
(``eval/dev-blind-*.yaml``, never scored here), as the shipped ones do. The floors sit a little
under the figures measured on 2026-12-05 (eval/README-history.md; other languages 0.810 /
0.917 pooled, 0.883 at rank 3 with BM25 alone); the learned ranker is refitted
per fold too. The figures are pooled over three fold assignments (SEEDS): with one, a single question moving across
a fold's threshold moved the English false-decline rate by a point.
"""
import pytest

from bot.answering.evaluate import load_items
from bot.answering.fitting import analyses_of, cross_validate
from bot.eval_commands import BLIND_SETS
from tests.conftest import SHARED

EVAL = SHARED / "eval"
ENGLISH = [EVAL / "dev.yaml", EVAL / "dev-large.yaml"]
OTHER_LANGUAGES = EVAL / "dev-multilingual.yaml"
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def pool():
    if not all(p.exists() for p in [*ENGLISH, OTHER_LANGUAGES]):
        pytest.skip(f"{EVAL} not found: ../shared is not beside the project")
    return load_items(*ENGLISH, OTHER_LANGUAGES)


@pytest.fixture(scope="module")
def report(index, pool):
    """As the shipped models are fitted: the semantic stage's also on the project's blind sets."""
    extra = load_items(*BLIND_SETS)
    return cross_validate(index, pool, 5, analyses_of(index, pool), SEEDS, (extra, analyses_of(index, extra)))


def test_english_success_rates_cross_validated(report):
    english = report.by["lang en"]
    assert english.answerable == 113 * len(SEEDS) and english.unanswerable == 37 * len(SEEDS)
    # 293/339 (sessions 45, the query map, and 46; 280 in 44 with dev-blind-3..23 in the fits, 287 in 43)
    assert english.at1 / english.answerable >= 0.85, report.details()
    assert english.at3 / english.answerable >= 0.92, report.details()   # 319/339 (318 in 44)


def test_few_answerable_questions_are_declined(report):
    english = report.by["lang en"]
    # 10/339 in session 61 (dev-blind-28 and -29 in the fits), 8 in 45, 46, 59 and 60, 9 in 44 and 58
    assert english.declined_answerable / english.answerable <= 0.03, report.details()


def test_off_topic_and_adversarial_questions_are_mostly_declined(report):
    assert report.share_declined("off") >= 0.75, report.details()   # 69/75 measured (sessions 43 to 46)
    assert report.share_declined("adv") >= 0.6, report.details()


def test_many_near_topic_questions_are_declined(report):
    """Same people and films, a fact the sources never give ("what awards did City of Life and
    Death win"): what the best passage lacks, the lift over the names, the question prior ("how
    old is", "what was the budget of") and the neighbours' vote tell them apart."""
    assert report.share_declined("near") >= 0.5, report.details()   # 52/75 measured (session 46; 53 in 45, 57 in 44)


def test_most_questions_whose_words_are_there_but_not_the_answer_are_declined(report):
    """"how many people died in the first air raid on Nanking": the raid is there, its toll is not."""
    # 27/33 measured (session 46; 24 in 45, 27 in 44, 24 in 43, 18 without the vote)
    assert report.share_declined("absent") >= 0.6, report.details()


def _other_languages(report):
    return [report.by[f"lang {lang}"] for lang in ("zh", "ja", "de", "es")]


def test_questions_in_other_languages_find_the_english_passage(report):
    other = _other_languages(report)
    answerable = sum(t.answerable for t in other)
    assert answerable == 128 * len(SEEDS)
    # 322 and 359 of 384 (session 45, the query map; 311 and 352 in 44)
    assert sum(t.at1 for t in other) / answerable >= 0.80, report.details()
    assert sum(t.at3 for t in other) / answerable >= 0.88, report.details()


def test_most_unanswerable_questions_in_other_languages_are_declined(report):
    """The issue's bar: 80% (79/96 measured, session 46; 80/96 in session 45; 84/96 in session 44; 83/96 in session 43;
    82/96 in session 42; 81/96 in session 41; 75/96 when the threshold let 1% of the
    answerable training questions fall below it, before dev-blind-16 and -17 joined the fits)."""
    other = _other_languages(report)
    assert sum(t.declined for t in other) / sum(t.unanswerable for t in other) >= 0.8, report.details()


def test_without_the_model_other_languages_are_still_found_by_their_glossary_words(pool):
    from index.engine import Index
    from tests.conftest import CORPUS
    lexical = Index.from_dir(CORPUS, semantic=False)
    report = cross_validate(lexical, pool, 5, analyses_of(lexical, pool), SEEDS)
    other = _other_languages(report)
    assert sum(t.at3 for t in other) / sum(t.answerable for t in other) >= 0.84, report.details()
    assert report.not_verbatim == []


def test_every_quote_is_verbatim(report):
    assert report.not_verbatim == []


def test_fold_assignments_pool_by_adding_up(index, pool):
    items = pool[::2]
    analyses = analyses_of(index, items)
    once = cross_validate(index, items, 5, analyses)
    twice = cross_validate(index, items, 5, analyses, (0, 0))
    assert (twice.total.answerable, twice.total.at1, twice.total.declined) == \
        (2 * once.total.answerable, 2 * once.total.at1, 2 * once.total.declined)
    assert twice.by["lang en"].at3 == 2 * once.by["lang en"].at3 and twice.misses == once.misses


def test_a_cross_validation_embeds_each_phrase_once(index, pool, monkeypatch):
    """Every fold orders the same analyses again: the phrases their best passages call for (the
    words a passage lacks, the names) are asked of the model once, however many folds and
    assignments (the index keeps only the last few thousand; a fit on the blind sets asks more)."""
    items = pool[::2]
    analyses = analyses_of(index, items)
    asked: list[str] = []
    embed = index.phrase_vectors
    monkeypatch.setattr(index, "phrase_vectors", lambda texts: asked.extend(texts) or embed(texts))
    cross_validate(index, items, 2, analyses, (0, 1))
    assert asked and len(asked) == len(set(asked))
