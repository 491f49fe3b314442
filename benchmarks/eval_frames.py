"""How people write to a bot, measured: the labelled English questions asked plainly, wrapped in
the frames people put around a question on Discord (a greeting, thanks, a mention, an emoji,
capitals, quotes, repeated marks), with a typo (two letters of one word swapped, or one left
out; the same word of a question in every run), and in chat shorthand ("ppl", "yr", "u").
Prints figures; asserts nothing.

Cross-validated like ``python -m bot eval --cv 5`` on the three labelled files: the ranker and
the decision are fitted on the plain questions of four folds, and the fifth fold is asked in
every frame, so a frame's figure comes from questions (and wrappings) nothing was fitted on. A
robust bot scores every frame as it scores the plain questions. The other languages' questions
are asked plainly, with a greeting or thanks of their own language, and with a typo in a word of
Latin letters.

    python -m benchmarks.eval_frames [--eval DIR]
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from bot.answering.answers import compose, decide, order
from bot.answering.evaluate import EvalReport, Tally, load_items, score
from bot.answering.fitting import analyses_of, fit_models, folds_of
from bot.eval_commands import BLIND_SETS
from index.engine import Index

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FRAMES = {
    "plain": "{q}",
    "capitals": "{Q}",
    "greeting first": "hey bot, can you tell me {q}",
    "thanks after": "{q}?? thanks!",
    "a mention first": "<@123456789012345678> {q}",
    "an emoji after": "{q} 🤔",
    "a hedge first": "I was wondering, {q}",
    "in quotes": '"{q}"',
    "a request first": "Please answer this question: {q}",
    "do you know": "do you know {q}",
    "quick question": "quick question: {q}",
    "context before": "I'm writing a school report on this. {q}",
    "context after": "{q}. I'm asking for a school project",
    "an interjection": "ummm {q} lol",
    "letters swapped": "swap",
    "thanks in advance": "{q}, thanks in advance!",
    "your sources named": "{q} according to your sources",
    "a letter left out": "drop",
    "in chat shorthand": "shorthand",
}
# How people shorten words in chat: each question with every such word of it shortened.
SHORTENED = {"you": "u", "your": "ur", "are": "r", "people": "ppl", "year": "yr", "years": "yrs", "about": "abt",
             "before": "b4", "because": "cuz", "through": "thru", "with": "w/", "government": "govt",
             "minutes": "mins", "what": "wat"}
_SHORTENED = re.compile(r"\b(" + "|".join(SHORTENED) + r")\b", re.I)
_LONG_WORD = re.compile(r"[A-Za-z]{5,}")


def typo(question: str, kind: str) -> str:
    """One typo in one word of five letters or more, chosen by the question's own text."""
    rng = random.Random(question)
    words = list(_LONG_WORD.finditer(question))
    if not words:
        return question
    m = rng.choice(words)
    w, i = m.group(), rng.randrange(1, len(m.group()) - 1)
    w = w[:i] + w[i + 1] + w[i] + w[i + 2:] if kind == "swap" else w[:i] + w[i + 1:]
    return question[:m.start()] + w + question[m.end():]


def framed(frame: str, question: str) -> str:
    if frame == "shorthand":
        return _SHORTENED.sub(lambda m: SHORTENED[m.group().lower()], question)
    return typo(question, frame) if frame in ("swap", "drop") else frame.format(q=question, Q=question.upper())


# The other languages' questions (dev-multilingual.yaml) with a greeting or thanks of their own,
# or a typo.
GREETINGS = {"de": ("Hallo, ", " Danke!"), "es": ("Hola, ", " ¡Gracias!"), "zh": ("你好，", "谢谢！"),
             "ja": ("こんにちは、", "ありがとう！")}
REQUESTS = {"de": "Kannst du mir sagen, ", "es": "Dime, ", "zh": "请告诉我，", "ja": "教えてください。"}
OTHER_FRAMES = {
    "plain": lambda q, lang: q,
    "greeting first": lambda q, lang: GREETINGS[lang][0] + q,
    "thanks after": lambda q, lang: q + GREETINGS[lang][1],
    "a request first": lambda q, lang: REQUESTS[lang] + q,
    # a typo in a word of Latin letters (a German or Spanish word, or a name in any language)
    "letters swapped": lambda q, lang: typo(q, "swap"),
    "a letter left out": lambda q, lang: typo(q, "drop"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_frames", description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="folder of the labelled questions")
    parser.add_argument("--frames", nargs="+", choices=list(FRAMES), default=list(FRAMES),
                        help="the English frames to ask in (default: all)")
    args = parser.parse_args(argv)
    index = Index.from_dir(ROOT / "corpus")
    items = load_items(args.eval / "dev.yaml", args.eval / "dev-large.yaml", args.eval / "dev-multilingual.yaml")
    fold = folds_of(items, 5)
    plain = analyses_of(index, items)
    blind = load_items(*BLIND_SETS)   # as the shipped models, the semantic ones learn from these too
    extra = (blind, analyses_of(index, blind))
    fitted = [fit_models(index, [i for i, f in zip(items, fold, strict=True) if f != k],
                         [a for a, f in zip(plain, fold, strict=True) if f != k], extra) for k in range(5)]

    def asked(wrap, english: bool) -> Tally:
        chosen = [n for n, i in enumerate(items) if (i["lang"] == "en") == english]
        report = EvalReport()
        analyses = analyses_of(index, [dict(items[n], question=wrap(items[n])) for n in chosen])
        for n, analysis in zip(chosen, analyses, strict=True):
            ranker, deciders = fitted[fold[n]]
            analysis = order(index, analysis, ranker)
            answered, p = decide(analysis, deciders)
            score(report, index, items[n], compose(index, analysis, answered, p, k=3))
        return report.total

    print(f"{'English: frame':<22} success@1  success@3  answerable declined  unanswerable declined")
    for name in args.frames:
        frame = FRAMES[name]
        line(name, asked(lambda i, frame=frame: framed(frame, i["question"]), True))
    print(f"{'Other languages: frame':<22} success@1  success@3  answerable declined  unanswerable declined")
    for name, wrap in OTHER_FRAMES.items():
        line(name, asked(lambda i, wrap=wrap: wrap(i["question"], i["lang"]), False))
    return 0


def line(name: str, t: Tally) -> None:
    print(f"{name:<22} {t.at1 / t.answerable:9.3f}  {t.at3 / t.answerable:9.3f}  "
          f"{t.declined_answerable:>10}/{t.answerable:<8}  {t.declined:>12}/{t.unanswerable}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
