"""Why a question was declined, in plain words, from the evidence that decided it."""
from __future__ import annotations

import re

from bot.answering.analysis import Analysis
from bot.answering.evidence import event_terms, is_person, missing_content
from bot.answering.questions import asks_a_voice
from bot.answering.source_scope import kind_words
from index.retrieval.protocol import Retriever
from index.text.cut import cut
from index.text.hanzi import as_typed
from index.text.tokenize import ENTITY_PREFIX
from index.text.unread import typed_runs

DECLINED = "Not in my sources"   # every reason starts so (a renderer may show it its own way)
NOTHING = f"{DECLINED}: nothing I have answers this."
NOTHING_READ = (f"{DECLINED}: I found no name or word of my sources in your question (they are "
                "in English: a name or an English word may help).")
# The reply to a message that only greets, thanks or asks for help (``chat_words.chat_only``).
CHAT_REPLY = ("I answer questions by quoting my sources word for word: ask me about a person, a place, "
              "an event, a film or a date in them.")
WELCOME = "You're welcome!"   # before it, to a message that thanks
_THANKS = re.compile(r"\b(?:thanks?|thx|ty|tysm|danke|dank|gracias|merci)\b|谢|謝|ありがと", re.IGNORECASE)
# The reply to a request to write something, play a role or set the sources aside (``requests``).
BEYOND_QUOTING = (f"{DECLINED}: I only quote them word for word. I don't write jokes, poems or stories, "
                  "give opinions of my own, play a role, repeat what I'm told, ping anyone, or set my sources aside.")
NUMBERLESS = f"{DECLINED}: no passage I have gives that number."
SHOWN_CHARS = 80   # a reason quotes at most this much of the question ("xxxx…" × 5,000 is not shown whole)


def _words(retriever: Retriever, text: str, terms: set[str]) -> str:
    """The question's own words for ``terms``, as the person typed them."""
    return _shown([text[t.start:t.end] for t in retriever.analyzer.tokens_with_spans(text) if t.term in terms])


def _shown(words) -> str:
    """Words of the question as a reason quotes them: each once, at most SHOWN_CHARS."""
    return cut(" ".join(dict.fromkeys(words)), SHOWN_CHARS)


def _name(retriever: Retriever, term: str) -> str:
    entity_id = term[len(ENTITY_PREFIX):]
    return next((e.name for e in retriever.corpus.entities if e.id == entity_id), entity_id)


def _voice_terms(retriever: Retriever, analysis: Analysis) -> set[str]:
    """The terms of the words saying whose view a question asks, when it asks a voice of the
    sources (their readers, a source's author)."""
    if not analysis.evidence.shape.voice:
        return set()
    text = analysis.retrieval.query.text
    return {t.term for t in retriever.analyzer.tokens_with_spans(text) if asks_a_voice(text[t.start:t.end])}


def decline_reason(retriever: Retriever, analysis: Analysis) -> str:
    if analysis.beyond:   # a request to write, play a role, ping or set the sources aside
        return BEYOND_QUOTING
    query, ev = analysis.retrieval.query, analysis.evidence
    # Of the words the question asks about (its evidence's: not those saying what kind of answer it
    # wants, "year" of "what year", "long" of "how long"), "the blog" names a source, even though no
    # passage says "blog": not a word they never mention; nor are "readers" and "think" of a
    # question asking what the sources' readers think
    pointers = kind_words(retriever, set(query.terms)) | _voice_terms(retriever, analysis)
    unknown = {t for t in ev.weights if retriever.document_frequency(t) == 0
               and not t.startswith(ENTITY_PREFIX) and t not in pointers}
    if unknown and analysis.english:
        return f"{DECLINED}: they never mention “{_words(retriever, query.text, unknown)}”."
    if not analysis.english and not query.terms:
        return NOTHING_READ
    top = analysis.ranked[0] if analysis.ranked else None
    if not analysis.english and query.unread_words:
        unread = typed_runs([as_typed(word, analysis.question) for word in query.unread_words], analysis.question)
        return (f"{DECLINED}: nothing I have answers this, and I could not read “{_shown(unread)}” "
                "(my sources are in English: an English word may help).")
    if top is None or not analysis.english:
        return NOTHING
    if analysis.values and analysis.values["undated_for_when"]:   # as the decision measured it
        return f"{DECLINED}: I have no dated passage about that."
    missing = set(missing_content(top, ev))
    named = [t for t in ev.names if t in top.matched]
    names = " and ".join(_name(retriever, t) for t in named[:2])
    if analysis.values and analysis.values["uncast_for_who_plays"]:   # whom it asks about: the people named
        people = " and ".join(_name(retriever, t) for t in ev.names if is_person(retriever, t))
        return f"{DECLINED}: no cast list I have says who plays {people or 'that'}."
    if analysis.values and analysis.values["unnumbered_for_quantity"]:   # "how many", and no number in the passage
        return f"{DECLINED}: they mention {names}, but give no number for that." if named else NUMBERLESS
    if analysis.values and analysis.values["eventless_for_when"] and named:
        event = set(event_terms(ev))
        return f"{DECLINED}: they mention {names}, but date nothing of “{_words(retriever, query.text, event)}”."
    if analysis.values and analysis.values["others_asked"] and named:   # "what other films has X made"
        return f"{DECLINED}: they mention {names}, but nothing I have tells of other works."
    if missing and named:
        return (f"{DECLINED}: they mention {names}, but nothing I have says "
                f"“{_words(retriever, query.text, missing)}” about that.")
    if named:   # every word found: declined on what it asks (the question prior), not on a word
        return f"{DECLINED}: they mention {names}, but nothing I have answers this."
    return NOTHING


def chat_reply(message: str) -> list[str]:
    """The reply to a message that only greets, thanks or asks for help: what the bot does,
    after a "you're welcome" to thanks."""
    return [WELCOME, CHAT_REPLY] if _THANKS.search(message) else [CHAT_REPLY]
