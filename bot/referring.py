"""Referring words of a question, in the languages the bot reads: the pronouns and nouns ("he",
"the film", "er", "la película", "他", "この映画") that may point back to what a conversation was
about. Grammar, not tuned to questions.

Each ``Reference`` gives the kinds of entity it may point to, its offset, whether it is a noun
such as "the film", and for "she" or "he" the gender it asks for. German pronouns follow
grammatical gender ("der Film" is "er"), so they may point to anything, as Spanish "lo", "su" do;
"they" and its kin point to people or bodies. Chinese and
Japanese have no spaces: their words are found as substrings, longest first ("彼女" before "彼",
and "其他", "other", is not "他").
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from bot.answering.language import language_of, mostly_cjk
from index.corpus.model import PEOPLE
from index.text.hanzi import in_traditional_chinese, simplified

# A documentary is a film ("the film" may point to one), but a feature film is no documentary:
# "how long is the documentary?" after City of Life and Death is not about it
DOCUMENTARY = frozenset({"documentary"})
FILM = frozenset({"film"}) | DOCUMENTARY
THINGS = FILM | {"place", "organisation", "event"}
PLACES = frozenset({"place", "event"})   # where something happens: "there", "dort", "そこ"
BODIES = PEOPLE | {"organisation"}
DROPS_SUBJECTS = ("es", "cjk")   # languages that leave out a subject understood


class Reference(NamedTuple):
    kinds: frozenset[str] | None   # the kinds of entity it may point to (None: any)
    at: int                        # its offset in the question
    noun: bool                     # a noun such as "the film", not a pronoun
    gender: str | None = None      # "she": female, "he": male (None: either)


# Pronouns that say whom they mean: "she" is never a man in the sources
_GENDER = {**dict.fromkeys(("she", "her", "hers", "herself", "ella", "她", "彼女"), "female"),
           **dict.fromkeys(("he", "him", "his", "himself", "él", "他", "彼"), "male")}

_PRONOUNS: dict[str, dict[str, frozenset[str] | None]] = {
    "en": {**dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), PEOPLE),
           **dict.fromkeys(("it", "its", "itself"), THINGS),
           **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), BODIES)},
    # "sein" is as often "to be": left out
    "de": {**dict.fromkeys(("er", "ihn", "ihm", "seine", "seinen", "seinem", "seiner", "seines", "sie",
                            "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres"), None),
           "es": THINGS},
    # "la", "los", "las" are articles as often as pronouns: left out
    "es": {**dict.fromkeys(("él", "ella"), PEOPLE), **dict.fromkeys(("ellos", "ellas"), BODIES),
           **dict.fromkeys(("lo", "le", "les", "su", "sus"), None)},
}
# Only when the question names nothing itself ("what happened there?"). A place word points at a
# place or an event; never at a person or a body ("who was John Rabe?" then "how many were killed
# there?" is about Nanking, not Rabe nor the Nazi Party his answer names).
_DEICTIC = {"en": {"this": None, "that": None, "there": PLACES},
            "de": {**dict.fromkeys(("dort", "dorthin"), PLACES), **dict.fromkeys(("darin", "damals", "dabei", "dies"))},
            "es": {**dict.fromkeys(("allí", "allá", "ahí"), PLACES), **dict.fromkeys(("esto", "eso"))}}
# "there" of "there were", "were there any", "how many ... were there": it points at nothing
_BE = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had"})
_NOUNS = {"en": {"film": FILM, "movie": FILM, "documentary": DOCUMENTARY, "city": frozenset({"place"})},
          "de": {"film": FILM, "dokumentarfilm": DOCUMENTARY, "dokumentation": DOCUMENTARY, "doku": DOCUMENTARY,
                 "stadt": frozenset({"place"})},
          "es": {"película": FILM, "film": FILM, "filme": FILM, "documental": DOCUMENTARY,
                 "ciudad": frozenset({"place"})}}
_DETERMINERS = {"en": frozenset({"the", "this", "that"}),
                "de": frozenset({"der", "die", "das", "dem", "den", "des", "dieser", "diese", "dieses", "diesem",
                                 "diesen"}),
                "es": frozenset({"el", "la", "este", "esta", "ese", "esa", "aquel", "aquella"})}
_CJK_PLACE_WORDS = ("那里", "那儿", "这里", "そこ", "あそこ")   # only when the question names nothing
_CJK_WORDS: dict[str, tuple[frozenset[str] | None, bool]] = {   # (kinds, a noun)
    **dict.fromkeys(("他们", "彼ら"), (BODIES, False)),
    **dict.fromkeys(("她们", "他", "她", "彼女", "彼"), (PEOPLE, False)),
    **dict.fromkeys(("它们", "它", "それ"), (THINGS, False)),
    **dict.fromkeys(("这部电影", "这部影片", "这部片子", "这部片", "该片", "此片", "この映画", "その映画",
                     "あの映画", "この作品", "その作品"), (FILM, True)),
    **dict.fromkeys(("这部纪录片", "このドキュメンタリー", "そのドキュメンタリー"), (DOCUMENTARY, True)),
    **dict.fromkeys(_CJK_PLACE_WORDS, (PLACES, False)),
}
CJK_FIND = re.compile("|".join(
    ("(?<!其)他" if w == "他" else re.escape(w)) for w in sorted(_CJK_WORDS, key=len, reverse=True)))
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def as_simplified(question: str) -> str:
    """Chinese typed in traditional characters read as its simplified form, one character for
    one (offsets hold); any other text as it is."""
    return simplified(question) if in_traditional_chinese(question) else question


def language(question: str) -> str:
    """"cjk", or which of "en", "de", "es" most of the question's words belong to (English when
    none votes)."""
    if mostly_cjk(question):
        return "cjk"
    votes = {"en": 0, "de": 0, "es": 0}
    for m in WORD.finditer(question):
        lang = language_of(m.group().casefold())
        if lang in votes:
            votes[lang] += 1
    return max(votes, key=lambda lang: (votes[lang], lang == "en"))


# A question opening as a continuation of the one before ("and the director?", "what about the
# runtime?", "und der Regisseur?"): what it leaves out is understood, as in the languages that drop
# a subject (Spanish "¿y ...?" is one of them)
_CONTINUATION = {"en": re.compile(r"\s*(?:(?:and\s+)?(?:what|how)\s+about|and)\b", re.IGNORECASE),
                 "de": re.compile(r"\s*(?:(?:und\s+)?was\s+ist\s+mit|und)\b", re.IGNORECASE)}


# What only a film has ("and the director?", "¿y el reparto?", "監督は？"): a question that leaves
# out whose it asks is about the conversation's film, not the person named last
_FILM_PARTS = {
    "en": frozenset("director directors producer producers cast actor actors actress actresses screenplay "
                    "screenwriter runtime soundtrack composer trailer premiere budget plot subtitles imdb "
                    "metascore".split()),
    "de": frozenset("regisseur regisseurin regie produzent produzentin besetzung schauspieler schauspielerin "
                    "darsteller darstellerin drehbuch laufzeit spieldauer filmmusik handlung trailer premiere "
                    "budget untertitel imdb metascore".split()),
    "es": frozenset("director directora productor productora reparto elenco actor actores actriz actrices guion "
                    "guión guionista duración trama argumento estreno tráiler presupuesto subtítulos imdb "
                    "metascore".split()),
}
_CJK_FILM_PARTS = re.compile("导演|導演|監督|制片|製片|演员|演員|主演|出演|片长|片長|上映|剧情|劇情|配乐|配樂|编剧|編劇"
                             "|キャスト|俳優|脚本|プロデューサー|あらすじ|字幕|imdb", re.IGNORECASE)


def left_out(question: str, lang: str) -> Reference:
    """What a question that names nothing leaves out (its subject, or all but what it asks of it:
    "and the director?"), as a reference at its end: a film when it asks what only a film has."""
    if lang == "cjk":
        film = _CJK_FILM_PARTS.search(question) is not None
    else:
        film = any(m.group().casefold() in _FILM_PARTS.get(lang, ()) for m in WORD.finditer(question))
    return Reference(FILM if film else None, len(question), False)


def continues(question: str, lang: str) -> bool:
    """Does ``question`` (in ``lang``, its ``language``) open as a continuation of the last one?"""
    return lang in _CONTINUATION and _CONTINUATION[lang].match(question) is not None


def references(question: str, names_nothing: bool, lang: str | None = None) -> list[Reference]:
    """The referring words of ``question``, in order; ``names_nothing``: the question names no
    entity itself (only then do "this", "there" refer); ``lang``: its ``language`` if known."""
    lang = lang or language(question)
    if lang == "cjk":
        out = []
        # Chinese typed in traditional characters ("這部電影") is read as its simplified form, one
        # character for one (the offsets hold)
        for m in CJK_FIND.finditer(as_simplified(question)):
            word = m.group()
            if names_nothing or word not in _CJK_PLACE_WORDS:
                kinds, noun = _CJK_WORDS[word]
                out.append(Reference(kinds, m.start(), noun, _GENDER.get(word)))
        return out
    pronouns, nouns, determiners = _PRONOUNS[lang], _NOUNS[lang], _DETERMINERS[lang]
    words = [(m.group().casefold().replace("’", "'"), m.start()) for m in WORD.finditer(question)]
    out: list[Reference] = []
    for i, (word, at) in enumerate(words):
        if word in pronouns and not _not_a_pronoun(question, words, i, names_nothing):
            out.append(Reference(pronouns[word], at, False, _GENDER.get(word) if lang != "de" else None))
        elif word in nouns and i and words[i - 1][0] in determiners:
            out.append(Reference(nouns[word], at, True))
        elif lang == "de" and names_nothing and _stands_for_a_noun(question, words, i):
            out.append(Reference(None, at, False))
        elif word in _DEICTIC[lang] and names_nothing and not _existential(words, i):
            out.append(Reference(_DEICTIC[lang][word], at, False))
    return out


# German articles that also stand for a noun said before ("Wie groß war die?": the zone)
_DEMONSTRATIVES = frozenset({"der", "die", "das", "den", "dem"})


def _stands_for_a_noun(question: str, words: list[tuple[str, int]], i: int) -> bool:
    """A German "der", "die", "den" ... with no noun after it: the question's last word, or
    followed by words in lower case alone ("Wer hat den gedreht?", not "Wer war der erste
    Kommentator?") in a question whose first word is capitalised (German capitalises every noun;
    typed all in lower case, any word may be one). Not after a comma: "die Lehrerin, die im Film
    stirbt" relates to the noun before it."""
    word, at = words[i]
    if word not in _DEMONSTRATIVES or question[:at].rstrip().endswith(","):
        return False
    if i + 1 == len(words):
        return True
    first = next((start for _, start in words if not _mention(question, start)), at)
    return question[first].isupper() and not any(question[start].isupper() for _, start in words[i + 1:])


