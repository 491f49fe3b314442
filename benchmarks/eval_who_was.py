"""The simplest question about a person, in five languages: "who was X?" for every person and
character of the corpus, asked in English, German, Spanish, Chinese and Japanese with the name as
the corpus writes it. Prints, per language, how many are declined and how many are answered with
a first quote that names the person; asserts nothing.

None of these questions is labelled or fitted on: the shipped decision model answers them. A
decision that weighs evidence against its meaning declines them (before ``lr.fit_signed``, 45 of
145: "Wer war John Rabe?" among them).

    python -m benchmarks.eval_who_was [--corpus DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.answering.answers import build_answer
from index.corpus.model import PEOPLE
from index.engine import Index

ROOT = Path(__file__).resolve().parents[1]
FRAMES = {"en": "who was {}?", "de": "Wer war {}?", "es": "¿Quién fue {}?", "zh": "{}是谁？", "ja": "{}とは誰ですか"}


def shipped_index(doc: str, argv: list[str] | None) -> Index:
    """The index of ``--corpus`` (the project's by default) with the semantic stage, answered by
    the shipped decision model: what these benchmarks ask, described by their ``doc``."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    return Index.from_dir(ap.parse_args(argv).corpus, semantic=True)


def main(argv: list[str] | None = None) -> None:
    index = shipped_index(__doc__, argv)
    people = [e for e in index.corpus.entities if e.kind in PEOPLE]
    print(f"{len(people)} people and characters; the shipped decision model")
    total = 0
    for lang, frame in FRAMES.items():
        declined, named = asked(index, frame, people)
        total += len(declined)
        print(f"{lang}: declined {len(declined)}/{len(people)}, first quote names the person "
              f"{named}/{len(people)}" + (f"; declined: {', '.join(declined)}" if declined else ""))
    print(f"all: declined {total}/{len(people) * len(FRAMES)}")


def asked(index: Index, frame: str, entities) -> tuple[list[str], int]:
    """``frame`` asked of each entity: the names of those declined, and how many answers' first
    quote names the entity asked about."""
    declined, named = [], 0
    for entity in entities:
        answer = build_answer(index, frame.format(entity.name))
        if not answer.answered:
            declined.append(entity.name)
        elif names(answer.quotes[0].text, entity):
            named += 1
    return declined, named


def names(text: str, entity) -> bool:
    """Does the text name the entity (a person or a thing), by a word of more than two letters of a name?"""
    words = {w.casefold() for name in (entity.name, *entity.aliases) for w in name.split() if len(w) > 2}
    return any(w in text.casefold() for w in words)


if __name__ == "__main__":
    main()
