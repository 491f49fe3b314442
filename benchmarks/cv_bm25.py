"""Nested cross-validation of BM25's k1 and b on the pooled labelled questions (prints figures;
nothing here asserts anything). Issue 9: are the textbook defaults right for our short passages?

Outer: the project's 5 folds (``folds_of``, translations of an item kept in one fold). Inside each
outer fold's training part, every (k1, b) of the grid is scored by an inner cross-validation (the
decider refitted on four fifths of the training part, scored on the fifth) and the best mean
English success@1 wins (ties: success@3, then fewer wrong decisions, then the shipped defaults).
The outer fold is then scored with the chosen (k1, b) and the decider fitted on the whole training
part, so no figure comes from a question a parameter was chosen or fitted on. The same outer folds
score today's defaults (plain 5-fold CV), for the comparison. Each (k1, b) is one in-memory Index
and one analysis per question, reused by every fold: 16 builds in all.

    python -m benchmarks.cv_bm25 [--semantic on|off] [--inner 5] [--seeds 0 1 2] [--eval DIR]
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from bot.answering.analysis import Analysis
from bot.answering.answers import compose, decide
from bot.answering.evaluate import UNANSWERABLE_STYLES, EvalReport, Tally, load_items, score
from bot.answering.fitting import analyses_of, fit_all, folds_of
from index.bm25.formula import DEFAULT_B, DEFAULT_K1
from index.corpus.loader import load_corpus
from index.engine import Index

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FILES = ("dev.yaml", "dev-large.yaml", "dev-multilingual.yaml")
GRID_K1 = (0.8, 1.2, 1.5, 2.0)
GRID_B = (0.3, 0.5, 0.75, 0.9)
DEFAULT = (DEFAULT_K1, DEFAULT_B)
MIN_GAIN = 0.02   # English success@1 the nested CV must gain before the defaults change
Params = tuple[float, float]


@dataclass
class Point:
    """One (k1, b): its index and every item's analysis on it."""
    index: Index
    analyses: list[Analysis]


class Split:
    """Figures kept apart for English and for the other languages."""

    def __init__(self) -> None:
        self.en, self.other = EvalReport(), EvalReport()

    def of(self, item: dict) -> EvalReport:
        return self.en if item.get("lang", "en") == "en" else self.other