def _mention(question: str, at: int) -> bool:
    """Is the word at ``at`` a mention ("@everyone"): whom the message is for, not a word of it?"""
    return at > 0 and question[at - 1] == "@"


def _existential(words: list[tuple[str, int]], i: int) -> bool:
    """English "there" that says something exists: "there were", "were there any ...", "how many
    rapes were there" (not "who was there": its subject is the question word)."""
    if words[i][0] != "there":
        return False
    after = words[i + 1][0] if i + 1 < len(words) else ""
    before = words[i - 1][0] if i else ""
    return after in _BE or (before in _BE and (i == 1 or words[0][0] == "how"))


# German "es geht um", "es gibt" ("it is about", "there is"), in either order
_IMPERSONAL = frozenset({"geht", "ging", "gibt", "gab"})


def _not_a_pronoun(question: str, words: list[tuple[str, int]], i: int, names_nothing: bool) -> bool:
    """Spanish "lo que" is "what"; German "Sie" inside a sentence is the polite "you"; German "es"
    of "worum geht es in X", "gibt es in X ..." is the construction's, whose topic a question that
    names something itself names ("es" is a pronoun in German only)."""
    word, at = words[i]
    following = words[i + 1][0] if i + 1 < len(words) else ""
    preceding = words[i - 1][0] if i else ""
    return ((word == "lo" and following == "que")
            or (word == "sie" and question[at] == "S" and i > 0
                and not question[:at].rstrip().endswith((".", "?", "!")))
            or (word == "es" and not names_nothing and bool({preceding, following} & _IMPERSONAL)))


