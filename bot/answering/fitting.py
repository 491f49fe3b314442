"""Fit the answer-or-decline models on labelled questions, and measure them honestly:
``cross_validate`` fits on four fifths of the items and scores the fifth (translations of an item
stay in one fold), so no figure comes from questions a parameter was fitted on."""
from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np

from bot.answering.answers import Analysis, analyse, compose, decide, order
from bot.answering.decision import (
    FIT,
    LEXICAL,
    MODEL_FILE,
    NEIGHBOURS,
    PRIOR,
    VARIANT_FEATURES,
    Decider,
    every_source_votes,
    fit_decider,
    neighbours_file,
    query_map_file,
)
from bot.answering.evaluate import EvalReport, group_of, holds_evidence, score
from bot.answering.neighbours import fit_neighbours
from bot.answering.query_map import Example, QueryMap, fit_with_held_out
from bot.answering.question_prior import FIT_L2, PRIOR_L2, fit_prior, source_key
from bot.answering.ranking import learning_rows, mapped_cosines
from bot.answering.reranker import Ranker, fit_ranker
from bot.answering.shipped_arrays import digest
from bot.answering.types import Answer
from index.retrieval.protocol import Retriever

# How many of each variant's answerable training questions its threshold may leave below it.
# BM25 alone: 3%. A decision weighing the question prior fits its training questions (their prior
# values out of fold) more tightly than it fits the shared files' questions, typed as people type:
# with 3%, cross-validated on the shared files, English declined 15 of 339 answerable questions;
# with 2%, 6. With one prior fitted on every language (session 37): English 1.5% (shared CV 10 ->
# 3 of 339 declined, as many unanswerable declined), other languages 1% (at 1.5%, 8 of 384 against
# 3 without the prior; at 1%, 1). Other languages 1.5% again in session 41 (dev-blind-3..16 in the
# fits; on dumped analyses, answerable / unanswerable declined, 1% -> 1.5% -> 2%: shared files
# 3/75 -> 7/80 -> 12/81 of 384/96, each blind set left out 10/209 -> 12/220 -> 14/223 of 548/272).
# Other languages 1% again in session 55, with the neighbours' vote in their decision: the vote
# tells unanswerable questions apart, so a tighter threshold keeps what it gains (answerable /
# unanswerable declined, 1.5% -> 1%: shared files 16/85 -> 12/84 of 3 x 384/96, each blind set
# left out 12/426 -> 9/421 of 988/492, held out 2/54 -> 2/51 of 132/64).
MAX_FALSE_DECLINE = {"english": 0.015, "foreign": 0.01, LEXICAL: 0.03}
# each variant's questions in words, for a moderator told why a fit cannot be made
VARIANT_QUESTIONS = {"english": "English questions", "foreign": "questions in other languages",
                     LEXICAL: "questions read with BM25 alone"}


class FitError(ValueError):
    """The labelled questions cannot fit a decision that some question needs (said in words)."""


def analyses_of(retriever: Retriever, items: list[dict]) -> list[Analysis]:
    """Each item analysed with the fused order, no learned ranker (``fit_models`` fits one)."""
    return [analyse(retriever, item["question"], ranker=None) for item in items]


Extra = tuple[list[dict], list[Analysis]]   # more labelled items and their analyses
NO_EXTRA: Extra = ([], [])


