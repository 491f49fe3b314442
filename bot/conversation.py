"""Conversations that remember their topic (no Discord).

A conversation (a DM, a thread, or a chain of replies to the bot's answers) keeps, for a limited
time, the entities it has been about: the names in its questions, the topic it assumed and the
names in the top quote of its answers, most recent first. A follow-up question whose pronoun
("he", "it", "they", "this") points outside the question is resolved to the most recent entity
of a fitting kind: its name is put in the *search text*, in the pronoun's place ("what did John
Rabe write to Hitler?") or after the question (``in_place.in_place_of``); the question itself is
kept, so every quote stays verbatim and the answer can say which topic it assumed ("about John Rabe").

It also keeps the last question it searched and how many of its quotes were shown: a request
for more ("tell me more", "what else?") gets the next ones (``answer_more``).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.answering.answers import Answer, build_answer, unanswered
from bot.answering.quotes import about_entity
from bot.answering.reading import readable
from bot.answering.reasons import DECLINED, SHOWN_CHARS
from bot.answering.source_scope import source_scope
from bot.asking_more import Asked, answer_more, asked_after, asks_for_more
from bot.in_place import in_place_of
from bot.referring import (
    DROPS_SUBJECTS,
    FILM,
    PERSONAL,
    Reference,
    continues,
    language,
    left_out,
    opening_pronoun,
    references,
    titled,
    without_referring_nouns,
)
from bot.timeline_steps import answer_step, asks_for_step, quoted_dates
from index.corpus.model import Entity
from index.dates.spans import DateSpan
from index.text.cut import cut
from index.text.tokenize import ENTITY_PREFIX, Tokenizer

if TYPE_CHECKING:
    from index.engine import Index

CONVERSATION_SECONDS = 15 * 60.0   # a conversation forgets its topic after this long without a question
MAX_CONVERSATIONS = 10_000
MAX_ENTITIES = 12                  # remembered per conversation

@dataclass(frozen=True)
class Resolution:
    question: str                 # as asked
    search: str                   # what to search: the question, plus the assumed topic's name
    topic: Entity | None          # the entity assumed from the conversation, if any
    entities: tuple[str, ...]     # entity ids the question names itself
    # a person's pronoun nothing points to, as typed, and its offset ("she", 9 of "when did she die?")
    unresolved: tuple[str, int] | None = None
    more: bool = False            # a request for more ("tell me more") ...
    continues: Asked | None = None   # ... of this question (None: nothing asked before)
    step: str | None = None       # a step along the timeline from it ("what happened next?": ``timeline_steps``)


def question_entities(tokenizer: Tokenizer, text: str) -> list[tuple[str, int]]:
    """(entity id, character offset) of each name in ``text``, in order."""
    return [(t.term[len(ENTITY_PREFIX):], t.start) for t in tokenizer.tokens_with_spans(text)
            if t.term.startswith(ENTITY_PREFIX)]


def pointed_entities(index: Index, question: str) -> tuple[str, ...]:
    """What the sources a question points at ("according to the blog") are about, read as the
    answer reads the question (the "post" of "post credits scene" is no blog post)."""
    by_id = index.corpus.source_by_id
    return tuple(e for source_id in sorted(source_scope(index, readable(question))) for e in by_id[source_id].about)


def resolve(tokenizer: Tokenizer, entities: dict[str, Entity], question: str, remembered: Sequence[str],
            pointed: Sequence[str] = (), read: Callable[[str], str] | None = None,
            last: Asked | None = None) -> Resolution:
    """Resolve a follow-up against the conversation's remembered entities (most recent first).
    ``pointed``: what the source the question names is about (``pointed_entities``): "the film"
    of "what does the blog author think about the film?" is the blog's film. ``read``: the
    question with its names as the search reads them through a typo (``Index.names_as_read``:
    "Vautrn", "Xiao Jiang"), which the question names as its own too. ``last``: the question
    a request for more continues."""
    if last is not None and last.dates:   # its answer quoted a date: "what happened next?" goes on from it
        direction = asks_for_step(question) or (last.step if asks_for_more(question) else None)
        if direction is not None:
            return Resolution(question, question, None, (), continues=last, step=direction)
    if asks_for_more(question):
        return Resolution(question, last.search if last else question, None, (), more=True, continues=last)
    named = question_entities(tokenizer, question)
    spelt = read(question) if read else question
    as_read = [e for e, _ in question_entities(tokenizer, spelt)] if spelt != question else []
    own = tuple(dict.fromkeys([*(e for e, _ in named), *as_read]))
    lang = language(question)
    found = references(question, not own, lang)
    if (not found and not own and (lang in DROPS_SUBJECTS or continues(question, lang))
            and not any(c.isdigit() for c in question)):
        # Spanish, Chinese and Japanese leave out what is understood ("¿cuándo lo condenaron?" has
        # "lo"; "¿por qué se quedó?" has nothing), as an English or German one opening "and ..."
        # does ("and the director?"): a question that names nothing is a follow-up, unless a date
        # or number of its own anchors it ("¿qué pasó el 13 de diciembre?")
        found = [left_out(question, lang)]
    pointing = _pointing(entities, question, found, named, pointed, remembered, own)
    search, topic = question, None
    if pointing is not None:
        ref, topic = pointing
        # the name in place of the pronoun that points to it, read as the question asked with the
        # name; beside it where it cannot stand there (a referring noun, a subject left out, "lo")
        search = in_place_of(question, ref, topic.name, lang) or f"{question} {topic.name}"
    unresolved = opening_pronoun(question) if topic is None and not own else None
    return Resolution(question, search, topic, own, unresolved)


def _pointing(entities: dict[str, Entity], question: str, found: list[Reference], named: list[tuple[str, int]],
              pointed: Sequence[str], remembered: Sequence[str], own: tuple[str, ...]
              ) -> tuple[Reference, Entity] | None:
    """The first referring word of ``found`` that points outside the question, with the most
    recent remembered entity of a fitting kind it points to (None: none does)."""
    for ref in found:
        if any(_fits(entities[e], ref) for e, start in named if start < ref.at and e in entities):
            continue  # the pronoun points back to a name earlier in the question
        if titled(question, ref, (start for _, start in named)):
            continue  # "the documentary Nanking": the noun says what the name after it is
        if ref.noun and any(_fits(entities[e], ref) for e in pointed if e in entities):
            continue  # "the film" of the source the question names
        topic = next((entities[e] for e in remembered if e in entities and e not in own
                      and _fits(entities[e], ref)), None)
        if topic is not None:
            return ref, topic
    return None


def _fits(entity: Entity, ref: Reference) -> bool:
    """Can the referring word mean the entity: its kind, and for "she" or "he" its gender (an
    entity of no known gender may be either)?"""
    return ((ref.kinds is None or entity.kind in ref.kinds)
            and (ref.gender is None or entity.gender in (None, ref.gender)))


def answer_resolved(index: Index, resolution: Resolution, k: int = 3, first_page: int | None = None) -> Answer:
    """The answer to a resolved question (to a request for more: ``answer_more``). A question
    that opens with a pronoun nobody is named for and says little else ("when did she die?": one
    word to search) gets a question back ("Who do you mean by “she”?"), replied like a greeting:
    not counted as a question the sources could not answer, nothing to vote on. One that says
    more is searched as asked: "why does she refuse to cut her hair?" describes whom it means;
    "who played her in the film?" does not ("the film" is no more said than "her" is).
    ``first_page``: quotes after that many only while about the question (``compose``)."""
    if resolution.step is not None:
        return answer_step(index, resolution.question, resolution.continues, resolution.step, k)
    if resolution.more:
        return answer_more(index, resolution.question, resolution.continues, k)
    if resolution.unresolved is None or _says_more(index, resolution.question):
        return _about_the_topic(index, resolution, build_answer(index, resolution.search, k, first_page=first_page))
    question, (pronoun, at) = resolution.question, resolution.unresolved
    asked = f"{question[:at]}…{question[at + len(pronoun):]}"
    who, what = ("Who", "the name") if pronoun.casefold() in PERSONAL else ("What", "what you mean")
    note = f"{who} do you mean by “{pronoun}”? Ask again with {what}: “{cut(asked, SHOWN_CHARS)}”"
    return unanswered(index, question, [note], chat=True)


def _about_the_topic(index: Index, resolution: Resolution, answer: Answer) -> Answer:
    """The answer's quotes about the film the conversation assumed: a quote that neither names
    that film nor comes from a source about it ("For 160 minutes", of the blog's film, after City
    of Life and Death) says nothing of it. When the first is such a quote, a decline that says so.
    Films only: their names are titles, said whole, while a person is named in part ("Tang opts
    to remain behind")."""
    topic = resolution.topic
    if topic is None or topic.kind not in FILM or not answer.answered:
        return answer
    about = [q for q in answer.quotes if about_entity(index, topic.id, q)]
    if not about or about[0] is not answer.quotes[0]:
        return unanswered(index, resolution.question, [f"{DECLINED}: nothing I have on {topic.name} answers this."],
                          answer.confidence)
    return replace(answer, quotes=tuple(replace(q, rank=n) for n, q in enumerate(about, 1)))


def _says_more(index: Index, question: str) -> bool:
    """More than one word to search besides the pronoun and the referring nouns."""
    return len(set(index.analyzer.tokens(without_referring_nouns(question)))) > 1


def quote_entities(tokenizer: Tokenizer, answer) -> list[str]:
    """The names in an answer's first quote (what the answer was about, besides the question)."""
    if not answer.quotes:
        return []
    return [e for e, _ in question_entities(tokenizer, answer.quotes[0].text)]


@dataclass
class _Conversation:
    entities: list[str]
    updated: float
    last: Asked | None = None   # what a request for more continues


class ConversationMemory:
    """Per-conversation recent entities, forgotten after ``ttl`` seconds without a question;
    plus which conversation each of the bot's answer messages belongs to (for replies).
    Thread-safe; bounded (the least recently used conversations are dropped first)."""

    def __init__(self, ttl: float = CONVERSATION_SECONDS, clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_CONVERSATIONS):
        self.ttl, self.clock, self.limit = ttl, clock, limit
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._messages: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def entities(self, key: str) -> list[str]:
        with self._lock:
            conversation = self._current(key)
            return list(conversation.entities) if conversation else []

    def last(self, key: str) -> Asked | None:
        """The question a request for more would continue."""
        with self._lock:
            conversation = self._current(key)
            return conversation.last if conversation else None

    def _current(self, key: str) -> _Conversation | None:
        """The conversation, unless it has been idle too long (then forgotten). Under the lock."""
        conversation = self._conversations.get(key)
        if conversation is not None and self.clock() - conversation.updated > self.ttl:
            del self._conversations[key]
            return None
        return conversation

    def remember(self, key: str, resolution: Resolution, quote_entities: Sequence[str],
                 answer: Answer | None = None, page: int = 3, dates: Sequence[DateSpan] = ()) -> None:
        """After an answer: the topic assumed, the question's names, then the top quote's names;
        and, given the ``answer`` (``page`` quotes shown at a time), what more would continue
        (``dates``: what it quoted of the timeline, ``timeline_steps.quoted_dates``)."""
        with self._lock:
            old = self._current(key)
            self._conversations.pop(key, None)
            previous = old.entities if old else []
            last = old.last if old else None
            if answer is not None:
                film = resolution.topic.id if resolution.topic and resolution.topic.kind in FILM else None
                last = asked_after(last, resolution.question, resolution.search, answer, resolution.more, page,
                                   tuple(dates), resolution.step, film)
            first = [resolution.topic.id] if resolution.topic else []
            merged = list(dict.fromkeys([*first, *resolution.entities, *quote_entities, *previous]))
            self._conversations[key] = _Conversation(merged[:MAX_ENTITIES], self.clock(), last)
            while len(self._conversations) > self.limit:
                self._conversations.popitem(last=False)

    def link(self, message_id: int, key: str) -> None:
        """The bot's answer ``message_id`` belongs to conversation ``key``."""
        with self._lock:
            self._messages[message_id] = key
            self._messages.move_to_end(message_id)
            while len(self._messages) > self.limit:
                self._messages.popitem(last=False)

    def conversation_of(self, message_id: int) -> str | None:
        with self._lock:
            return self._messages.get(message_id)

    def forget(self, key: str) -> None:
        with self._lock:
            self._conversations.pop(key, None)


def answer_in(memory: ConversationMemory, key: str, index: Index, question: str, k: int = 3
              ) -> tuple[Answer, Resolution]:
    """Answer ``question`` as the next turn of conversation ``key``: read in its topic, answered,
    and what the answer was about remembered (the console's and the follow-up evaluation's loop;
    Discord does the same in steps, off the event loop)."""
    resolution = resolve(index.tokenizer, index.corpus.entity_by_id, question, memory.entities(key),
                         pointed_entities(index, question), index.names_as_read, memory.last(key))
    answer = answer_resolved(index, resolution, k)
    memory.remember(key, resolution, quote_entities(index.tokenizer, answer), answer, k,
                    quoted_dates(index, answer, k, walked=resolution.step is not None))
    return answer, resolution