# A person's pronoun as an English question's first noun phrase ("when did she die?", "how old
# was he?", "and his wife?"): it can only point outside the question. "They" is left out: it is
# as often the sources' people in general ("why did they leave?"). "It" points at a thing ("when
# did it happen?"); "its" is left out ("its director?" says what it asks).
PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
_OPENING_PRONOUNS = PERSONAL | {"it"}
_OPENING = frozenset({"who", "whom", "whose", "what", "when", "where", "why", "how", "which", "did", "does",
                      "do", "was", "is", "were", "are", "has", "have", "had", "can", "could", "would", "will",
                      "should", "and", "so", "but", "then", "old", "long", "many", "much", "what's", "who's"})


# between a question's verb and its object pronoun ("what happened to him?")
PREPOSITIONS = frozenset({"to", "about", "with", "for", "of", "at", "by", "from", "on"})


def opening_pronoun(question: str) -> tuple[str, int] | None:
    """The person's pronoun (or "it") an English question opens with, before any word of its own
    subject, or as the object of its verb ("who played her?", "what happened to him?"): (the
    pronoun as typed, its offset)."""
    after_verb = False   # past the question's first word of its own (its verb)
    for m in WORD.finditer(question):
        if _mention(question, m.start()):
            continue   # "@everyone what did she do"
        word = m.group().casefold().replace("’", "'")
        if word in _OPENING_PRONOUNS:
            return m.group(), m.start()
        if not after_verb:
            after_verb = word not in _OPENING
        elif word not in PREPOSITIONS:
            return None
    return None


_BEFORE_A_TITLE = re.compile(r"[\s\"'“”„«»‘’]*")   # "the film “X”": spaces and quotation marks


def titled(question: str, ref: Reference, name_starts: Iterable[int]) -> bool:
    """Is the referring noun followed by a name it classifies ("the documentary Nanking", "the
    film “City of Life and Death”")? Then it says what that name is, and points at nothing."""
    word = WORD.match(question, ref.at) if ref.noun else None
    return word is not None and _BEFORE_A_TITLE.match(question, word.end()).end() in set(name_starts)


def without_referring_nouns(question: str) -> str:
    """The question with its referring nouns blanked ("the film" of "who played her in the film?"):
    they say what is asked about no more than a pronoun does."""
    for ref in references(question, names_nothing=True):
        if ref.noun:
            end = WORD.match(question, ref.at).end()
            question = question[:ref.at] + " " * (end - ref.at) + question[end:]
    return question
