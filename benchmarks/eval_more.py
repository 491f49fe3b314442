""""Tell me more" after a question about each name of the corpus: how many answers have a next
page, how many of its quotes name what was asked, how many pages until "That is all", and that no
quote is shown twice. In English ("tell me about X", then "tell me more") and German ("Erzähl mir
etwas über X", then "Erzähl mir mehr"). Prints figures; asserts nothing. None of these questions
is labelled or fitted on: the shipped decision model answers them.

    python -m benchmarks.eval_more [--corpus DIR]
"""
from __future__ import annotations

from benchmarks.eval_who_was import names, shipped_index
from bot.conversation import ConversationMemory, answer_in
from index.engine import Index

TURNS = (("tell me about {}", "tell me more"), ("Erzähl mir etwas über {}", "Erzähl mir mehr"))
MAX_PAGES = 10


def follow(index: Index, entity, first: str, more: str) -> tuple[bool, list[int], int, int]:
    """(the first question answered, the quotes of each further page, quotes shown twice, further
    quotes naming the entity)."""
    memory = ConversationMemory()
    answer, _ = answer_in(memory, "k", index, first.format(entity.name))
    answered, seen = answer.answered, [q.text for q in answer.quotes]
    pages, naming = [], 0
    for _ in range(MAX_PAGES):
        answer, _ = answer_in(memory, "k", index, more)
        if not answer.answered:
            break
        pages.append(len(answer.quotes))
        naming += sum(names(q.text, entity) for q in answer.quotes)
        seen += [q.text for q in answer.quotes]
    return answered, pages, len(seen) - len(set(seen)), naming


def main(argv: list[str] | None = None) -> None:
    index = shipped_index(__doc__, argv)
    entities = index.corpus.entities
    print(f"{len(entities)} names of the corpus; the shipped decision model")
    for first, more in TURNS:
        answered = with_more = further = naming = twice = 0
        pages = []
        for entity in entities:
            ok, shown, repeated, named = follow(index, entity, first, more)
            answered += ok
            with_more += bool(shown)
            further += sum(shown)
            naming += named
            twice += repeated
            pages.append(len(shown))
        print(f"{first!r} then {more!r}: first answered {answered}/{len(entities)}, a next page for {with_more}; "
              f"{further} further quotes, {naming} naming what was asked; pages of more per name: mean "
              f"{sum(pages) / len(pages):.1f}, max {max(pages)}; quotes shown twice: {twice}")


if __name__ == "__main__":
    main()