def fit_models(retriever: Retriever, items: list[dict], analyses: list[Analysis], extra: Extra = NO_EXTRA
               ) -> tuple[Ranker | None, dict[str, Decider]]:
    """The learned order (English questions' model on the English ones alone), fitted on which
    candidates hold the answerable items' evidence, then
    the deciders on the analyses in that order. ``extra``: labelled questions the semantic
    stage's models learn from too (the ranker, the English and other-language decisions), not
    the decision of BM25 alone: measured, they made it decline more answerable questions, on the
    shared questions and on the blind sets alike (eval/README-history.md)."""
    mine = len(items)
    items, analyses = items + extra[0], analyses + extra[1]
    sources = frozenset(source_key(s) for s in retriever.corpus.sources)
    # the query map, and each question's map fitted without its group's fold: its rows and order as a new question's
    examples = [_map_example(retriever, i, a) for i, a in zip(items, analyses, strict=True)]
    query_map, held_out = fit_with_held_out(examples, [group_of(i) for i in items], sources)
    groups = [(a.english, _rank_rows(retriever, i, a, m)) for i, a, m in zip(items, analyses, held_out, strict=True)
              if i.get("answerable", True) and a.retrieval.semantic and a.ranked]
    ranker = fit_ranker([g for _, g in groups], [g for english, g in groups if english])
    ranker = ranker and replace(ranker, query_map=query_map)
    ordered = [order(retriever, a, ranker and replace(ranker, query_map=m))
               for a, m in zip(analyses, held_out, strict=True)]
    with_meaning = tuple(v for v in VARIANT_FEATURES if v != LEXICAL)
    lexical = fit_all(items[:mine], ordered[:mine], (LEXICAL,))
    return ranker, fit_all(items, ordered, with_meaning, sources) | lexical


def _rank_rows(retriever: Retriever, item: dict, analysis: Analysis, query_map: QueryMap | None = None):
    mapped = mapped_cosines(retriever, analysis.undated, analysis.retrieval.query.vector, query_map)
    fused, rows = learning_rows(retriever, analysis.undated, analysis.evidence, analysis.english, mapped)
    return rows, _holds(item, fused)


def _holds(item: dict, candidates) -> np.ndarray:
    return np.array([holds_evidence(item, c.passage.text, c.passage.date_text) for c in candidates], float)


def _map_example(retriever: Retriever, item: dict, analysis: Analysis) -> Example | None:
    """What the query map learns from an answerable question (in any language): its vector, its
    candidates' vectors and which hold its evidence (None: nothing to learn)."""
    vector, candidates = analysis.retrieval.query.vector, analysis.undated
    if not item.get("answerable", True) or vector is None or not candidates:
        return None
    vectors = retriever.passage_vectors([c.passage for c in candidates])
    return None if vectors is None else Example(vector, vectors, _holds(item, candidates))


def fit_all(items: list[dict], analyses: list[Analysis], variants: tuple[str, ...] = tuple(VARIANT_FEATURES),
            sources: frozenset[str] = frozenset()) -> dict[str, Decider]:
    """One decider per variant of ``variants`` present among the analyses (those the model
    decides). The deciders weighing the question prior share one, fitted on all their questions
    in every language (the model's meaning is shared across languages; fitted per language, the
    prior for other languages had too few questions to learn from), asked of ``sources``
    (``question_prior.source_key`` of each)."""
    chosen = {v: [n for n, a in enumerate(analyses) if a.variant == v and decided_by_model(a)] for v in variants}
    # fitted on the questions of every variant with meaning, in every language, weighed by those naming them
    pooled = [n for v in variants if v != LEXICAL for n in chosen[v]]
    tops = [analyses[n].top_source for n in pooled]
    every = [every_source_votes(analyses[n].values) for n in pooled]
    learnt = {name: _fit_shared(items, pooled, [vector(analyses[n]) for n in pooled], sources, fitter)
              for name, vector, fitter in ((PRIOR, lambda a: a.intent, partial(fit_prior, l2=PRIOR_L2)),
                                           (FIT, lambda a: a.pair, partial(fit_prior, l2=FIT_L2)),
                                           (NEIGHBOURS, lambda a: a.intent, _neighbours_fitter(tops, every)))
              if any(name in VARIANT_FEATURES[v] for v in variants)}
    deciders = {}
    for variant in variants:
        names = VARIANT_FEATURES[variant]
        labels = [bool(items[n].get("answerable", True)) for n in chosen[variant]]
        if len(set(labels)) < 2:
            continue
        # the decider learns from out-of-fold values: as a new question's
        rows = [{**analyses[n].values, **{name: learnt[name][1][n] for name in learnt if name in names}}
                for n in chosen[variant]]
        deciders[variant] = replace(fit_decider(rows, labels, names, MAX_FALSE_DECLINE[variant]),
                                    prior=learnt[PRIOR][0] if PRIOR in names else None,
                                    fit=learnt[FIT][0] if FIT in names else None,
                                    neighbours=learnt[NEIGHBOURS][0] if NEIGHBOURS in names else None)
    return deciders