def build_points(items: list[dict], semantic: bool, vectors: Path | None) -> dict[Params, Point]:
    corpus = load_corpus(ROOT / "corpus")
    points = {}
    for k1 in GRID_K1:
        for b in GRID_B:
            started = time.perf_counter()
            index = Index(corpus, k1=k1, b=b, semantic=semantic, vectors_dir=vectors)
            points[(k1, b)] = Point(index, analyses_of(index, items))
            print(f"  k1 {k1:<4} b {b:<4}: index + {len(items)} analyses in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
    return points


def score_fold(point: Point, items: list[dict], train: list[int], test: list[int], into: Split) -> None:
    """Fit the decider on ``train``, score ``test`` (indices into ``items``)."""
    deciders = fit_all([items[n] for n in train], [point.analyses[n] for n in train])
    for n in test:
        answered, p = decide(point.analyses[n], deciders)
        score(into.of(items[n]), point.index, items[n], compose(point.index, point.analyses[n], answered, p, k=3))


def cv_within(point: Point, items: list[dict], subset: list[int], k: int, seed: int = 0) -> Split:
    """k-fold CV over ``subset`` alone (its own folds, groups kept together)."""
    fold = folds_of([items[n] for n in subset], k, seed)
    split = Split()
    for f in range(k):
        score_fold(point, items, [n for n, g in zip(subset, fold, strict=True) if g != f],
                   [n for n, g in zip(subset, fold, strict=True) if g == f], split)
    return split


def selection_key(params: Params, split: Split) -> tuple:
    t = split.en.total
    wrong = t.declined_answerable + (t.unanswerable - t.declined)
    return (t.at1, t.at3, -wrong, params == DEFAULT)


def choose(points: dict[Params, Point], items: list[dict], subset: list[int], k: int, seed: int = 0) -> Params:
    """The (k1, b) with the best inner-CV English figures on ``subset``."""
    return max(points, key=lambda p: selection_key(p, cv_within(points[p], items, subset, k, seed)))


def nested(points: dict[Params, Point], items: list[dict], k: int, inner: int,
           seed: int = 0) -> tuple[Split, list[Params]]:
    fold = folds_of(items, k, seed)
    split, chosen = Split(), []
    for f in range(k):
        train = [n for n in range(len(items)) if fold[n] != f]
        best = choose(points, items, train, inner, seed)
        chosen.append(best)
        score_fold(points[best], items, train, [n for n in range(len(items)) if fold[n] == f], split)
    return split, chosen


def plain(point: Point, items: list[dict], k: int, seed: int = 0) -> Split:
    """Plain k-fold CV of one (k1, b) on the same outer folds."""
    return cv_within(point, items, list(range(len(items))), k, seed)


# -- reporting --------------------------------------------------------------------------------

def figures(report: EvalReport) -> dict[str, float]:
    t, a = report.total, report.total.answerable or 1
    out = {"success@1": t.at1 / a, "success@3": t.at3 / a, "answerable declined": t.declined_answerable / a}
    for s in UNANSWERABLE_STYLES:
        if report.by[f"style {s}"].unanswerable:
            out[f"unanswerable declined ({s})"] = report.share_declined(s)
    if t.unanswerable:
        out["unanswerable declined (all)"] = t.declined / t.unanswerable
    return out


def counts(t: Tally) -> str:
    return (f"@1 {t.at1}/{t.answerable}, @3 {t.at3}/{t.answerable}, declined {t.declined_answerable}/"
            f"{t.answerable} answerable, {t.declined}/{t.unanswerable} unanswerable")


def table(today: Split, tuned: Split) -> None:
    for name, a, b in (("English", today.en, tuned.en), ("other languages", today.other, tuned.other)):
        print(f"\n{name}: defaults {counts(a.total)}\n{' ' * len(name)}  nested   {counts(b.total)}")
        fa, fb = figures(a), figures(b)
        for key in fa:
            print(f"  {key:<32} defaults {fa[key]:.3f}   nested {fb[key]:.3f}   ({fb[key] - fa[key]:+.3f})")


def hits_at1(report: EvalReport, items: list[dict]) -> set[str]:
    wrong = {m.split(" ")[0] for m in report.misses} | set(report.wrongly_declined)
    return {i["id"] for i in items if i.get("answerable", True) and i["id"] not in wrong}


def verdict(today: Split, tuned: Split) -> list[str]:
    """Why the defaults must stay (empty when the gain is real by the issue's rule)."""
    fa, fb = figures(today.en), figures(tuned.en)
    oa, ob = figures(today.other), figures(tuned.other)
    why = []
    if fb["success@1"] - fa["success@1"] < MIN_GAIN:
        why.append(f"English success@1 gains {fb['success@1'] - fa['success@1']:+.3f} (< {MIN_GAIN})")
    for key in fa:
        worse = fb[key] > fa[key] if key == "answerable declined" else fb[key] < fa[key]
        if key != "success@1" and worse:
            why.append(f"English {key} worse")
    for key in oa:
        worse = ob[key] > oa[key] if key == "answerable declined" else ob[key] < oa[key]
        if worse:
            why.append(f"other languages {key} worse")
    return why


def landscape(points: dict[Params, Point], items: list[dict], k: int) -> None:
    """Plain CV of every grid point (chosen by looking: for the picture, not an honest figure)."""
    print("\nplain 5-fold CV per (k1, b) (the best of these is optimistic: chosen on the same folds)")
    print("  k1    b     EN @1   EN @3  EN ans.decl  EN unans.decl   other @1  other @3")
    for (k1, b), point in points.items():
        s = plain(point, items, k)
        e, o = figures(s.en), figures(s.other)
        mark = "  <- defaults" if (k1, b) == DEFAULT else ""
        print(f"  {k1:<5} {b:<5} {e['success@1']:.3f}  {e['success@3']:.3f}  {e['answerable declined']:.3f}"
              f"        {e.get('unanswerable declined (all)', 1.0):.3f}          {o['success@1']:.3f}"
              f"     {o['success@3']:.3f}{mark}")


def compare(points: dict[Params, Point], items: list[dict], args: argparse.Namespace, seed: int) -> None:
    """Nested CV against the defaults on the same outer folds (``folds_of`` with ``seed``)."""
    today = plain(points[DEFAULT], items, args.folds, seed)
    tuned, chosen = nested(points, items, args.folds, args.inner, seed)
    print(f"\n=== fold seed {seed}: nested CV ({args.folds} outer folds, {args.inner}-fold inner CV on each "
          f"training part)")
    print("chosen per outer fold: " + ", ".join(f"(k1 {k1}, b {b})" for k1, b in chosen))
    table(today, tuned)
    en = [i for i in items if i.get("lang", "en") == "en"]
    won, lost = hits_at1(tuned.en, en) - hits_at1(today.en, en), hits_at1(today.en, en) - hits_at1(tuned.en, en)
    print(f"\nEnglish @1, item by item: nested right where defaults wrong {len(won)}, the reverse {len(lost)}")
    why = verdict(today, tuned)
    print("verdict: " + ("a real gain: change the defaults" if not why else "keep the defaults: " + "; ".join(why)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", choices=("on", "off"), default="on")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--inner", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="fold seeds (0: the project's folds; others show how much the split matters)")
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--vectors", type=Path, default=ROOT / ".cache" / "vectors",
                        help="vector cache folder (vectors depend on the text only, not on k1/b)")
    args = parser.parse_args()
    items = load_items(*(args.eval / name for name in FILES))
    print(f"{len(items)} labelled questions ({sum(i.get('lang', 'en') == 'en' for i in items)} English); "
          f"semantic stage {args.semantic}; grid k1 {GRID_K1} x b {GRID_B}")
    started = time.perf_counter()
    points = build_points(items, args.semantic == "on", args.vectors)
    landscape(points, items, args.folds)
    for seed in args.seeds:
        compare(points, items, args, seed)
    whole = choose(points, items, list(range(len(items))), args.inner)
    print(f"\nchosen on the whole pool (what a change would ship): k1 {whole[0]}, b {whole[1]}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
