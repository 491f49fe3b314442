"""Order the candidates: lexical evidence and the semantic stage's ranking, fused.

Lexical order: a question about what readers said wants reader comments first, one about what a
source's author says ("what does the blogger think") the source's own text, one that points
at a source ("according to the blog") that source, and one about what happens "in the film" the
passages that tell a film's story (a ``plot`` section); then the share of the question matched (a name
counting for every passage of a source about it; rounded, so BM25 breaks near-ties); the answer's
shape (a date for "when", a number for "how many"); a sentence before a heading-like fragment;
prose before timeline lines except for "when"; then BM25. The semantic stage ranks by meaning. The
two are fused by weighted reciprocal rank (RRF_K and DENSE_WEIGHT were chosen by 5-fold cross-
validation on the labelled questions; every fold chose the same values); for a question about a
film's story ("in the film", "im Film", "映画で"), its plot passages then come first, as in the
lexical order (after the learned ranker), and so do a source's own passages for what its author
says. A question in another language has as lexical evidence its names and the English words of
its glossary forms (``index.text.glossary``), weighted below meaning (FOREIGN_LEXICAL_WEIGHT: 0.5,
0.75 and 1.0 were within two of 128 questions of each other). Every question is then ordered by
the learned ranker (``reranker.py``), given the fused order and its features; an English one's
rules for "who is X" and "when" after it, as over the fused order. Last, the sections a question
points at ("the second comment", ``sections.py``) go first.
"""
from __future__ import annotations

import numpy as np

from bot.answering.evidence import (
    QuestionEvidence,
    coverage,
    event_terms,
    is_dated,
    is_fragment,
    is_person,
    is_place,
    not_the_voice_asked,
    off_the_story,
    out_of_scope,
    places_meet,
    shape_misfit,
    the_voice_asked,
    timeline_misfit,
)
from bot.answering.query_map import QueryMap
from bot.answering.question_prior import source_key
from bot.answering.reranker import Ranker, candidate_rows
from index.retrieval.protocol import Candidate, Retriever

RRF_K = 60.0
DENSE_WEIGHT = 0.75
FOREIGN_LEXICAL_WEIGHT = 0.75
FITTING_FIRST = 5   # of 3, 5 and 10 tried, 5 (the page the answer quotes from) scored best


