"""Chat shorthand read as the words it stands for: "what yr", "how many ppl", "can u", "300k".

People type to a bot as they text. A shorthand word is no typo the speller can mend ("ppl" is
three edits from "people"), and left as it is it changes what the question asks: "what yr" is a
"when" question only once it reads "what year", and "300k" matches no "300,000". Only whole
words in lower case, as people type them: "U.S.", "Yr" in a title and "ur-text" are left alone.
General chat English, never words of the sources' topics; none that is a word of the other
languages the bot reads (Spanish "y" is "and", German "wen" is "whom": neither is read here).
"""
from __future__ import annotations

import re

SHORTHAND = {
    "u": "you", "ur": "your", "r": "are", "b4": "before", "abt": "about",
    "bc": "because", "cuz": "because", "coz": "because", "tho": "though", "thru": "through",
    "w/": "with", "w/o": "without", "wat": "what", "wut": "what",
    "ppl": "people", "govt": "government", "yr": "year", "yrs": "years", "hr": "hour", "hrs": "hours",
    "min": "minutes", "mins": "minutes", "wk": "week", "wks": "weeks", "approx": "approximately",
    "info": "information", "pic": "picture", "pics": "pictures", "bday": "birthday",
    "doc": "documentary", "docs": "documentaries", "docu": "documentary",
}
# A whole lower-case word: not inside another word, a hyphenated one ("ur-text") or an initial
# ("U.S.", "R. Wilson": capitals are never read here anyway).
_WORD = re.compile(r"(?<![\w'’./-])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True))
                   + r")(?![\w'’/-]|\.\w)")
# Abbreviations written in capitals as often as not ("POWs", "pows").
ABBREVIATIONS = {"pow": "prisoner of war", "pows": "prisoners of war"}
_ABBREVIATION = re.compile(r"(?<![\w'’./-])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
                           + r")(?![\w'’/-]|\.\w)", re.I)
_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3})k\b")   # "300k" -> "300,000"; not "1.5k"
_ACCORDING = re.compile(r"(?<![\w'’./-])acc\.? to\b")   # "acc to the blog"; "acc" alone is no word
# A film's "post-credits scene" plays after its end credits, as the sources word it ("does not have
# end credit scenes"); read as typed, its "post" made the question one about the blog post. Written
# apart after a word that makes "post" a noun, only before "scene" ("the post credits Mizushima").
_POST_CREDITS = re.compile(r"(?<![\w-])(?:(\w+)\s+)?post(-?)\s*credits?(?!\w)(?=(-?\s*(?:scene|szene|escena))?)",
                           re.I)
_NOUN_BEFORE = frozenset("the a this that blog his her their my your whose".split())


def expand(text: str) -> str:
    text = _WORD.sub(lambda m: SHORTHAND[m.group(1)], text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], text)
    text = _ACCORDING.sub("according to", text)
    text = _POST_CREDITS.sub(_end_credits, text)
    return _THOUSANDS.sub(r"\1,000", text)


def _end_credits(m: re.Match) -> str:
    before, hyphen, scene = m.groups()
    if before and before.lower() in _NOUN_BEFORE and not hyphen and scene is None:
        return m.group()
    return f"{before} end credits" if before else "end credits"
