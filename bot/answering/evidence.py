"""What a candidate passage offers as an answer, measured: the share of the question it matches,
whether it has the shape the question asks for, whether it is a heading-like fragment. These are
evidence that ranks (and features of the answer-or-decline decision), never gates on their own."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.answering.questions import (
    AGO,
    AUTHOR_WORDS,
    CAST,
    DATED,
    DAY_DATED,
    SLOT_WORDS,
    QuestionShape,
    Shape,
    classify,
    describes,
    quantity_word,
)
from bot.answering.sections import section_scope
from bot.answering.source_scope import source_scope
from index.corpus.model import PEOPLE
from index.retrieval.protocol import Candidate, Query, Retriever
from index.text.synonyms import VAGUE_WORDS
from index.text.tokenize import ENTITY_PREFIX

# "the blogger" is the blog's author: the word points at the blog as "the blog author" does
_BLOGGER = re.compile(r"\bblog(?=gers?\b)", re.I)
ENTITY_WEIGHT = 2.0   # a name says more about what is asked than any other word
COMMON_SHARE = 0.1    # a word in this share of the passages or more is context ("film"), not content
FRAGMENT_WORDS = 12


@dataclass(frozen=True)
class QuestionEvidence:
    """The question's side: its shape, the weight of each term, what a passage should hold."""

    shape: QuestionShape
    weights: dict[str, float]          # term -> weight (IDF, names doubled, slot words dropped)
    wanted: tuple[Shape, ...]          # answer shapes in passage text, best first
    content: frozenset[str]            # rare non-name terms that say what is asked ("born", "stream")
    names: frozenset[str]              # entity terms the question names
    scope: frozenset[str]              # source ids the question points at ("according to the blog")
    sections: frozenset[tuple[str, str]] = frozenset()   # (source id, title) pointed at ("the second comment")
    # name term -> the sources about that name (their front matter's ``about``): document context
    about: dict[str, frozenset[str]] = field(default_factory=dict)


def question_evidence(retriever: Retriever, query: Query) -> QuestionEvidence:
    shape = classify(query.text)
    if query.terms and all(t.startswith(ENTITY_PREFIX) for t in query.terms) and not shape.comments:
        shape = replace(shape, identity=True)   # a name alone asks who or what it is ("vautrin?")
    analyzer = retriever.analyzer
    # the glossary's English words count: "博客" points at the blog as "the blog" does
    scope = source_scope(retriever, " ".join((query.text, *query.glossed, *_BLOGGER.findall(query.text))))
    if shape.author and not scope:   # "the author of the rape of nanking": no source's author
        shape = replace(shape, author=False)
    # words that say what kind of answer is asked, not what about: "year" in "when", "long" in
    # "how long", "author" and "think" in "what does the blog author think"
    slot = set(analyzer.tokens(" ".join(SLOT_WORDS))) if shape.when else set()
    slot |= set(analyzer.tokens(quantity_word(query.text) or ""))
    if shape.author:
        slot |= set(analyzer.tokens(" ".join(AUTHOR_WORDS)))
    weights = {t: w * (ENTITY_WEIGHT if t.startswith(ENTITY_PREFIX) else 1.0)
               for t, w in query.idf.items() if t not in slot}
    unit = analyzer.tokens(shape.unit) if shape.unit else []
    wanted = shape.wanted(unit[0] if unit and not unit[0].startswith(ENTITY_PREFIX) else None)
    vague = set(analyzer.tokens(" ".join(VAGUE_WORDS))) | slot
    n = retriever.passage_count
    content = frozenset(t for t in query.terms if not t.startswith(ENTITY_PREFIX) and t not in vague
                        and retriever.document_frequency(t) < COMMON_SHARE * n)
    names = frozenset(t for t in query.terms if t.startswith(ENTITY_PREFIX))
    sources_about = retriever.corpus.sources_about
    about = {t: sources_about[t[len(ENTITY_PREFIX):]] for t in names if t[len(ENTITY_PREFIX):] in sources_about}
    return QuestionEvidence(shape, weights, wanted, content, names, scope,
                            section_scope(retriever, query), about)


