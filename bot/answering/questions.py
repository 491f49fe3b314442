"""What kind of answer a question wants, read from its wording (no Discord, no index).

"when ..." wants a dated passage; "how many/big ..." a number; "who is X" a passage that
describes X ("John Rabe, a Nazi businessman"); "who plays X" its cast entry ("Kadokawa Masao
(Nakaizumi Hideo)"); "which
commenter ..." a reader comment; "what is the X ..." is about X.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

# "When", a year asked for, or (below) a day or how long ago: a date is wanted.
_WHEN = re.compile(r"^\W*(when|(?:(?:on|in|at|by|during|around)\s+)?(?:what|which) (year|date|day|month|time)"
                   r"|(?:the\s+)?year\s+of)\b"
                   # or left in place at the end: "it happened when exactly?", "... in what year"
                   r"|.*\b(when|what year|which year)(\s+exactly)?\W*$", re.I)
# A day asked for, not a year or a month: "what day did ...", "on what date", "tokyo trials dates".
_DAY = re.compile(r"\b(?:what|which)\s+(?:day|date)\b|\bexact\s+date\b|\bdates?\W*$|^\W*(?:the\s+)?dates?\s+of\b"
                  r"|\ban\s+welchem\s+tag\b|\bwelches\s+datum\b|\bqu[ée]\s+(?:d[íi]a|fecha)\b"
                  r"|哪天|哪一天|几号|幾號|几月几日|何日(?!間)", re.I)
# Both ends of a period asked ("from when to when", "start to finish", "begin and end"): a date
# of one of them says half (the Tokyo Trials' "May 3, 1946 – Nov 12, 1948", not "November 1948").
_SPAN = re.compile(r"\bwhen\s+(?:to|till|until)\s+when\b"
                   r"|\b(?:start|begin|began|begun|open)\w*\s+(?:to|and|till|until|&)\s+(?:finish|end|close)\w*\b"
                   r"|\bvon\s+wann\s+bis\s+wann\b|\bdesde\s+cu[áa]ndo\s+hasta\s+cu[áa]ndo\b"
                   r"|从什么时候到什么时候|从何时到何时|いつからいつまで", re.I)
# "How long ago" asks for a date or for a time before the text's own ("71 years ago").
_AGO_ASKED = re.compile(r"^\W*how long ago\b|\bwie lange\b.*\bher\W*$|\bhace cu[áa]nto(?: tiempo)?\b"
                        r"|多久以前|多少年前|几年前|幾年前|何年前", re.I)
_QUANTITY = re.compile(r"^\W*how (big|large|many|much|long|far|old|wide|tall|high)\b", re.I)
# A size asked by its word ("safety zone size", "Größe") asks for a number too. Not "area", which
# is as often a place ("the area around Nanking").
_SIZE = re.compile(r"\b(?:size|gr(?:ö|oe|o)(?:ß|ss)e|fl(?:ä|ae|a)che|tama[ñn]o|superficie)\b"
                   r"|面积|面積|大小|広さ|大きさ", re.I)
# A film's length is counted in minutes: "runtime" wants "160 minutes", not "seventy years ago".
_RUNTIME = re.compile(r"\b(?:run\s?time|running time|laufzeit|spieldauer)\b|片长|片長|上映時間", re.I)
# "How long" asks for a length of time (or of a film); "how long ago" for a date. So does a word
# for a length of time ("runtime of the film?", "duration", "时长").
_DURATION = re.compile(r"^\W*how long\b|^\W*wie lange\b|^\W*cu[áa]nto tiempo\b|多久|多长|多長"
                       r"|どのくらいの期間|どれくらいの期間|何年間|何日間|何週間|何時間"
                       rf"|\b(?:duration|length|dauer|duraci[óo]n)\b|时长|時長|{_RUNTIME.pattern}", re.I)
_UNIT = re.compile(r"^\W*how (?:many|much)\s+([^\W\d_][\w'’-]*)", re.I)
# Asking about the cast: who plays a character, or which character an actor plays. Acting itself
# (a performer asked for), or only a role: "what was Matsui's role" asks what a real person did.
_PERFORMER = re.compile(r"\b(plays|played|portrays|portrayed|starred|starring|acts|acted|actor|actress"
                        # ... and in the other languages the glossary reads
                        r"|spielt|spielte|gespielt|darsteller|darstellerin|schauspieler|schauspielerin"
                        r"|interpreta|interpretó|interpreto|actriz)\b"
                        r"|扮演|饰演|飾演|演员|演員|出演|演じ|俳優|女優|キャスト"
                        # "小豆子是谁演的", "刘烨演的是谁": acting, where 导演 is a director
                        r"|谁演|誰演|(?<![导導])演(?:的|过|過|了)", re.I)
_ROLE = re.compile(r"\b(?:role|character|rolle|papel)\b", re.I)
# A moment of a film's story: "who do they protect in the film", "at the end of the movie" (the
# reading has corrected "moive"); not "what is the film about", which asks about the film itself.
_STORY = re.compile(r"\b(?:in|during|throughout|at the end of|by the end of) the (?:film|movie)\b"
                    # ... and in the other languages the glossary reads ("im Film", "映画で")
                    r"|\b(?:im|in dem|am ende des) (?:film|spielfilm)s?\b|\ben (?:la|esta) (?:película|peli)\b"
                    r"|\ben el (?:filme|film)\b|(?:电影|電影|片子)(?:里|裡|中)|片中|映画(?:で|の中で|では|の中)", re.I)
# "What is the film about" in those languages asks about the film itself, "in the film" or not.
_ABOUT_THE_FILM = re.compile(r"worum geht|um was geht|de qu[ée] (?:trata|va)|讲的是什么|講的是什麼|讲什么|是关于什么"
                             r"|どんな話|何の話", re.I)
# "who is X" asks what X is ("X, a Nazi businessman"); "who does X love", "who directed X" ask for
# someone else, whom no description of X names.
_IDENTITY = re.compile(r"^\W*who(?:'s|’s|s\b|(?:\s+(?:exactly|really|actually|even|tf|the\s+hell|the\s+heck"
                       r"|on\s+earth))?\s+(?:is|was|are|were)\b|\s+[^\W\d_]+\W*$)", re.I)
_FOCUS = re.compile(r"^\W*what(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|a\s+|an\s+)?([\w-]+)", re.I)
# The same question words in the other languages the glossary reads: German and Spanish ask
# first; Chinese and Japanese may ask anywhere ("南京什么时候沦陷", "ラーベは誰").
_WHEN_OTHER = re.compile(r"^\W*(wann|seit wann|in welchem jahr|an welchem tag|cuándo|cuando|en qué año|qué día)\b"
                         r"|什么时候|啥时候|几时|幾時|何时|哪一年|哪年|哪天|几月|いつ|何年|何月|何日", re.I)
_QUANTITY_OTHER = re.compile(r"^\W*(wie (viele|viel|lange|groß|gross|hoch|alt|weit)|cuántos|cuántas|cuánto|cuánta"
                             r"|cuantos|cuantas|cuanto)\b|多少|多久|多长|多大|多高|几个|何人|何分|どのくらい|どれくらい|いくつ",
                             re.I)
_IDENTITY_OTHER = re.compile(r"^\W*wer\s+(?:(?:genau|eigentlich|denn)\s+)?(?:ist|war|sind|waren)\b"
                             r"|^\W*qui[ée]n(?:es)?\s+(?:es|era|fue|son|eran|fueron)\b|是谁|是誰|誰", re.I)
# Asking what someone is by rank or trade ("what rank is kadokawa", "what was rabe's job") asks
# for a description as "who is" does: "Superior Private (later Sergeant) Kadokawa Masao (...)".
# Not "occupation": here it is the army's.
_STANDING = re.compile(r"\b(?:rank|job|profession|dienstgrad|beruf|rango|profesi[óo]n|oficio)\b"
                       r"|军衔|軍銜|职业|職業|階級", re.I)
_COMMENTS = re.compile(r"\b(commenter|commenters|commentator|comments?|readers?"
                       # ... and in the other languages the glossary reads
                       r"|kommentar(?:e|en|s)?|kommentator(?:in|en)?|leser(?:in|innen)?"
                       r"|comentarios?|comentaristas?|lectores?|lectoras?)\b"
                       r"|评论|評論|留言|读者|讀者|网友|網友|コメント|コメ欄|読者", re.I)
# Asking what a source's own author says or thinks ("does the blog author agree", "what does the
# blogger think", "博主认同吗"): the source's own text, not what it quotes or its readers wrote.
_AUTHOR = re.compile(r"\b(?:authors?|bloggers?|writers?|who (?:wrote|writes)"
                     r"|autor(?:in|a|es)?|verfasser(?:in)?|blogger(?:in)?|bloguer[oa]s?)\b"
                     r"|博主|作者|笔者|筆者|ブログ主|ブロガー|書いた人|執筆者", re.I)
# The English words that say whose voice and that a view is asked, not what about: "author" and
# "think" are in no passage that answers "what does the blog author think about X".
AUTHOR_WORDS = ("author", "authors", "blogger", "bloggers", "writer", "writers", "wrote", "writes",
                "think", "thinks", "agree", "agrees", "believe",
                "believes", "opinion", "opinions", "view", "views", "feel", "feels", "stance")


def asks_a_voice(word: str) -> bool:
    """Does the word say whose voice or view a question asks for ("readers", "author", "think")?"""
    return word.casefold() in AUTHOR_WORDS or bool(_COMMENTS.fullmatch(word))


def quantity_word(question: str) -> str | None:
    """The word that says which quantity a "how ..." question asks ("long" of "how long is the
    film"): what kind of answer is wanted, not what it is about."""
    match = _QUANTITY.match(question)
    return match.group(1) if match else None


# Words that name what a "when" question wants, not what it is about ("when did the trials start").
SLOT_WORDS = ("year", "date", "day", "month", "time", "start", "begin", "end", "finish", "occur", "place")


def _words(*words: str) -> str:
    """An alternation of ``words`` grouped by their first letter ("t(?:wo|en)"), in their order."""
    first: dict[str, list[str]] = {}
    for word in words:
        first.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in first.items())


