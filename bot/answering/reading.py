"""The question as the bot reads it, from the question as people type it to a bot.

People address a bot ("hey bot, can you tell me ..."), thank it ("... ?? thanks!"), mention
someone, add an emoji, write in capitals or paste the question in quotes. None of that says what
is asked, yet each moved the answers: the labelled English questions wrapped in such frames
(``python -m benchmarks.eval_frames``) lost 3 to 14 points of success@1 before this reading.

``readable`` takes away markup, symbols, shouting, wrapping quotes and repeated closing marks;
``question_proper`` the greeting or request before the question, the thanks after it and an
aside about the asker in a sentence of its own. Only at the edges: a chat word inside a
question ("hello" alone, "what did the bot ...") is left to the search, like any word.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from bot.answering.chat_words import REQUEST_WORDS, TELLING_WORDS, chat_only, folded, is_chat_word, is_filler
from bot.answering.requests import asks_beyond_quoting
from bot.answering.shorthand import expand
from index.text.hanzi import in_traditional_chinese, simplified
from index.text.tokenize import fold_word
from index.text.unread import QUESTION_WORDS as OTHER_QUESTION_WORDS
from index.text.wordlists import INTERROGATIVES, STOPWORDS

# Discord's markup: user, role and channel mentions, custom emoji, timestamps, command mentions.
_MARKUP = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|/[\w -]+:\d+)>")
# Discord's markdown around words: **bold**, *italics*, __underline__, _italics_, ~~strike~~,
# ||spoiler||, `code`, and a "> " quote block at the start of a line. Only at a word's edge:
# "snake_case" and "3*4" keep theirs.
_MARKDOWN = re.compile(r"(?<!\w)[*_~|`]+|[*_~|`]+(?!\w)|^\s*>>?>?\s", re.M)
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»", "„": "“", "「": "」", "『": "』"}
SHOUTING_LETTERS = 8      # fewer cased letters than this ("WWII", "UN") is not shouting
SHOUTING_SHARE = 0.8      # the share of them in capitals that is
# Closing punctuation: the embedding model reads "x?" and "x??" differently ("??" after each
# labelled question moved success@1 by 3 points), so a run of it counts as its first mark. Not
# dropped: "x" and "x?" read differently too, and dropping the mark cost 1 point of success@3.
_END = "?!.,;:…。？！¡¿"   # ¡¿: a Spanish opening mark left by the thanks after it
_FINAL = "?!.…。？！"

_WHAT = frozenset(("what", "whats"))
_TOPIC_WORDS = frozenset("about regarding concerning on of über uber von sobre acerca de".split())
_TOPIC_LEAD = frozenset("""
something anything everything bit little etwas mehr bitte algo más mas qué que tú tu nos por favor
""".split())
# The verbs of a request made as an imperative ("list the ...", "show me ...", "Nenne ...",
# "Muéstrame ..."), and who they ask it for: what follows them is what is asked.
_IMPERATIVES = frozenset("""
list name show describe summarize summarise outline define enumerate explain
nenne nenn zeig zeige beschreibe beschreib liste schildere erkläre erklär
enumera nombra muestra muéstrame muestrame descríbeme describeme resume resúmeme resumeme explica
""".split())
_FOR_WHOM = frozenset("me us mir uns".split())
_AUXILIARIES = frozenset("did does do is was were are can could would will has have had should".split())
_FIRST_PERSON = frozenset("i im ive id my me mine we our us".split())
_DETERMINERS = frozenset("the a an this that my your".split())   # "the bot" is what is asked about
_POINTING_BACK = frozenset("he she it they him her them his its their this that these those".split())
# A question that offers the other choice of the one before it ("... one film? or a series?").
_ALTERNATIVE = re.compile(r"\W*(?:(?:or|oder|o|ou)\b|还是|或者|それとも|または)", re.I)
_SENTENCE = re.compile(r"[^.!?。？！\n]+(?:[.!?。？！]+|\n|$)")
_WORD = re.compile(r"[^\W\d_][\w'’]*")


# Thanks "in advance" is thanks ("advance" is a word of the sources: the Japanese advance)
_IN_ADVANCE = re.compile(r"\b(thanks|thank you|thx|thnx|ty|danke|gracias)\s+(?:in advance|im voraus|de antemano|"
                         r"por adelantado)\b", re.I)
# The bot's own sources named as where to look ("according to your sources", "según tus fuentes"):
# all of them, so no source in particular ("according to the blog" points at one and stays)
_OWN_SOURCES = re.compile(r",?\s*\b(?:according to|based on|going by|from|in|per|using|laut|según|segun|en)\s+"
                          r"(?:your|ur|the|deinen|ihren|den|tus|sus|las)\s+(?:own\s+)?(?:sources|quellen|fuentes)\b,?",
                          re.I)


class Read(NamedTuple):
    text: str     # the question as the bot searches it
    chat: bool    # the message only greets, thanks or asks for help (``chat_only``)
    also: tuple[str, ...] = ()   # the message's other questions, each standing alone (``questions_in``)
    beyond: bool = False  # it asks to write, play a role, ping or set the sources aside (``requests``)
    # the question with the words of a request before its topic ("Háblame de" of "Háblame de Rabe"):
    # what the language vote reads, since the topic alone may be a name written alike in every language
    asked: str = ""


def read_message(question: str) -> Read:
    """What ``analyse`` reads: the message made readable once, then its (first) question, whether
    it is chat alone, and its other questions."""
    shown = readable(question)
    first, *others = questions_in(shown)
    return Read(question_proper(first), chat_only(shown), tuple(question_proper(q) for q in others),
                asks_beyond_quoting(shown), question_proper(first, topic=False))


def questions_in(text: str) -> list[str]:
    """The questions of a message that asks several, each standing alone ("when did Nanking
    fall? who was Rabe?"): searched together they found neither well. Otherwise the message as
    one: a question that leans on another ("who was Rabe? what did he do?"), or beside a sentence
    that is neither an aside about the asker nor chat."""
    sentences, words = _sentences(text)
    asking = [n for n, s in enumerate(sentences) if s.endswith(("?", "？"))]
    others = [n for n in range(len(sentences)) if n not in asking]
    if (len(asking) < 2 or any(_points_back(words[n]) or _ALTERNATIVE.match(sentences[n]) for n in asking)
            or not all(_FIRST_PERSON & set(words[n]) or chat_only(sentences[n]) for n in others)):
        return [text]
    return [sentences[n] for n in asking]


def read_question(question: str) -> str:
    """The question as the bot searches it."""
    return read_message(question).text


def readable(question: str) -> str:
    """``question`` without Discord markup, symbols (emoji) and repeated closing marks, in lower
    case when it is written in capitals, and out of the quotes it is wrapped in; "in advance"
    after thanks and the bot's own sources named as where to look are read away; Chinese in
    traditional characters written simplified (``index.text.hanzi``)."""
    text = _MARKDOWN.sub(" ", _MARKUP.sub(" ", question))
    text = _OWN_SOURCES.sub(" ", _IN_ADVANCE.sub(r"\1", text))
    text = " ".join("".join(" " if _is_symbol(c) else c for c in text).split())
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1] and text[0] not in text[1:-1]:
        text = text[1:-1].strip()
    text = _one_closing_mark(text)
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) >= SHOUTING_LETTERS and sum(c.isupper() for c in cased) >= SHOUTING_SHARE * len(cased):
        text = text.lower()   # the embedding model reads "WHO WAS JOHN RABE" worse than lower case
    if in_traditional_chinese(text):   # the glossary, question words and word lists are mostly simplified
        text = simplified(text)
    return expand(text)


def _one_closing_mark(text: str) -> str:
    """``text`` with the run of punctuation it ends with cut to its first mark that ends a
    sentence ("x?? " -> "x?", "x, " -> "x")."""
    body = text.rstrip(_END + " ")
    return body + next((c for c in text[len(body):] if c in _FINAL), "")


def _is_symbol(c: str) -> bool:
    """Emoji and other pictographs (Unicode's "other symbol" and "modifier symbol"), their
    variation selectors and joiners."""
    return unicodedata.category(c) in ("So", "Sk") or c in "\ufe0e\ufe0f\u200d"


def _question_sentences(text: str) -> str:
    """The question of a message that also tells about the asker ("I'm writing a school report
    on this. Who was John Rabe?" -> "Who was John Rabe?"): kept alone only when every other
    sentence is in the first person and the question stands on its own (a word to search, no
    "he", "that" pointing back: "I read that Rabe was a Nazi. Is that true?" stays whole). The
    question is the sentence worded as one, or else the one not about the asker ("I'm writing a
    report. vautrin")."""
    sentences, words = _sentences(text)
    if len(sentences) < 2:
        return text
    asking = [n for n, (s, ws) in enumerate(zip(sentences, words, strict=True))
              if s.endswith(("?", "？")) or (ws and (ws[0] in INTERROGATIVES or ws[0] in _AUXILIARIES))]
    if not asking:
        asking = [n for n, ws in enumerate(words) if not _FIRST_PERSON & set(ws)]
    told = [n for n in range(len(sentences)) if n not in asking]
    if not asking or not told or not all(_FIRST_PERSON & set(words[n]) for n in told):
        return text
    asked = [w for n in asking for w in words[n]]
    if _points_back(asked):
        return text
    return " ".join(sentences[n] for n in asking).rstrip(".")


def _sentences(text: str) -> tuple[list[str], list[list[str]]]:
    """The sentences of a message, and the words of each as the word lists hold them."""
    sentences = [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()]
    return sentences, [[folded(w) for w in _WORD.findall(s)] for s in sentences]


def _points_back(words: list[str]) -> bool:
    """Whether a question leans on what was said before it: it says nothing alone, or a pronoun
    comes before any word it could stand for ("is that true?", "what did he do?"; not "why do Lu
    and his men give up?")."""
    content = [n for n, w in enumerate(words) if not (is_filler(w) or w in REQUEST_WORDS or w in _POINTING_BACK
                                                      or w in INTERROGATIVES or w in _AUXILIARIES)]
    pronouns = [n for n, w in enumerate(words) if w in _POINTING_BACK]
    return not content or bool(pronouns) and pronouns[0] < content[0]


def question_proper(text: str, topic: bool = True) -> str:
    """``text`` without what comes before and after the question (an aside apart,
    ``_question_sentences``):
    - a request to be told about something, up to its topic ("hey bot, tell me about Rabe" ->
      "Rabe"; kept with ``topic`` False: ``_topic_asked``);
    - else a lead-in of stopwords, fillers and request words up to the question word ("hey bot,
      can you tell me when ..." -> "when ...", "do you know who ..." -> "who ..."), or else up to
      after its last chat word or colon ("hey bot, tell me a joke" -> "tell me a joke", "please
      answer this question: did ..." -> "did ..."), or up to after the verb of an imperative
      ("please list the members of ..." -> "the members of ...", "show me the plot" -> "the plot");
    - a closing run of them from its first chat word ("... thank you so much"), not one after
      "the" ("what did the bot say").
    A content word ends either run ("nanking when did it fall" is all question); nothing is
    cut that would leave nothing."""
    text = _question_sentences(text)
    words = [(m.start(), folded(m.group())) for m in _WORD.finditer(text)]
    topic_start = _topic_asked(words) if topic else None
    start, end = topic_start or 0, len(text)
    for n, (s, word) in enumerate(() if topic_start else words):   # a topic asked for: no lead-in to find
        if word in INTERROGATIVES or _leads_to_other_question_word(words, n):
            start = s
            break
        if word in _IMPERATIVES:   # "list the members of ...": the verb frames the request ...
            start = _after_imperative(words, n, start)
            continue               # ... unless a question word follows ("explain to me why ...")
        if not is_filler(word) and word not in REQUEST_WORDS:
            break
        if is_chat_word(word) and n + 1 < len(words):
            start = words[n + 1][0]
        if n + 1 < len(words) and ":" in text[s:words[n + 1][0]]:   # "please answer this question:"
            start = words[n + 1][0]
    for n in range(len(words) - 1, -1, -1):
        s, word = words[n]
        if not is_filler(word) or s < start:
            break
        if is_chat_word(word) and not (n and words[n - 1][1] in _DETERMINERS):   # "what did the bot say"
            end = s
    proper = _one_closing_mark(text[start:end])
    return proper if _WORD.search(proper) else text


def _after_imperative(words: list[tuple[int, str]], n: int, start: int) -> int:
    """Where what an imperative at word ``n`` asks for starts (after "me" or "us"); ``start``
    when it is a noun ("list of films", "name of ...") or nothing follows it."""
    rest = words[n + 1:]
    if rest and rest[0][1] in _FOR_WHOM:
        rest = rest[1:]
    return rest[0][0] if rest and rest[0][1] != "of" else start


def _topic_asked(words: list[tuple[int, str]]) -> int | None:
    """Where the topic starts of a request to be told about it ("tell me about Rabe", "what do
    you know about Rabe": "Rabe"): after a word leading to it, when every word before that one is
    of the request (a greeting, "what", "can you", "more") and one of them tells or knows. None for
    anything else: "do americans know about ...", "tell me a joke about ...", a telling by someone
    pointed at ("what did he say about ...") or a question about the knowing ("when did we learn
    about ...")."""
    telling = False
    for n, (_, word) in enumerate(words):
        if word in _TOPIC_WORDS and telling:   # the topic: after the words leading to it ("acerca de")
            return next((s for s, w in words[n + 1:] if w not in _TOPIC_WORDS), None)
        telling = telling or word in TELLING_WORDS
        if word in _POINTING_BACK or word in INTERROGATIVES and word not in _WHAT:   # "what did he say about"
            return None
        # stopwords, not light words: "do ppl in the us even know about ..." asks about people
        if not (word in TELLING_WORDS or word in STOPWORDS or is_chat_word(word) or word in REQUEST_WORDS
                or word in _TOPIC_LEAD):
            return None
    return None


def _leads_to_other_question_word(words: list[tuple[int, str]], n: int) -> bool:
    """Is word ``n`` a German or Spanish question word after a lead-in of request or chat words
    only ("kurze Frage, wer ...")? Not after other words ("An welchem Tag ..." is the question),
    nor an English word ("I was wondering")."""
    word = words[n][1]
    return (n > 0 and fold_word(word) in OTHER_QUESTION_WORDS and word not in STOPWORDS
            and all(w in REQUEST_WORDS or is_chat_word(w) for _, w in words[:n]))