def lexical_order(retriever: Retriever, candidates: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """BM25's hits in order of lexical evidence (passages only the semantic stage found have no
    lexical rank: measured, ranking them here too lowers success@1 by 3 points)."""
    candidates = [c for c in candidates if c.lexical_rank is not None]

    def key(c: Candidate):
        return (not_the_voice_asked(retriever, c, ev), out_of_scope(c, ev), off_the_story(retriever, c, ev),
                -round(coverage(c, ev.weights, ev.about), 1),
                shape_misfit(retriever, c, ev), is_fragment(c), timeline_misfit(c, ev), -c.bm25)
    return sorted(candidates, key=key)


def dense_order(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: -(c.dense if c.dense is not None else -1.0))


def fuse(orders: list[list[Candidate]], weights: list[float], k: float = RRF_K) -> list[Candidate]:
    """Weighted reciprocal-rank fusion; ties keep the first order's ranking."""
    score: dict[str, float] = {}
    first: dict[str, int] = {}
    by_id: dict[str, Candidate] = {}
    for order, weight in zip(orders, weights, strict=True):
        for rank, c in enumerate(order, 1):
            pid = c.passage.id
            score[pid] = score.get(pid, 0.0) + weight / (k + rank)
            by_id.setdefault(pid, c)
            first.setdefault(pid, len(first))
    return [by_id[pid] for pid in sorted(score, key=lambda pid: (-score[pid], first[pid]))]


def orders(retriever: Retriever, candidates: list[Candidate], ev: QuestionEvidence, english: bool
           ) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """(fused, lexical, meaning) orders of the candidates."""
    lexical, dense = lexical_order(retriever, candidates, ev), dense_order(candidates)
    # other languages: lexical evidence is names and glossary words, weighted below meaning
    weights = [1.0, DENSE_WEIGHT] if english else [FOREIGN_LEXICAL_WEIGHT, 1.0]
    return fuse([lexical, dense], weights), lexical, dense


def learning_rows(retriever: Retriever, candidates: list[Candidate], ev: QuestionEvidence, english: bool,
                  mapped: dict[str, float] | None = None):
    """(the fused order, its rows of the learned ranker's features). ``mapped``: the candidates'
    cosines with the question's mapped vector (``mapped_cosines``; None: no map)."""
    fused, lexical, dense = orders(retriever, candidates, ev, english)
    return fused, candidate_rows(retriever, fused, lexical, dense, ev, mapped)


def mapped_cosines(retriever: Retriever, candidates: list[Candidate], vector: np.ndarray | None,
                   query_map: QueryMap | None) -> dict[str, float] | None:
    """Each candidate's cosine with the question's mapped vector, by passage id (None: no map)."""
    if query_map is None or vector is None or not candidates:
        return None
    vectors = retriever.passage_vectors([c.passage for c in candidates])
    if vectors is None:
        return None
    sources = [source_key(retriever.source(c.passage.source_id)) for c in candidates]
    cosines = query_map.cosines(vector, vectors, sources)
    return {c.passage.id: float(s) for c, s in zip(candidates, cosines, strict=True)}


def rank(retriever: Retriever, candidates: list[Candidate], ev: QuestionEvidence, english: bool,
         semantic: bool, ranker: Ranker | None = None, mapped: dict[str, float] | None = None) -> list[Candidate]:
    """``mapped``: the candidates' cosines with the question as the ranker's query map maps it."""
    if not semantic:   # the lexical order already puts a film's story first
        return pointed_first(lexical_order(retriever, candidates, ev), ev)
    if ranker is None:
        ranked = orders(retriever, candidates, ev, english)[0]
    else:
        ranked = ranker.order(*learning_rows(retriever, candidates, ev, english, mapped), english=english)
    if english:
        ranked = event_first(retriever, fitting_first(retriever, ranked, ev), ev)
    elif ranker is not None and ev.shape.duration:
        ranked = fitting_first(retriever, ranked, ev)
    return pointed_first(author_first(retriever, story_first(retriever, ranked, ev), ev), ev)


def author_first(retriever: Retriever, ranked: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """For what a source's author says ("what does the blogger think"), the source's own text
    first, in its order: meaning alone ranks the excerpts it quotes and its readers' comments as
    close to the question."""
    if not ev.shape.author:
        return ranked
    return sorted(ranked, key=lambda c: not the_voice_asked(retriever, c, ev))


def fitting_first(retriever: Retriever, ranked: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """For "who is X" and "who plays X": among the best FITTING_FIRST, the passages that describe
    X ("X, the American headmistress", "X (Actor)") first, the best-fitting description first.
    Fusion weighs the lexical order's preference for them no more than any other rank, and meaning
    alone ranks the passages that only mention X as high. The same for "how long" (or "runtime"),
    among all candidates: a length of time first ("For 160 minutes" is a passage only meaning
    finds for "truth of nanking runtime?", and fusion put it 21st). Few passages hold one, where
    many describe or mention a person. Not for "how many": any number fits, and measured, it
    lost a question. After the learned ranker (other languages) for a length of time only: its
    descriptions first lost 2 of 28 questions at rank 1 of a blind set, though it weighs fit."""
    shape = ev.shape
    fits = shape.duration if shape.quantity else bool(shape.descriptions)   # "how long" is a "how much"
    if shape.when or not fits:
        return ranked
    head = ranked if shape.duration else ranked[:FITTING_FIRST]
    return sorted(head, key=lambda c: shape_misfit(retriever, c, ev)) + ranked[len(head):]


def event_first(retriever: Retriever, ranked: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """For "when": among the best FITTING_FIRST, the dated passages that say what happened ("fell",
    "invaded") to whom or where the question names before the others ("when did nanking fall":
    "The Nanking Massacre ... in December 1937" came before "by December 13th ... invaded the city
    of Nanking", and a date of something else is no answer). Not a date of the event without the
    people the question names ("when did Vautrin leave Nanking": not "Chiang Kai Shek government
    begins leaving Nanking"); a place or a country may be the setting, unnamed ("when did the
    chinese government start pulling out of the capital"). Nor an undated passage: it gives no
    date either. Where no passage dates the event, those naming the people asked about still come
    before those that do not: the learned ranker put the government's leaving first for Vautrin's,
    a date of someone else that the decision then weighed as an answer; her undated passage first,
    it declines ("I have no dated passage about that"). Nor what happened elsewhere: a passage
    whose own words name a place the question does not, and not every place it does ("what day
    did nanking fall": not "November 12 Shanghai falls", which the ranker refitted with the query
    map put first)."""
    event = event_terms(ev)
    if not ev.shape.when or not event:
        return ranked
    people = {t for t in ev.names if is_person(retriever, t)}
    places = {t for t in ev.names if is_place(retriever, t)}

    def key(c: Candidate) -> tuple[bool, bool, bool]:
        named = people <= c.matched
        dates_the_event = named and any(t in c.matched for t in event) and is_dated(c, ev.shape.ago)
        return not named, bool(places) and elsewhere(retriever, c, places), not dates_the_event

    head = ranked[:FITTING_FIRST]
    return sorted(head, key=key) + ranked[len(head):]


def elsewhere(retriever: Retriever, c: Candidate, places: set[str]) -> bool:
    """Do the passage's own words name a place apart from ``places`` (neither one of them, nor
    within one, nor around one), and not all of them? "Japan and China resume diplomatic
    relations" is not elsewhere for Tokyo, nor "Chiang Kai Shek government begins leaving
    Nanking" for China; "Shanghai falls" is for Nanking."""
    named = {t for t in retriever.analyzer.tokens(c.passage.text) if is_place(retriever, t)}
    apart = any(not any(places_meet(retriever, n, p) for p in places) for n in named)
    return apart and not all(any(places_meet(retriever, p, n) for n in named) for p in places)


def story_first(retriever: Retriever, ranked: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """For a question about what happens "in the film", the passages that tell a film's story
    first, in their order: the lexical order puts them first, but fusion weighs that no more
    than any rank, and a plot passage only meaning recalls has no lexical rank at all."""
    if not ev.shape.story:
        return ranked
    return sorted(ranked, key=lambda c: off_the_story(retriever, c, ev))


def pointed_first(ranked: list[Candidate], ev: QuestionEvidence) -> list[Candidate]:
    """The passages of the sections the question points at ("the second comment") first, in
    their order: a pointer is what the asker said, not evidence to weigh."""
    if not ev.sections:
        return ranked
    return sorted(ranked, key=lambda c: (c.passage.source_id, c.passage.section) not in ev.sections)