def coverage(c: Candidate, weights: dict[str, float], about: dict[str, frozenset[str]] | None = None) -> float:
    """Share of the question's weight the candidate matches; with ``about`` (the ranking's
    view), a name counts for every passage of a source about it too: the blog's passage on the
    testimonies is about Mizushima's film, though it never repeats his name. The decision weighs
    what the passage itself says."""
    total = sum(weights.values())
    if not total:
        return 0.0
    source = c.passage.source_id
    return sum(w for t, w in weights.items()
               if t in c.matched or (about and source in about.get(t, ()))) / total


def not_the_voice_asked(retriever: Retriever, c: Candidate, ev: QuestionEvidence) -> bool:
    """A question about what readers said ("which commenter ..."), a passage no reader wrote; one
    about what a source's author says ("does the blog author agree"), a passage its source
    quotes from others (an excerpt, a reader's comment: a section with an attribution of its own)."""
    if ev.shape.author:
        return c.passage.attribution != retriever.source(c.passage.source_id).own_attribution
    return ev.shape.comments and "comment" not in c.passage.attribution.casefold()


def the_voice_asked(retriever: Retriever, c: Candidate, ev: QuestionEvidence) -> bool:
    """A passage in the voice a question asks for (a source's author, its readers), of the
    source it points at if it points at one."""
    return not not_the_voice_asked(retriever, c, ev) and not out_of_scope(c, ev)


def off_the_story(retriever: Retriever, c: Candidate, ev: QuestionEvidence) -> bool:
    """The question asks what happens in a film ("in the movie") and this passage does not tell
    a film's story (a section of kind ``plot``): the documentary's history of the same events is
    not what the film shows."""
    if not ev.shape.story:
        return False
    section = retriever.source(c.passage.source_id).section_titled(c.passage.section)
    return section is None or section.kind != "plot"


def out_of_scope(c: Candidate, ev: QuestionEvidence) -> bool:
    """The question points at a source ("according to the blog") and this is another one."""
    return bool(ev.scope) and c.passage.source_id not in ev.scope


def timeline_misfit(c: Candidate, ev: QuestionEvidence) -> bool:
    """A timeline line for a question that does not ask "when" (or "how long", for a period), or
    prose for one that does."""
    return c.passage.is_timeline != (ev.shape.when or ev.shape.duration and is_period(c))


def is_period(c: Candidate) -> bool:
    """A timeline entry of a period ("May 3, 1946 – Nov 12, 1948"): it says how long it lasted."""
    return c.passage.is_timeline and "/" in (c.passage.date or "")


def is_dated(c: Candidate, ago: bool = False) -> bool:
    """Does the candidate say when? With ``ago`` (the question asks "how long ago") a time before
    the text's own says it too."""
    return c.passage.is_timeline or bool(DATED.search(c.passage.text) or ago and AGO.search(c.passage.text))


def names_a_day(c: Candidate) -> bool:
    """Is it dated to the day: a timeline entry of a day, or a text naming one ("December 13th")?"""
    p = c.passage
    return bool(_DAY_OF_ENTRY.match(p.date or "") if p.is_timeline else DAY_DATED.search(p.text))


_DAY_OF_ENTRY = re.compile(r"\d{4}-\d{2}-\d{2}")   # a timeline entry's date, to the day


def shape_misfit(retriever: Retriever, c: Candidate, ev: QuestionEvidence) -> int:
    """0 when the candidate holds what the question asks for (a date, a number, a description of
    the name asked about), higher the further it is from it."""
    shape = ev.shape
    if shape.when:   # 0 dated as asked, 1 dated but not to the day or the period asked, 2 undated
        if not is_dated(c, shape.ago):
            return 2
        return 1 if (shape.day and not names_a_day(c)) or (shape.span and not is_period(c)) else 0
    if shape.quantity:
        if shape.duration and is_period(c):
            return 0
        return next((n for n, p in enumerate(ev.wanted) if p.search(c.passage.text)), len(ev.wanted))
    if shape.descriptions:
        # tokenize only when a name could be described here (a page of candidates costs ms
        # otherwise): a cast entry, either way round, needs a bracket; the others their pattern
        text = c.passage.text
        named = any(t.startswith(ENTITY_PREFIX) for t in c.matched) and any(
            "(" in text if p is CAST else p.search(text) for p in shape.descriptions)
        spans = [t for t in retriever.analyzer.tokens_with_spans(text)
                 if t.term in c.matched and t.term.startswith(ENTITY_PREFIX)] if named else []
        for rank, pattern in enumerate(shape.descriptions):
            names = [(t.start, t.end) for t in spans if pattern is not CAST or _played(retriever, t.term)]
            if describes(text, names, pattern):
                return rank
        return len(shape.descriptions)
    return 0


