"""`python -m bot eval` and `python -m bot fit`: answer quality on labelled questions, measured
honestly (``--cv``: fitted on four fifths, scored on the fifth), and refitting the shipped
answer-or-decline model."""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.answering.decision import LEXICAL, MODEL_FILE, VARIANT_FEATURES
from bot.answering.evaluate import evaluate, load_items
from bot.answering.fitting import (
    VARIANT_QUESTIONS,
    FitError,
    analyses_of,
    cross_validate,
    fit_all,
    fit_models,
    lacking,
    save_models,
)
from bot.cli_index import open_index
from bot.config import Config
from index.engine import Index

SHARED_EVAL = Path("..") / "shared" / "eval"
DEFAULT_FILES = [SHARED_EVAL / "dev.yaml"]
DEFAULT_CONVERSATIONS = Path("tests") / "data" / "conversations.yaml"   # follow-ups, run from the project root
# The project's own labelled questions, written from the seed pages and read since (its held-out
# sets beside them are not): the shipped semantic models learn from them too (``fit --train-also``)
BLIND_SETS = sorted((Path(__file__).resolve().parents[1] / "eval").glob("dev-blind-*.yaml"))


def _items(files: list[Path], err: TextIO) -> list[dict] | None:
    missing = [f for f in files if not f.exists()]
    if missing:
        print(f"{missing[0]}: no such file", file=err)
        return None
    return load_items(*files)


def cmd_eval(args, index: Index, out: TextIO, err: TextIO) -> int:
    items = _items(args.files or DEFAULT_FILES, err)
    if items is None:
        return 2
    if args.cv:
        extra = _items(args.train_also, err)
        if extra is None:
            return 2
        try:
            report = cross_validate(index, items, args.cv, seeds=tuple(range(args.repeat)),
                                    extra=(extra, analyses_of(index, extra)))
        except FitError as exc:
            print(f"cannot cross-validate: {exc}", file=err)
            return 2
        print(f"cross-validated ({args.cv} folds: the decision fitted on the other folds"
              + (f", also fitted on {len(extra)} more questions" if extra else "")
              + (f"; {args.repeat} fold assignments pooled" if args.repeat > 1 else "") + ")", file=out)
    else:
        report = evaluate(index, items)
        print(f"with the shipped decision model ({MODEL_FILE.name})", file=out)
    print(report.details() if args.verbose else report.summary(), file=out)
    if not args.verbose and report.misses:
        print("not at rank 1: " + ", ".join(report.misses), file=out)
    return 0


def cmd_eval_conversations(args, index: Index, out: TextIO, err: TextIO) -> int:
    from bot.conversation_eval import evaluate_conversations, load_conversations

    if not args.file.exists():
        print(f"{args.file}: no such file", file=err)
        return 2
    report = evaluate_conversations(index, load_conversations(args.file))
    print(report.summary(), file=out)
    if report.misses:
        print("missed with memory: " + ", ".join(report.misses), file=out)
    return 0


def cmd_fit(args, config: Config, corpus_dir: Path, out: TextIO, err: TextIO) -> int:
    """Fit every variant: English and other languages with the semantic stage, and BM25 alone.
    The corpus's index and vectors are the ones ``eval`` and the bot use (built or embedded once)."""
    items = _items(args.files, err)
    if items is None:
        return 2
    extra = _items(args.train_also, err)
    if extra is None:
        return 2
    with_meaning = open_index(config, corpus_dir, err)
    if with_meaning is None:
        return 1
    if with_meaning.semantic is None:
        print(f"cannot fit the semantic variants: {with_meaning.semantic_off_reason}", file=err)
        return 1
    lexical = open_index(config, corpus_dir, err, semantic=False)
    if lexical is None:   # the corpus changed between the two and no longer loads
        return 1
    meaning_analyses, lexical_analyses = analyses_of(with_meaning, items), analyses_of(lexical, items)
    ranker, deciders = fit_models(with_meaning, items, meaning_analyses, (extra, analyses_of(with_meaning, extra)))
    deciders |= fit_all(items, lexical_analyses, (LEXICAL,))
    # a model without one variant's decision would fail every question of that variant
    unfitted = [v for v in VARIANT_FEATURES if v not in deciders]
    if unfitted:
        variant = unfitted[0]
        analyses = lexical_analyses if variant == LEXICAL else meaning_analyses
        print(f"cannot fit the decision for {VARIANT_QUESTIONS[variant]}: the labelled questions hold "
              f"{lacking(items, analyses, variant)} (it needs answerable and unanswerable ones); "
              f"nothing written, {args.out} is unchanged", file=err)
        return 2
    counts = {"items": len(items), "answerable": sum(bool(i.get("answerable", True)) for i in items)}
    if extra:
        counts |= {"also_with_meaning": len(extra)}
    save_models(ranker, deciders, [f.name for f in args.files], counts, args.out, [f.name for f in args.train_also])
    print(f"{args.out}: {', '.join(sorted(deciders))} fitted on {len(items)} questions"
          + (f" (the semantic stage's models on {len(extra)} more)" if extra else ""), file=out)
    return 0


def add_parsers(sub, corpus_arg) -> None:
    ev = sub.add_parser("eval", help="answer quality on labelled questions (success@1/@3, declines)")
    ev.add_argument("files", nargs="*", type=Path,
                    help="question sets (default ../shared/eval/dev.yaml); several are pooled")
    ev.add_argument("--cv", type=int, default=0, metavar="K",
                    help="cross-validate: fit the decision on K-1 folds, score the held-out fold")
    ev.add_argument("--repeat", type=int, default=1, metavar="R",
                    help="with --cv: pool R different fold assignments (steadier figures)")
    ev.add_argument("--train-also", nargs="+", type=Path, default=[], metavar="FILE",
                    help="with --cv: labelled questions every fold's fit learns from too (as fit's"
                         " --train-also), never scored")
    ev.add_argument("-v", "--verbose", action="store_true", help="figures by category, style and language")
    ev.add_argument("--bm25-only", action="store_true",
                    help="without the semantic stage (as when the model is missing)")
    corpus_arg(ev)
    ev.set_defaults(measure=cmd_eval)
    evc = sub.add_parser("eval-conversations",
                         help="follow-up questions: success@1 with and without conversation memory")
    evc.add_argument("file", nargs="?", type=Path, default=DEFAULT_CONVERSATIONS,
                     help=f"the conversations (default: {DEFAULT_CONVERSATIONS})")
    corpus_arg(evc)
    evc.set_defaults(measure=cmd_eval_conversations)
    fit = sub.add_parser("fit", help="refit the answer-or-decline model on labelled questions")
    fit.add_argument("files", nargs="+", type=Path, help="the labelled question sets to fit on (pooled)")
    fit.add_argument("--out", type=Path, default=MODEL_FILE, help=f"where to write it (default {MODEL_FILE.name})")
    fit.add_argument("--train-also", nargs="+", type=Path, default=[], metavar="FILE",
                     help="labelled questions the semantic stage's models learn from too (not BM25 alone's)")
    corpus_arg(fit)