def _gate(words: tuple[str, ...], also: str) -> str:
    """A lookahead for the characters a match can start with: ``also`` and the words' first letters."""
    return f"(?=[{also}{''.join(dict.fromkeys(w[0] for w in words))}])"


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
                 "million")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
# Answer shapes, searched in passage text: a number (digits or a word, group 1), a year (group 1)
# or a month (group 2). Each sits behind a one-character gate and lists its words by first
# letter, so the regex engine rejects most positions on one character: a search of a passage
# holding none took 19-78 µs as a plain alternation of words, and a "how many" question makes
# about sixty (10 µs each now; tests hold the matches equal to the plain patterns').
NUMBER = re.compile(_gate(_NUMBER_WORDS, r"\d") +
                    rf"(?:(?<![\d,])\d{{1,3}}(?:,\d{{3}})*(?![\d,])|\b({_words(*_NUMBER_WORDS)})\b)", re.I)
DATED = re.compile(_gate(_MONTHS, "12") +
                   rf"(?:\b(1[89]\d\d|20\d\d)\b|\b({_words(*_MONTHS)})\b)", re.I)
# A date of a day: "December 13th", "Nov 12", "13 December 1937".
_MONTH_NAMES = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
                r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
DAY_DATED = re.compile(rf"\b{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
                       rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}(?!\w)", re.I)