def _neighbours_fitter(tops: list[str], every: list[bool]):
    """The vote's folds are by text, not by group (``fit_neighbours``); it needs each question's
    best source, and whether every source votes on it."""
    return lambda vectors, labels, groups, sources: fit_neighbours(vectors, labels, tops, sources, every_source=every)


def _fit_shared(items: list[dict], pooled: list[int], vectors: list, sources: frozenset[str], fitter
                ) -> tuple[object | None, dict[int, float]]:
    """A model over one vector of each ``pooled`` question (their positions), fitted by
    ``fitter(vectors, labels, groups, sources)``, and each one's out-of-fold value by position."""
    labels = [bool(items[n].get("answerable", True)) for n in pooled]
    if len(set(labels)) < 2:
        return None, {}
    model, held_out = fitter(vectors, labels, [group_of(items[n]) for n in pooled], sources)
    return model, dict(zip(pooled, map(float, held_out), strict=True))


def decided_by_model(analysis: Analysis) -> bool:
    """Whether the decider weighs this question (a fact or a dated entry decides without it)."""
    return analysis.values is not None and not analysis.fact and not analysis.dated and bool(analysis.ranked)


def lacking(items: list[dict], analyses: list[Analysis], variant: str) -> str:
    """What ``items`` lack to fit ``variant``'s decision, in words ("no unanswerable English
    questions"): a decision needs answerable and unanswerable questions of its variant."""
    kinds = {bool(i.get("answerable", True)) for i, a in zip(items, analyses, strict=True)
             if a.variant == variant and decided_by_model(a)}
    what = "answerable " if kinds == {False} else "unanswerable " if kinds == {True} else ""
    return f"no {what}{VARIANT_QUESTIONS[variant]}"


def folds_of(items: list[dict], k: int, seed: int = 0) -> list[int]:
    """A fold per item: groups kept together, answerable and unanswerable spread evenly."""
    groups: dict[str, list[int]] = {}
    for n, item in enumerate(items):
        groups.setdefault(group_of(item), []).append(n)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    keys.sort(key=lambda g: items[groups[g][0]].get("answerable", True))  # stratify: stable sort
    fold = [0] * len(items)
    for n, g in enumerate(keys):
        for i in groups[g]:
            fold[i] = n % k
    return fold


def cross_validate(retriever: Retriever, items: list[dict], k: int = 5,
                   analyses: list[Analysis] | None = None, seeds: tuple[int, ...] = (0,),
                   extra: Extra = NO_EXTRA) -> EvalReport:
    """K-fold figures; with several ``seeds`` (fold assignments) pooled over them: one question
    more or less at a fold's edge moves a single assignment's rates by about one point. ``extra``
    (items and their analyses): labelled questions every fold's fit learns from too as
    ``fit_models`` says, never scored (the shipped models are fitted on more questions than the
    ones the figures are given for)."""
    analyses = analyses or analyses_of(retriever, items)
    retriever = PhrasesKept(retriever)
    return EvalReport.pooled([_cross_validate_once(retriever, items, k, analyses, seed, extra) for seed in seeds])


