"""Answer-quality experiments on dumped analyses, measured the three ways `eval/RESULTS.md`
reports a step: the shared files cross-validated (5 folds x 3 assignments, the blind sets as extra
training, as the README's command), each blind set left out (fitted on the shared files and the
other blind sets), and the held-out sets (fitted on all of them). Prints, for English and for
other languages, at rank 1 / at rank 3 / answerable declined / unanswerable declined, and the
unanswerable declined by style; asserts nothing.

Analysing every labelled question (retrieval, embedding) is most of the time; the fits and the
decisions are not. So the analyses are dumped once (``dump``) and every experiment on the
decision, the ranker or a feature computed from an analysis (``answers.order`` recomputes the
features) is measured on them (``measure``, about 9 minutes on two cores). A step that changes
what an analysis holds (the tokenizer, the glossary, retrieval) needs a new dump.

    python -m benchmarks.dumped_eval dump DIR
    python -m benchmarks.dumped_eval measure DIR [--parts shared,loso,held] [--out FILE.json]

Run from the project root with ../shared beside it. The dumps are pickles of this code's
objects: read them only with the code that wrote them.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

from bot.answering.evaluate import UNANSWERABLE_STYLES, EvalReport, load_items, score
from bot.answering.fitting import PhrasesKept, analyses_of, answer_with, cross_validated_answers, fit_models
from bot.answering.types import Answer
from bot.cli_index import open_index
from bot.config import load_config
from index.engine import Index

ROOT = Path(__file__).resolve().parents[1]
SHARED = [ROOT.parent / "shared" / "eval" / name for name in ("dev.yaml", "dev-large.yaml", "dev-multilingual.yaml")]
FOLDS, ASSIGNMENTS = 5, (0, 1, 2)


def labelled_sets() -> dict[str, list[Path]]:
    """The shared files as one set, then each blind set and each held-out set on its own."""
    sets = {"shared": SHARED}
    for pattern in ("dev-blind-*.yaml", "heldout-*.yaml"):
        sets |= {p.stem: [p] for p in sorted((ROOT / "eval").glob(pattern))}
    return sets


def dump(index: Index, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, paths in labelled_sets().items():
        items = load_items(*paths)
        (out / f"{name}.pkl").write_bytes(pickle.dumps((items, analyses_of(index, items))))
        print(f"{name}: {len(items)} questions analysed", flush=True)


Answered = list[tuple[dict, Answer]]   # each labelled item with the answer it got


def scored(index, items: list[dict], analyses: list, models) -> Answered:
    """Each item answered by ``models`` (a ranker, the deciders)."""
    return [(item, answer_with(index, analysis, *models)) for item, analysis in zip(items, analyses, strict=True)]


def shared_cross_validated(index, shared, blind) -> Answered:
    """As ``bot eval --cv 5 --repeat 3 --train-also`` the blind sets (``fitting.cross_validate``)."""
    (items, analyses), extra = shared, _pooled(blind.values())
    return [pair for seed in ASSIGNMENTS
            for pair in cross_validated_answers(index, items, FOLDS, analyses, seed, extra)]


def each_left_out(index, shared, blind) -> Answered:
    answered: Answered = []
    for name, (items, analyses) in blind.items():
        models = fit_models(index, *shared, _pooled(s for other, s in blind.items() if other != name))
        answered += scored(index, items, analyses, models)
    return answered


def held_out(index, shared, blind, held) -> Answered:
    models = fit_models(index, *shared, _pooled(blind.values()))
    return [pair for items, analyses in held.values() for pair in scored(index, items, analyses, models)]


def _pooled(sets) -> tuple[list, list]:
    sets = list(sets)
    return [i for items, _ in sets for i in items], [a for _, analyses in sets for a in analyses]


def tally(index, answered: Answered) -> dict[str, dict]:
    """English and other languages, scored as ``bot eval`` scores (``evaluate.score``): the four
    figures, the unanswerable declined by style, the questions got wrong (declined or answered wrongly) and those
    whose evidence was not at rank 1 ("id (rank N)")."""
    reports = {"en": EvalReport(), "other": EvalReport()}
    for item, answer in answered:
        score(reports["en" if item.get("lang", "en") == "en" else "other"], index, item, answer)
    return {group: {"of": f"{r.answerable}/{r.unanswerable}",
                    "figures": f"{r.at1}/{r.at3}/{r.total.declined_answerable}/{r.declined}",
                    "styles": {s: f"{t.declined}/{t.unanswerable}" for s in sorted(UNANSWERABLE_STYLES)
                               if (t := r.by.get(f"style {s}")) is not None and t.unanswerable},
                    "wrong": sorted(r.wrongly_declined + r.wrongly_answered),
                    "misses": sorted(r.misses)}
            for group, r in reports.items()}


def measure(index: Index, dumps: Path, parts: list[str]) -> dict[str, dict]:
    def load(name: str):
        return pickle.loads((dumps / f"{name}.pkl").read_bytes())

    index = PhrasesKept(index)   # each fit orders every analysis again: their phrases embedded once
    shared = load("shared")
    blind = {p.stem: load(p.stem) for p in sorted(dumps.glob("dev-blind-*.pkl"))}
    held = {p.stem: load(p.stem) for p in sorted(dumps.glob("heldout-*.pkl"))}
    runs = {"shared": lambda: shared_cross_validated(index, shared, blind),
            "loso": lambda: each_left_out(index, shared, blind),
            "held": lambda: held_out(index, shared, blind, held)}
    results = {}
    for part in parts:
        results[part] = tally(index, runs[part]())
        print(part, " ".join(f"{g}: {t['figures']} of {t['of']} {t['styles']}" for g, t in results[part].items()),
              flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("dump", "measure"))
    ap.add_argument("dumps", type=Path)
    ap.add_argument("--parts", default="shared,loso,held", help="of shared, loso (each blind set left out), held")
    ap.add_argument("--out", type=Path, help="measure: also write the figures and the questions got wrong as JSON")
    args = ap.parse_args(argv)
    # the index and the vectors `bot eval` answers from (its configuration's corpus and caches)
    index = open_index(load_config(None), ROOT / "corpus", sys.stderr, semantic=True)
    if index is None:
        raise SystemExit(1)
    if args.command == "dump":
        dump(index, args.dumps)
        return
    results = measure(index, args.dumps, args.parts.split(","))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
