"""The entities' names as the tokenizer matches them: each name and alias as a phrase of folded
words, a person's own word of a longer name alone ("Minnie", "Masao"), the other spellings of a
place inside a longer name ("Tokio Trials" for "Tokyo Trials"), and the tables that say where a
name may start (``tokenize.Tokenizer``)."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from index.corpus.model import PEOPLE, Entity
from index.text.wordfreqs import everyday_anywhere

Phrase = Callable[[str], tuple[str, ...]]   # a text's folded words, as the tokenizer reads them


def alias_table(entities: Sequence[Entity], phrase: Phrase, written: Callable[[str], object] | None = None
                ) -> dict[tuple[str, ...], str]:
    """Alias phrase -> entity id, for every name and alias and their respellings (the first
    entity to claim a phrase keeps it). ``written``: only the names and aliases written so
    ("Nanking (2007)", with a bracket), with their respellings ("Nanjing (2007)")."""
    aliases: dict[tuple[str, ...], str] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            key = phrase(name)
            if key and (written is None or written(name)):
                aliases.setdefault(key, entity.id)
    own_words = _own_name_words(entities, phrase) if written is None else {}   # a name's word is written plainly
    for word, entity_id in own_words.items():
        aliases.setdefault((word,), entity_id)
    spellings = _spellings(entities, phrase)
    for key, entity_id in list(aliases.items()):
        for variant in _respelt(key, spellings):
            aliases.setdefault(variant, entity_id)
    someone_or_somewhere = {e.id for e in entities if e.kind in PEOPLE or e.kind == "place"}
    for key, entity_id in list(aliases.items()):
        if entity_id in someone_or_somewhere and _takes_an_s(key[-1]):
            aliases.setdefault((*key[:-1], key[-1] + "s"), entity_id)
    return aliases


MIN_NAME_WORD = 4   # "Kai", "Ryu", "Bin": too short to name one person alone


def _own_name_words(entities: Sequence[Entity], phrase: Phrase) -> dict[str, str]:
    """Each word of a person's or character's name of several words that names nobody else and
    is no everyday word: alone it names them, as people type a given name ("Minnie", "Masao",
    "Iwane") or a family name the entity does not list. "John" (Rabe and Paisley) and "Jiang"
    (three people) name no one alone."""
    owners: dict[str, set[str]] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            for word in phrase(name):
                owners.setdefault(word, set()).add(entity.id)
    out: dict[str, str] = {}
    for entity in entities:
        if entity.kind not in PEOPLE:
            continue
        for name in (entity.name, *entity.aliases):
            key = phrase(name)
            for word in key if len(key) > 1 else ():
                if (len(word) >= MIN_NAME_WORD and word.isalpha() and owners[word] == {entity.id}
                        and not everyday_anywhere(word)):
                    out.setdefault(word, entity.id)
    return out


# The kinds of entity whose name ends in a common noun that alone means it here: "the massacre"
# (the Nanking Massacre), "the war criminals" (Class A war criminals). Not a place's or an
# organisation's ("the times" is no newspaper, "the blog" not the Japan Visitor Blog).
HEADED_KINDS = frozenset({"event", "group"})


def name_heads(aliases: dict[tuple[str, ...], str], kinds: dict[str, str]) -> dict[str, set[str]]:
    """The last word of each name of several words of an event or a group (``aliases``, an
    ``alias_table``; ``kinds``: entity id -> kind), of four letters or more, in Latin letters and
    no one-word name itself -> the entities it ends a name of: a question's "massacre" also
    matches the passages that say "the Nanking Massacre", whose name is one term
    (``tokenize.Tokenizer``)."""
    out: dict[str, set[str]] = {}
    for key, entity_id in aliases.items():
        head = key[-1]
        if (len(key) > 1 and kinds[entity_id] in HEADED_KINDS and (head,) not in aliases
                and len(head) >= MIN_NAME_WORD and head.isascii() and head.isalpha()):
            out.setdefault(head, set()).add(entity_id)
    return out


def _takes_an_s(word: str) -> bool:
    """Whether a name's last word may be typed with an "s" and no apostrophe and still be the
    name: "Mizushimas Film", "Rabes Tagebuch" (German genitives), "mizushimas movie". Only a
    person's, a character's or a place's (a film's "Truths" is not its title), of four letters or
    more, not already ending in "s"."""
    return len(word) >= 4 and word.isalpha() and not word.endswith("s")


def _spellings(entities: Sequence[Entity], phrase: Phrase) -> dict[str, tuple[str, ...]]:
    """The other one-word spellings of each one-word name ("tokyo": "tokio"; "nanking":
    "nanjing", "nankin"), from the entities whose name is one word."""
    out: dict[str, tuple[str, ...]] = {}
    for entity in entities:
        name = phrase(entity.name)
        if len(name) == 1:
            others = {key[0] for a in entity.aliases if len(key := phrase(a)) == 1}
            out[name[0]] = tuple(sorted(others - {name[0]}))
    return out


MAX_RESPELT = 16   # variants of one alias phrase at most (a phrase of several place names)


def _respelt(key: tuple[str, ...], spellings: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A name of several words with a place in it written another way ("Tokio Trials" for the
    listed "Tokyo Trials"): people write the whole name as they write the place."""
    if len(key) < 2 or not any(spellings.get(w) for w in key):
        return []
    variants = [[w, *spellings.get(w, ())] for w in key]
    return list(itertools.islice((v for v in itertools.product(*variants) if v != key), MAX_RESPELT))


def lengths_by(aliases: dict[tuple[str, ...], str], first: int) -> dict:
    """The lengths of the alias phrases of ``first`` words or more, longest first, by their
    first ``first`` words (a word when ``first`` is 1)."""
    out: dict = {}
    for key in aliases:
        if len(key) >= first:
            out.setdefault(key[0] if first == 1 else key[:first], set()).add(len(key))
    return {k: tuple(sorted(ns, reverse=True)) for k, ns in out.items()}