_TIME_UNITS = ("minute", "hour", "day", "week", "month", "year", "decade")
# A length of time: a number of a unit of time, "six weeks", "160 minutes", "a two-year stay";
# or since when, which says how long ("a presence in mainland Asia since 1931").
DURATION = re.compile(rf"(?:{NUMBER.pattern})[\s-]+(?:[\w’'-]+\s+)?(?:{'|'.join(_TIME_UNITS)})s?\b"
                      r"|\bsince\s+(?:1[89]\d\d|20\d\d)\b", re.I)
# A time before the text's own: "71 years ago", "more than seventy years ago" answers "how long
# ago" as a date does (not "when": "in December 1937" says when, "71 years ago" only how long before).
AGO = re.compile(rf"(?:{NUMBER.pattern})[\s-]+(?:[\w’'-]+\s+)?(?:{'|'.join(_TIME_UNITS)})s?\s+ago\b", re.I)
# Right after a name: an actor in brackets, "Xiaodouzi (Liu Bin)", or an apposition,
# "John Rabe, a Nazi businessman".
CAST = re.compile(r"\s*\((?=[A-Z])[^()]{2,60}\)")
# "X, a Nazi businessman", or a role of something without an article: "X, commander of ...",
# Asking for a person's other works ("what other films has X made", "what else has he been in"):
# the sources are about their films, not the rest of a career. Not other people ("who else was in
# the Safety Zone": the sources name several), nor "other" inside what is asked about ("why did
# Rabe and the other foreigners stay").
_OTHERS = re.compile(r"\b(?:what|which|any)\s+other\s+(?:films?|movies?|documentar(?:y|ies)|works?|roles?)\b"
                     r"|^\W*what\s+else\s+(?:has|have)\b.*\b(?:been\s+in|made|directed|produced|starred|acted)\b"
                     r"|\b(?:andere[nmsr]?|weitere[nmsr]?)\s+(?:filme?|dokumentarfilme?|werke?|rollen?)\b"
                     r"|\botr[oa]s?\s+(?:pel[íi]culas?|pelis?|documentales|documental|obras?|filmes?|papel(?:es)?)\b"
                     r"|(?:其他|其它|别的|別的)(?:的)?(?:电影|電影|影片|作品|纪录片|紀錄片|片子)"
                     # "还拍过哪些…": what else has X filmed, directed, acted in (not "还做过什么", done)
                     r"|[还還](?:拍|演|导演?|導演?|执导|執導|主演|出演|制作|製作|监制|監製)[过過](?:哪些|什[么麼]|[别別]的|其[他它])"
                     r"|(?:他|ほか)(?:の|にどんな|に何の)(?:映画|作品|ドキュメンタリー)", re.I)