def _played(retriever: Retriever, term: str) -> bool:
    """Could the name have an actor? Only a person or a character is played: "Rabe (John Paisley)"
    is a cast entry, "The Truth About Nanking (Movie)" and "The Truth about Nanjing (Wiki)" are
    not. (Limiting "who" questions' descriptions to people's names as well was measured:
    cross-validated English success@1 0.847 against 0.858 with this alone.)"""
    return _kind(retriever, term) in (None, *PEOPLE)


def event_terms(ev: QuestionEvidence) -> list[str]:
    """The question's weighed terms that are no name: what it asks happened ("die" in "when did
    John Rabe die", "fall" in "when did Nanking fall")."""
    return [t for t in ev.weights if not t.startswith(ENTITY_PREFIX)]


def is_person(retriever: Retriever, term: str) -> bool:
    """Is the entity term a person's or a character's name?"""
    return _kind(retriever, term) in PEOPLE


def plays_asked(retriever: Retriever, ev: QuestionEvidence) -> bool:
    """Does a cast question ask who plays someone it names: a character ("who played Jiang
    Shuyun"), or a real person with acting asked of ("who plays Bob Wilson in the documentary";
    "what was Matsui's role" asks what he did)? "Who plays the officer who demands…" names nobody."""
    shape = ev.shape
    return shape.cast and any(_kind(retriever, t) == "character" or (shape.performer and is_person(retriever, t))
                              for t in ev.names)


def is_place(retriever: Retriever, term: str) -> bool:
    """Is the entity term a place's name (a city, a country, a region)?"""
    return _kind(retriever, term) == "place"


def places_meet(retriever: Retriever, term: str, other: str) -> bool:
    """Do two place terms name one place, or one a place within the other (Nanking and China,
    Tokyo and Japan; not Nanking and Shanghai)?"""
    a, b = term[len(ENTITY_PREFIX):], other[len(ENTITY_PREFIX):]
    regions = retriever.corpus.regions
    return a == b or b in regions.get(a, ()) or a in regions.get(b, ())


def _kind(retriever: Retriever, term: str) -> str | None:
    """The kind of the entity an entity term names (None for a term of no entity of the corpus)."""
    entity = retriever.corpus.entity_by_id.get(term[len(ENTITY_PREFIX):])
    return entity.kind if entity is not None else None


def asks_shape(shape: QuestionShape) -> bool:
    return shape.when or shape.quantity or bool(shape.descriptions)


def is_fragment(c: Candidate) -> bool:
    """A heading-like line ("6 thoughts on ...": short, no sentence end). BM25 loves short
    passages; readers want sentences."""
    p = c.passage
    text = p.text.rstrip("”\"’')] ")
    return (not p.is_timeline and len(text.split()) < FRAGMENT_WORDS
            and not text.endswith((".", "!", "?", "…", "。", "！", "？")))


def names_text(retriever: Retriever, ev: QuestionEvidence) -> str:
    """The names the question names, as the sources write them ("" when it names none)."""
    entities = retriever.corpus.entity_by_id
    ids = (t[len(ENTITY_PREFIX):] for t in ev.names)
    return " ".join(sorted(entities[i].name for i in ids if i in entities))


def missing_content(c: Candidate, ev: QuestionEvidence) -> list[str]:
    """The question's rare content terms the candidate lacks ("born" in "when was Rabe born")."""
    return [t for t in ev.content if t not in c.matched]
