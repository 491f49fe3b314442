"""A request to be told about something, as people ask a bot: "tell me about X", "what do you know
about X", "can you tell me more about X", in English, German, Spanish, Chinese and Japanese, for
every name of the corpus (people, characters, films, places, events, organisations) as the corpus
writes it. Prints, per frame, how many are declined and how many are answered with a first quote
that names what was asked; asserts nothing.

None of these questions is labelled or fitted on: the shipped decision model answers them. The
labelled questions' only "tell me ..." requests ask for jokes, and read whole, "tell me about
John Rabe" was declined (``reading._topic_asked`` reads it as "John Rabe").

    python -m benchmarks.eval_topics [--corpus DIR]
"""
from __future__ import annotations

from benchmarks.eval_who_was import asked, shipped_index

FRAMES = ("{}?", "tell me about {}", "can you tell me more about {}", "what do you know about {}",
          "I want to know about {}", "Erzähl mir etwas über {}", "Was weißt du über {}?", "Háblame de {}",
          "¿Qué sabes de {}?", "告诉我关于{}的事", "{}について教えて")


def main(argv: list[str] | None = None) -> None:
    index = shipped_index(__doc__, argv)
    entities = index.corpus.entities
    print(f"{len(entities)} names of the corpus; the shipped decision model")
    for frame in FRAMES:
        declined, named = asked(index, frame, entities)
        print(f"{frame!r}: declined {len(declined)}/{len(entities)}, first quote names it {named}/{len(entities)}"
              + (f"; declined: {', '.join(declined)}" if declined else ""))


if __name__ == "__main__":
    main()