# "X, one of the ..." (not "X, because of ...", "X, most of ...").
APPOSITION = re.compile(r",\s+(?:(a|an|the|his|her)\s|(?!(?:because|instead|most|some|all|many|none|each|both|"
                        r"out|part|ahead|regardless|few|several|much|any)\s)[a-z]+\s+of\s)", re.I)


@dataclass(frozen=True)
class QuestionShape:
    when: bool = False
    ago: bool = False              # "how long ago": a date, or a time before the text's ("71 years ago")
    day: bool = False              # "what day": a date of a day, not of a year or a month
    span: bool = False             # "from when to when": a period's two ends
    quantity: bool = False
    duration: bool = False         # "how long": a length of time
    cast: bool = False             # "who plays X", "what character does Y play"
    performer: bool = False        # a cast question that asks of acting, not only of a role
    identity: bool = False         # "who is X"
    comments: bool = False
    # what a source's own author says ("does the blog author agree"); kept only when the question
    # points at a source (``evidence.question_evidence``)
    author: bool = False
    story: bool = False            # "... in the film": what happens in a film's story
    focus: str | None = None       # the X of "what is the X"
    unit: str | None = None        # the X of "how many X"
    others: bool = False           # "what other films has X made": a career, not the sources' films

    @property
    def voice(self) -> bool:
        """Does it ask what a voice of the sources says: their readers, a source's author?"""
        return self.comments or self.author

    def wanted(self, unit_stem: str | None = None) -> tuple[Shape, ...]:
        """What a passage or quote should hold besides the question's words, best first."""
        if self.quantity:
            return ((counted(unit_stem),) if unit_stem else (DURATION,) if self.duration else ()) + (NUMBER,)
        return self.descriptions

    @property
    def descriptions(self) -> tuple[re.Pattern, ...]:
        """What should follow the name the question asks about, best first: "who is" prefers
        "X, a ..." and settles for "X (Actor)"; "who plays" wants the cast entry."""
        return (CAST,) if self.cast else (APPOSITION, CAST) if self.identity else ()