class PhrasesKept:
    """The retriever, keeping every phrase vector it is asked for: each fold orders the same
    thousands of analyses again, and the index keeps only the last few thousand phrases (a
    fit with the blind sets asks more, so every fold embedded them anew: 11 of its 33 s)."""

    def __init__(self, retriever: Retriever):
        self._retriever = retriever
        self._kept: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str):
        return getattr(self._retriever, name)

    def phrase_vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        new = [t for t in dict.fromkeys(texts) if t not in self._kept]
        if new:
            self._kept |= self._retriever.phrase_vectors(new)
        return {t: self._kept[t] for t in texts if t in self._kept}


def _cross_validate_once(retriever: Retriever, items: list[dict], k: int, analyses: list[Analysis],
                         seed: int, extra: Extra) -> EvalReport:
    report = EvalReport()
    for item, answer in cross_validated_answers(retriever, items, k, analyses, seed, extra):
        score(report, retriever, item, answer)
    return report


def cross_validated_answers(retriever: Retriever, items: list[dict], k: int, analyses: list[Analysis],
                            seed: int, extra: Extra = NO_EXTRA) -> Iterator[tuple[dict, Answer]]:
    """Each item with its answer by the models fitted on the other folds of fold assignment
    ``seed`` (``extra`` as ``fit_models`` takes it), fold by fold."""
    fold = folds_of(items, k, seed)
    for f in range(k):
        train = [n for n in range(len(items)) if fold[n] != f]
        train_items, train_analyses = [items[n] for n in train], [analyses[n] for n in train]
        ranker, deciders = fit_models(retriever, train_items, train_analyses, extra)
        held_out = [analyses[n] for n in range(len(items)) if fold[n] == f]
        unfitted = sorted({a.variant for a in held_out if decided_by_model(a)} - set(deciders))
        if unfitted:
            raise FitError(f"fold {f + 1} of {k}: the other folds hold "
                           f"{lacking(train_items, train_analyses, unfitted[0])} to fit the decision on "
                           "(it needs answerable and unanswerable ones); use fewer folds (--cv) or "
                           "more labelled questions")
        for n in range(len(items)):
            if fold[n] == f:
                yield items[n], answer_with(retriever, analyses[n], ranker, deciders)


def answer_with(retriever: Retriever, analysis: Analysis, ranker: Ranker | None, deciders: dict[str, Decider]
                ) -> Answer:
    """The answer to an analysed question by these models (not the shipped ones), three quotes at most."""
    analysis = order(retriever, analysis, ranker)
    answered, p = decide(analysis, deciders)
    return compose(retriever, analysis, answered, p, k=3)


def save_models(ranker: Ranker | None, deciders: dict[str, Decider], sources: list[str],
                counts: dict[str, int], path: Path = MODEL_FILE, also: list[str] = ()) -> None:
    """``sources``: the labelled files every model learnt from; ``also``: those only the
    semantic stage's models learnt from too (``fit_models``'s ``extra``)."""
    data = {"fitted": date.today().isoformat(), "labelled_questions": sources,
            **({"also_with_meaning": list(also)} if also else {}), "counts": counts,
            "max_false_decline": MAX_FALSE_DECLINE,
            "variants": {name: d.to_json() for name, d in sorted(deciders.items())}}
    for key, shared in ((PRIOR, "prior"), (FIT, "fit")):   # one of each, shared by the deciders
        model = next((getattr(d, shared) for d in deciders.values() if getattr(d, shared) is not None), None)
        if model is not None:
            data[key] = model.to_json()
    neighbours = next((d.neighbours for d in deciders.values() if d.neighbours is not None), None)
    if neighbours is not None:   # its vectors beside, recorded by their SHA-256
        raw = neighbours.to_bytes()
        neighbours_file(path).write_bytes(raw)
        data[NEIGHBOURS] = neighbours.to_json(digest(raw))
    if ranker is not None:
        data["ranker"] = ranker.to_json()
    if ranker is not None and ranker.query_map is not None:   # its matrix beside, recorded by its SHA-256
        raw = ranker.query_map.to_bytes()
        query_map_file(path).write_bytes(raw)
        data["query_map"] = ranker.query_map.to_json(digest(raw))
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
