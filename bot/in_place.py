"""The name a follow-up's pronoun points to, put in the pronoun's place for the search: "what
did he write to Hitler?" is searched as "what did John Rabe write to Hitler?", as the labelled
questions are asked (after the question, "what did he write to Hitler? John Rabe", it read like
none of them). Grammar of the languages the bot reads, not tuned to questions."""
from __future__ import annotations

import re

from bot.referring import CJK_FIND, PREPOSITIONS, WORD, Reference, as_simplified

# Pronouns a name cannot stand in place of: German and Spanish possessives and Spanish clitics
# ("seine Frau", "¿cuándo lo condenaron?"); the name is searched beside the question instead
_NOT_IN_PLACE = frozenset({"seine", "seinen", "seinem", "seiner", "seines", "ihr", "ihre", "ihren", "ihrem", "ihrer",
                           "ihres", "lo", "le", "les", "su", "sus", "dorthin"})
_POSSESSIVE = frozenset({"his", "its", "their", "theirs", "hers"})   # English: the name takes "'s"
_THERE = {"there": "in", "dort": "in", "allí": "en", "allá": "en", "ahí": "en"}   # "there": "in Nanking"
# after an English "her" that is the object ("who played her in the film?"), not a possessive
_AFTER_AN_OBJECT = PREPOSITIONS | {"in", "into", "and", "or", "as", "when", "after", "before", "during", "then"}
_NEXT_WORD = re.compile(r"\s?([^\W\d_]+)")   # the word right after another
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")   # a display name's "(2007 film)"


def in_place_of(question: str, ref: Reference, name: str, lang: str) -> str | None:
    """``question`` with ``name`` in place of its referring pronoun ``ref`` ("what did he write
    to Hitler?" -> "what did John Rabe write to Hitler?"), read as the question asked with the
    name; None for a referring noun ("the film" says what is asked of a film, which a name alone
    does not) and where a name cannot stand: a subject left out (``left_out``, at the question's
    end), a German or Spanish possessive or clitic."""
    if ref.noun:
        return None
    name = _QUALIFIER.sub("", name)   # "Nanking (2007 film)" as a question says it
    if lang == "cjk":
        m = CJK_FIND.match(as_simplified(question), ref.at)
        return question[:ref.at] + name + question[m.end():] if m else None
    m = WORD.match(question, ref.at)
    if m is None:
        return None
    word, start, end = m.group().casefold().replace("’", "'"), m.start(), m.end()
    if word in _NOT_IN_PLACE:
        return None
    if word in _POSSESSIVE or word == "her" and _possessive_her(question, end):
        return f"{question[:start]}{name}'s{question[end:]}"
    if word in _THERE:
        return f"{question[:start]}{_THERE[word]} {name}{question[end:]}"
    return question[:start] + name + question[end:]


def _possessive_her(question: str, end: int) -> bool:
    """Is the English "her" ending at ``end`` a possessive ("what was her job?"): a word follows
    it that does not open a phrase of its own ("who played her in the film?")."""
    after = _NEXT_WORD.match(question, end)
    return after is not None and after.group(1).casefold() not in _AFTER_AN_OBJECT
