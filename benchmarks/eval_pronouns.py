"""Follow-ups made from questions nobody tuned on. Each English question of the held-out sets
(``eval/heldout-*.yaml``) that names one person of known gender, or one film, becomes the second
turn of a conversation whose first turn names it ("who was John Rabe?", "what is City of Life and
Death?"), with the name replaced by what a follow-up says instead: "he", "him", "his" (she, her);
"the film", "the documentary". Prints success@1 of the follow-up (its question's evidence first;
declined, for an unanswerable one) with the conversation's memory; the same question alone (no
memory); and the question as written, with the name. Prints figures only: the held-out sets'
misses are never read (``eval/RESULTS.md``). The shipped models answer: none of these questions
is in their fits.

    python -m benchmarks.eval_pronouns [--corpus DIR]
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from bot.answering.answers import build_answer
from bot.conversation_eval import evaluate_conversations, hit
from bot.referring import language
from index.corpus.model import PEOPLE
from index.engine import Index
from index.text.tokenize import ENTITY_PREFIX

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = sorted((ROOT / "eval").glob("heldout-*.yaml"))
FILMS = {"film": "the film", "documentary": "the documentary"}
PRONOUNS = {"male": ("he", "him", "his"), "female": ("she", "her", "her")}
# a name after these is the subject of its clause ("did Rabe ...", "who was Rabe"), else an object
_SUBJECT_AFTER = frozenset("did does do was is were has had can could would will should when why how where what "
                           "who and".split())
_DETERMINERS = frozenset("the this that a an".split())
_POSSESSIVE = re.compile(r"['’]s\b")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def referring(question: str, start: int, end: int, entity) -> tuple[str, int, int] | None:
    """(the words that stand for the entity named at ``start:end``, and the span they replace,
    with a possessive "'s"), or None for an entity no follow-up would point to so."""
    before = _LAST_WORD.search(question, 0, start)
    if before is not None and before.group(1).casefold() in _DETERMINERS:
        return None   # "this nanking documentary", "the OJ Simpson comparison": a name as a modifier
    possessive = _POSSESSIVE.match(question, end) or _POSSESSIVE.match(question, max(start, end - 2))
    end = max(end, possessive.end()) if possessive else end
    if entity.kind in FILMS:
        return f"{FILMS[entity.kind]}'s" if possessive else FILMS[entity.kind], start, end
    if entity.kind not in PEOPLE or entity.gender not in PRONOUNS:
        return None
    subject, obj, poss = PRONOUNS[entity.gender]
    if possessive:
        return poss, start, end
    return (subject if before is None or before.group(1).casefold() in _SUBJECT_AFTER else obj), start, end


def conversations(index: Index) -> list[dict]:
    """A conversation for each held-out English question naming one person of known gender or one film."""
    by_id = index.corpus.entity_by_id
    items = []
    for path in HELD_OUT:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            question = item["question"]
            if item.get("lang", "en") != "en" or language(question) != "en":
                continue
            spans = [t for t in index.tokenizer.tokens_with_spans(question) if t.term.startswith(ENTITY_PREFIX)]
            named = {t.term[len(ENTITY_PREFIX):] for t in spans}
            if len(named) != 1 or (entity := by_id.get(next(iter(named)))) is None:
                continue
            replaced = [referring(question, t.start, t.end, entity) for t in spans]
            if any(r is None for r in replaced):
                continue
            follow = question
            for words, start, end in sorted(replaced, key=lambda r: -r[1]):
                follow = follow[:start] + words + follow[end:]
            first = f"who was {entity.name}?" if entity.kind in PEOPLE else f"what is {entity.name}?"
            items.append({**item, "id": item.get("id", question), "turns": [first], "question": follow,
                          "original": question})
    return items


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args(argv)
    index = Index.from_dir(args.corpus, semantic=True)
    items = conversations(index)
    answerable = sum(bool(i.get("answerable", True)) for i in items)
    report = evaluate_conversations(index, items)
    as_written = sum(hit(build_answer(index, i["original"]), i) for i in items)
    declined = report.unanswerable_declined
    print(f"{len(items)} follow-ups from the held-out English questions ({answerable} answerable)")
    print(f"success@1: with memory {report.with_memory}/{report.total}, alone {report.without_memory}/{report.total}, "
          f"the question as written {as_written}/{report.total}; topic assumed for {report.resolved}")
    print(f"with memory: answerable at rank 1 {report.with_memory - declined}/{answerable}, unanswerable declined "
          f"{declined}/{len(items) - answerable}")


if __name__ == "__main__":
    main()
