"""What each part of the answering pipeline contributes, measured by switching it off alone.

Each configuration is cross-validated like ``python -m bot eval --cv 5 --repeat 3 --train-also``
on the three labelled files (the ranker and the decision refitted on four fifths, with the
project's blind sets for the semantic models, scored on the fifth), and then fitted on all of them
and scored on the held-out sets (``eval/heldout-*.yaml``), which nothing was chosen on. The
parts are the points of issue 9: typo tolerance, document context in the ranking, the semantic
stage, the calibrated answer-or-decline decision, question shapes, source scope, and the
glossary that reads other languages (``bot.answering.ablation`` switches a part off by replacing
the one function that provides it). Prints figures; asserts nothing.

    python -m benchmarks.ablation [--eval DIR] [--repeat R]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import bot.answering.fitting as fitting
from bot.answering.ablation import PARTS, switched_off
from bot.answering.answers import compose, order
from bot.answering.evaluate import EvalReport, Tally, load_items, score
from bot.answering.fitting import analyses_of, cross_validate, fit_models
from bot.eval_commands import BLIND_SETS
from index.engine import Index

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
HELD_OUT = sorted((ROOT / "eval").glob("heldout-*.yaml"))
LANGUAGES = ("de", "es", "ja", "zh")


def held_out(index: Index, train: list[dict], test: list[dict], extra: fitting.Extra) -> EvalReport:
    """Fitted on ``train`` (and ``extra``, as ``fit_models`` says), scored on ``test`` (as the
    shipped models are on the held-out sets), deciding as cross-validation does
    (``fitting.decide``: the part switched off when it is)."""
    ranker, deciders = fit_models(index, train, analyses_of(index, train), extra)
    report = EvalReport()
    for item, analysis in zip(test, analyses_of(index, test), strict=True):
        analysis = order(index, analysis, ranker)
        answered, p = fitting.decide(analysis, deciders)
        score(report, index, item, compose(index, analysis, answered, p, k=3))
    return report


def languages(report: EvalReport) -> tuple[Tally, Tally]:
    """(English, the other languages) of a report."""
    other = Tally()
    for lang in LANGUAGES:
        other.add_tally(report.by[f"lang {lang}"])
    return report.by["lang en"], other


def row(name: str, cv: EvalReport, unseen: EvalReport) -> str:
    english, other = languages(cv)
    off_near = [cv.by[f"style {s}"] for s in ("off", "near")]
    unseen_en, unseen_other = languages(unseen)

    def rates(t: Tally) -> str:
        a = t.answerable or 1
        return (f"{t.at1 / a:.3f} / {t.at3 / a:.3f}, {t.declined_answerable}/{t.answerable}, "
                f"{t.declined}/{t.unanswerable}")
    off = sum(t.declined for t in off_near), sum(t.unanswerable for t in off_near)
    return (f"| {name} | {rates(english)} | {rates(other)} | {off[0]}/{off[1]} "
            f"| {rates(unseen_en)} | {rates(unseen_other)} |")


HEADER = ("| switched off | English: success@1 / @3, answerable declined, unanswerable declined "
          "| other languages | off- and near-topic declined, all languages "
          "| held-out English | held-out other languages |\n|---|---|---|---|---|---|")


def measure(index: Index, lexical: Index, labelled: list[dict], unseen: list[dict], repeat: int,
            blind: list[dict]) -> list[str]:
    """The table's rows, each printed as soon as it is measured; ``blind``: the questions the
    semantic models also learn from, as the shipped ones do."""
    lines = []
    print(HEADER, flush=True)
    for name, part in [("everything on", ""), *PARTS]:
        used = lexical if part == "semantic" else index
        with switched_off(used, part):
            extra = (blind, analyses_of(used, blind))
            cv = cross_validate(used, labelled, 5, seeds=tuple(range(repeat)), extra=extra)
            lines.append(row(name, cv, held_out(used, labelled, unseen, extra)))
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the folder of the labelled files")
    parser.add_argument("--repeat", type=int, default=3, help="fold assignments pooled")
    args = parser.parse_args(argv)
    labelled = load_items(*(args.eval / f for f in ("dev.yaml", "dev-large.yaml", "dev-multilingual.yaml")))
    unseen, blind = load_items(*HELD_OUT), load_items(*BLIND_SETS)
    index = Index.from_dir(ROOT / "corpus")
    lexical = Index.from_dir(ROOT / "corpus", semantic=False)
    print(f"{len(labelled)} labelled questions, cross-validated ({args.repeat} fold assignments pooled; "
          f"the semantic models also fitted on the {len(blind)} questions of {len(BLIND_SETS)} blind sets); "
          f"held-out: {', '.join(p.name for p in HELD_OUT)} ({len(unseen)} questions)\n")
    measure(index, lexical, labelled, unseen, args.repeat, blind)


if __name__ == "__main__":
    main()
