"""The words of chat and requests around a question, and the messages that are chat alone.

A message that only greets, thanks or asks for help ("hi bot!", "thanks!", "help?") is not a
question; nor is one that only asks about the bot itself ("who are you?", "what can you do?",
"Wer bist du?", "你是谁？"): each gets the reply that says what the bot does, not a search of its
few words ("what do you know?" quoted three blog comments for "know"). ``reading`` cuts the
request words before a question ("can you tell me who ...") with the same lists.
"""
from __future__ import annotations

import re

from bot.answering.language import cjk_run
from index.text.synonyms import LIGHT_WORDS
from index.text.tokenize import fold_word
from index.text.unread import QUESTION_WORDS
from index.text.wordlists import CHAT_WORDS, STOPWORDS

# Words that go with a greeting or thanks in a message of nothing else ("danke schön", "muchas
# gracias", "vielen Dank"): never cut from a question, where they may be content.
_CHAT_COMPANIONS = frozenset("""
schön schoen vielen herzlichen sehr
muchas mil
""".split())
# A greeting of two words, neither of them a greeting alone ("morning" may be what is asked).
_GREETING = re.compile(r"\b(?:good|guten|buenos|buenas)\s+(?:morning|afternoon|evening|night|day|"
                       r"morgen|tag|abend|días|dias|tardes|noches)\b", re.I)
# Words that frame a request before the question word ("do you know who ...", "quick question:
# when ...", "can you explain why ..."): cut only there, since inside a question they may be
# what it asks ("did Rabe ask Hitler for help"). In German and Spanish too ("kurze Frage, wer ...",
# "una pregunta rápida: ¿quién ..."), up to their question words.
REQUEST_WORDS = frozenset("""
know knows explain understand question quick answer ask asking want wanted need remind clarify help idea
anyone anybody someone somebody everyone guys folks
wait btw tbh ngl imo honestly seriously actually random
kurze frage eine una pregunta rápida rapida duda
kannst könntest könnten können du mir uns sagen erklären weißt weisst wisst wissen möchte möchten gern gerne ich
me te puedes puede podrías podrias podría podria decir dime sabes sabe saber quisiera quiero gustaría gustaria
explicar explícame explicame
""".split())   # with discourse markers before the question ("wait why ...", "btw who ...")
# A request to be told about something ("tell me about Rabe", "give me a summary of the film",
# "Erzähl mir etwas über Rabe", "Háblame de Rabe"): its words of telling or knowing, the words that
# lead to the topic, and the other words of such a request the stopword lists lack ("something",
# "etwas", "algo").
TELLING_WORDS = frozenset("""
tell telling told know learn hear explain talk say share teach info information details
give summary overview synopsis rundown recap have got heard fill
erzähl erzähle erzählen erzahl erzahle erzahlen weißt weisst wissen sag sage sagen
háblame hablame hablar cuéntame cuentame dime sabes saber contar
""".split())
# Interjections, however long people draw them out ("hmmm", "ummm", "hahaha", "lol", "lmao").
_INTERJECTION = re.compile(r"h+m+|u+m+|u+h+|e+r+m+|a+h+|o+h+|(?:ha)+h?|(?:he){2,}|(?:lo)+l|lmf?a+o+|rofl|xd|wow", re.I)
# The bot spoken to ("who are you", "wer bist du", "¿quién eres?") and what a question about it
# asks besides the stopwords ("what can you do", "how do you work", "was kannst du machen")
_YOU = frozenset("you your yours yourself u ur du dich dir dein deine tú tu te ti usted eres puedes sabes".split())
_ABOUT_YOU = frozenset("do work works made built think name bist machen tun funktionierst heißt heisst eres hacer "
                       "funcionas llamas".split())
_CJK_ABOUT_YOU = re.compile(r"^(?:(?:你|您)(?:是谁|是誰|是什么|是什麼|能做什么|能做什麼|会什么|會什麼|能干什么"
                            r"|能幹什麼|叫什么|叫什麼)|(?:あなた|君|きみ)(?:は|って)(?:誰|だれ|何|なに)|何ができ)")
_WORD = re.compile(r"[^\W\d_][\w'’]*")


def chat_only(text: str) -> bool:
    """Whether a message (as ``readable`` gives it) only greets, thanks or asks for help ("hi
    bot!", "thanks!", "help?", "good morning"): chat words, request words and stopwords, at least
    one of them a chat word or "help"; or only asks about the bot (``about_the_bot``)."""
    words = [folded(w) for w in _WORD.findall(_GREETING.sub(" hello ", text))]
    return ((any(is_chat_word(w) or w == "help" for w in words)
             and all(is_filler(w) or w in REQUEST_WORDS or w in _CHAT_COMPANIONS for w in words))
            or about_the_bot(text, words))


def about_the_bot(text: str, words: list[str]) -> bool:
    """A message that speaks to the bot ("you") and says nothing else but stopwords, request
    words and what it asks of the bot ("who are you?", "what do you know?", "how do you work?");
    in Chinese and Japanese, "你是谁", "あなたは誰", "何ができますか"."""
    if (run := cjk_run(text)) is not None:
        return _CJK_ABOUT_YOU.match(run) is not None
    return (any(w in _YOU for w in words)
            and all(is_filler(w) or w in REQUEST_WORDS or w in _YOU or w in _ABOUT_YOU or fold_word(w) in QUESTION_WORDS
                    for w in words))


def is_chat_word(word: str) -> bool:
    return word in CHAT_WORDS or _INTERJECTION.fullmatch(word) is not None


def is_filler(word: str) -> bool:
    return word in STOPWORDS or word in LIGHT_WORDS or is_chat_word(word)


def folded(word: str) -> str:
    """A word as the stopword lists hold it: lower case, no contraction ("I'm" -> "i")."""
    return word.casefold().replace("’", "'").split("'")[0]