class Counted:
    """A number counting the unit: "20,000 cases of rape", "one hundred women". Searched only
    where the unit occurs: the pattern alone tries every number of a long passage (milliseconds
    a question); the unit, a literal, is found or ruled out in microseconds."""

    def __init__(self, unit_stem: str):
        self.unit = re.compile(re.escape(unit_stem), re.I)
        self.pattern = re.compile(rf"(?:{NUMBER.pattern})(?:\W+[\w’'-]+){{0,3}}?\W+{re.escape(unit_stem)}", re.I)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.pattern.search(text, pos, endpos) if self.unit.search(text, pos, endpos) else None


Shape = re.Pattern | Counted   # what ``QuestionShape.wanted`` returns: things with ``search``


@lru_cache(maxsize=256)
def counted(unit_stem: str) -> Counted:
    return Counted(unit_stem)


def classify(question: str) -> QuestionShape:
    """The shape of a question as read (``reading.read_question``: a greeting or request before the
    question word is gone, so the patterns can start at the question word)."""
    focus = _FOCUS.match(question)
    unit = _UNIT.match(question)
    # each pattern searched once: several flags read the same one
    ago, day, span = (bool(p.search(question)) for p in (_AGO_ASKED, _DAY, _SPAN))
    lasting, performer, comments = (bool(p.search(question)) for p in (_DURATION, _PERFORMER, _COMMENTS))
    cast = performer or bool(_ROLE.search(question))
    return QuestionShape(
        when=bool(_WHEN.match(question) or _WHEN_OTHER.search(question)) or ago or day or span,
        ago=ago,
        day=day,
        span=span,
        quantity=bool(_QUANTITY.match(question) or _QUANTITY_OTHER.search(question) or _SIZE.search(question))
        or lasting,
        duration=lasting and not ago,
        cast=cast,
        performer=performer,
        identity=bool(_IDENTITY.match(question) or _IDENTITY_OTHER.search(question) or _STANDING.search(question))
        and not cast,
        comments=comments,
        author=bool(_AUTHOR.search(question)) and not comments,
        story=bool(_STORY.search(question)) and not _ABOUT_THE_FILM.search(question),
        focus=focus.group(1) if focus else None,
        unit="minutes" if _RUNTIME.search(question) else unit.group(1) if unit else None,
        others=bool(_OTHERS.search(question)),
    )


# The rest of a name the alias did not cover ("Sergeant Kadokawa| Masao (Nakaizumi Hideo)").
_NAME_TAIL = re.compile(r"(?:\s+[A-Z][\w'’-]*){0,2}")


def describes(text: str, name_spans: list[tuple[int, int]], description: re.Pattern) -> bool:
    """Does a mention of the name come with a description ("X (Actor)", "X, a ...")? For a cast
    entry the name may also be the actor in the brackets: "Ida Osamu (Kohata Ryu)"."""
    for start, end in name_spans:
        if description.match(text, _NAME_TAIL.match(text, end).end()) or description.match(text, end):
            return True
        if description is CAST and text[:start].rstrip().endswith("(") and text[end:].lstrip().startswith(")"):
            return True
    return False
