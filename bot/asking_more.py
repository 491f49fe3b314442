"""A request for more of the last answer: "tell me more", "what else?", "go on", "Erzähl mir mehr",
"¿Algo más?", "还有吗？", "もっと教えて". A conversation answers it with the next quotes of the
question it last searched (``conversation.answer_more``); searched on its own, it has no word
to search ("tell me more" got "Your question has no words I can search for").

Recognised is a message made only of a request's words (asking, telling, politeness, "that",
"it") with a word of *more* among them ("more", "else", "continue", "next", "go on"). A message
that says what it wants more of ("tell me more about her", "what else did Rabe do?", "what
happened next?") is a question, read as one. Each language is checked on its own, so words of
two languages do not make a request ("did more die?": "die" is German, not English).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.answering.answers import Answer, build_answer, unanswered
from bot.answering.language import cjk_run
from bot.answering.quotes import about_entity
from bot.answering.reasons import SHOWN_CHARS
from index.dates.spans import DateSpan
from index.text.cut import cut

if TYPE_CHECKING:
    from index.engine import Index

MORE_OF_WHAT = ("More of what? Ask me a question first; then “tell me more” (in a DM, a thread, or a reply "
                "to my answer) shows the next quotes.")

# Words of a request for more, by language: (the words that say "more", the words around them)
_ENGLISH = (frozenset({"more", "else", "continue", "next", "further", "additional", "go", "carry", "keep"}),
            frozenset({"ok", "okay", "oh", "ah", "and", "so", "cool", "great", "nice", "interesting", "wow", "thanks",
                       "thank", "thx", "ty", "yes", "yeah", "yep", "sure", "please", "pls", "plz", "hmm", "alright",
                       "right", "good", "now", "then", "can", "could", "would", "will", "you", "tell", "show", "give",
                       "send", "say", "me", "us", "some", "a", "bit", "little", "lot", "any", "anything", "something",
                       "is", "are", "there", "what", "do", "does", "have", "has", "got", "i", "i'd", "want", "like",
                       "to", "know", "hear", "see", "about", "that", "this", "it", "on", "of", "the", "your", "they",
                       "sources", "quotes", "quote", "results", "info", "information", "details", "page", "going",
                       "bot", "much"}))
_GERMAN = (frozenset({"mehr", "weiter", "sonst", "noch", "nächste", "fortfahren", "fortsetzen"}),
           frozenset({"ok", "okay", "ja", "und", "danke", "bitte", "gut", "super", "toll", "interessant", "cool",
                      "erzähl", "erzähle", "erzählen", "sag", "sage", "sagen", "zeig", "zeige", "gib", "mir", "uns",
                      "kannst", "könntest", "du", "etwas", "was", "gibt", "es", "hast", "weißt", "darüber", "dazu",
                      "davon", "ein", "bisschen", "zitate", "ergebnisse", "infos", "informationen", "details",
                      "quellen", "die", "seite", "mach", "mache", "los"}))
_SPANISH = (frozenset({"más", "mas", "sigue", "siguiente", "continúa", "continua", "adelante"}),
            frozenset({"ok", "vale", "y", "gracias", "sí", "si", "por", "favor", "bien", "genial", "interesante",
                       "cuéntame", "cuentame", "dime", "dame", "muéstrame", "muestrame", "enséñame", "puedes",
                       "podrías", "podrias", "me", "nos", "algo", "un", "poco", "qué", "que", "hay", "tienes", "sabes",
                       "de", "eso", "esto", "sobre", "citas", "resultados", "información", "informacion", "detalles",
                       "fuentes", "las", "los", "la", "el", "página", "pagina", "tus"}))
_LANGUAGES = (_ENGLISH, _GERMAN, _SPANISH)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Chinese and Japanese, the whole message without its punctuation: "还有吗", "继续", "多告诉我一些",
# "再说说", "更多", "もっと教えて", "他には", "続けて", "続きは"
_CJK = re.compile(
    r"(?:好的?|嗯|谢谢|謝謝|请|請|那)*"
    r"(?:(?:还有|還有)(?:更多|别的|別的|其他的?|什么|什麼)?(?:吗|嗎|呢|吧|信息|资料|資料)*"
    r"|(?:继续|繼續)(?:说|說|讲|講)?(?:吧)?"
    r"|(?:再|多)(?:告诉|告訴|说|說|讲|講|给|給|说说|說說|讲讲|講講)(?:我|我们|我們)?(?:一些|一点|一點|点|點|些|吧|吗|嗎)*"
    r"|更多(?:的)?(?:吗|嗎|吧|呢)?"
    r"|(?:もっと|他に|ほかに|他には|ほかには|続き|つづき|続けて|つづけて)(?:は|を|も|詳しく|くわしく|何か|なにか)*"
    r"(?:教えて|聞かせて|話して|ある|あります|ありますか)?(?:ください|下さい|くれ|くれる|か|よ|ね|の)*)")


def asks_for_more(message: str) -> bool:
    """Whether ``message`` asks only for more of what the conversation was answering."""
    text = message.strip().casefold()
    if not text:
        return False
    if (run := cjk_run(text)) is not None:
        return _CJK.fullmatch(run) is not None
    words = [w.replace("’", "'") for w in _WORD.findall(text)]
    return bool(words) and any(
        any(w in more for w in words) and all(w in more or w in around for w in words) for more, around in _LANGUAGES)


@dataclass(frozen=True)
class Asked:
    """The last question a conversation searched: what a request for more continues (and a
    step along the timeline, ``timeline_steps``: the dates its answer quoted)."""
    question: str      # as asked
    search: str        # as searched (with the topic assumed)
    shown: int         # how many of its quotes have been shown
    answered: bool
    dates: tuple[DateSpan, ...] = ()   # the timeline entries its shown answer quoted (``quoted_dates``)
    step: str | None = None            # a step's direction: more of it is the next step
    film: str | None = None            # the film a follow-up was taken to be about: its quotes only


def answer_more(index: Index, request: str, last: Asked | None, k: int) -> Answer:
    """Up to ``k`` quotes of ``last`` after those shown: the same question searched again on the
    current snapshot, its further quotes kept (the ranking is the same, so the first ``shown``
    are those shown before) while they are about the question. When there are none, or
    nothing was asked, a reply that says so, not counted as a question the sources could not
    answer (``chat``)."""
    if last is None:
        return unanswered(index, request, [MORE_OF_WHAT], chat=True)
    asked = cut(last.question, SHOWN_CHARS)
    if not last.answered:
        return unanswered(index, request, [f"I had nothing on “{asked}”, so there is no more to show."], chat=True)
    full = build_answer(index, last.search, last.shown + k, first_page=last.shown)
    if last.film is not None:   # as its first page was shown (``conversation``): the film's quotes only
        full = replace(full, quotes=tuple(q for q in full.quotes if about_entity(index, last.film, q)))
    quotes = full.quotes[last.shown:]
    if not full.answered or not quotes:
        return unanswered(index, request, [f"That is all my sources have on “{asked}”. Ask me something else."],
                          chat=True)
    # the notes of the question (how it was read), and the context of the quotes shown now only
    left_out = {n for q in full.quotes[:last.shown] for n in q.context} - {n for q in quotes for n in q.context}
    return replace(full, question=request, quotes=quotes, notes=tuple(n for n in full.notes if n not in left_out))


def asked_after(last: Asked | None, question: str, search: str, answer: Answer, more: bool, page: int,
                dates: tuple[DateSpan, ...] = (), step: str | None = None, film: str | None = None) -> Asked | None:
    """What a request for more continues after this turn: the page moved on after more was
    shown, the same after a greeting or a reply with nothing to show, else this question.
    ``dates``: what the answer quoted of the timeline; ``step``: the answer was a step along it
    (more of it is the next step, from the dates it quoted); ``film``: the film it was taken to be
    about."""
    if answer.chat:
        return last
    if step is not None:
        return replace(last, dates=dates, step=step) if last else None
    if more:
        return replace(last, shown=last.shown + page) if last and answer.quotes else last
    return Asked(question, search, page, answer.answered, dates, film=film)
