"""Fit the answer-or-decline models on labelled questions, and measure them honestly:
``cross_validate`` fits on four fifths of the items and scores the fifth (translations of an item
stay in one fold), so no figure comes from questions a parameter was fitted on."""
from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from bot.answering.answers import Analysis, analyse, compose, decide
from bot.answering.decision import MODEL_FILE, VARIANT_FEATURES, Decider, fit_decider
from bot.answering.evaluate import EvalReport, group_of, score
from index.retrieval.protocol import Retriever

MAX_FALSE_DECLINE = 0.03


def analyses_of(retriever: Retriever, items: list[dict]) -> list[Analysis]:
    return [analyse(retriever, item["question"]) for item in items]


def fit_all(items: list[dict], analyses: list[Analysis]) -> dict[str, Decider]:
    """One decider per variant present among the analyses (those the model decides)."""
    deciders = {}
    for variant, names in VARIANT_FEATURES.items():
        rows = [(a.values, bool(i.get("answerable", True))) for i, a in zip(items, analyses, strict=True)
                if a.variant == variant and a.values is not None and not a.fact and not a.dated and a.ranked]
        if len({y for _, y in rows}) == 2:
            deciders[variant] = fit_decider([r for r, _ in rows], [y for _, y in rows], names, MAX_FALSE_DECLINE)
    return deciders


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
                   analyses: list[Analysis] | None = None) -> EvalReport:
    analyses = analyses or analyses_of(retriever, items)
    fold = folds_of(items, k)
    report = EvalReport()
    for f in range(k):
        train = [n for n in range(len(items)) if fold[n] != f]
        deciders = fit_all([items[n] for n in train], [analyses[n] for n in train])
        for n in range(len(items)):
            if fold[n] == f:
                answered, p = decide(analyses[n], deciders)
                score(report, retriever, items[n], compose(retriever, analyses[n], answered, p, k=3))
    return report


def save_models(deciders: dict[str, Decider], sources: list[str], counts: dict[str, int],
                path: Path = MODEL_FILE) -> None:
    data = {"fitted": date.today().isoformat(), "labelled_questions": sources, "counts": counts,
            "max_false_decline": MAX_FALSE_DECLINE,
            "variants": {name: d.to_json() for name, d in sorted(deciders.items())}}
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
