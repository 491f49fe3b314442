"""Pick the quotable part of a candidate: the sentences that hold the answer, verbatim.

Windows of 1-3 consecutive sentences compete: one holding the shape the question asks for (a
number for "how many") wins; then the one holding the sentence closest in meaning to the question
(semantic stage), then the most question weight, then a second close sentence, then the shortest.
Measured on the labelled questions, this keeps the evidence in the quote far more often than the
best sentence and its neighbour (success@3 0.92 vs 0.88).
Timeline entries and short paragraphs are quoted whole. Never cut inside a sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering.analysis import Analysis
from bot.answering.questions import Shape
from bot.answering.types import Quote
from index.retrieval.protocol import Candidate, Retriever
from index.text.tokenize import ENTITY_PREFIX

if TYPE_CHECKING:
    from index.engine import Index

MAX_SENTENCES = 3
REPEAT_WEIGHT = 0.5   # a further mention of a question term counts half as much as the first
WHOLE_PASSAGE_WORDS = 60  # a paragraph this short (a reader's comment) is one thought: quote it whole


@dataclass(frozen=True)
class Excerpt:
    start: int                              # span in the source's text
    end: int
    highlights: tuple[tuple[int, int], ...]  # spans of matched words, relative to ``start``


def _weight(terms: list[str], idf: dict[str, float]) -> float:
    distinct = set(terms)
    once = sum(idf.get(t, 0.0) for t in distinct)
    return once + REPEAT_WEIGHT * (sum(idf.get(t, 0.0) for t in terms) - once)


def _tier(text: str, start: int, end: int, wanted: tuple[Shape, ...], weight: float) -> int:
    return next((n for n, p in enumerate(wanted) if weight > 0 and p.search(text, start, end)), len(wanted))


def best_excerpt(retriever: Retriever, c: Candidate, idf: dict[str, float],
                 wanted: tuple[Shape, ...] = ()) -> Excerpt:
    p = c.passage
    text = p.text   # spans are in the source's text: shifted by ``p.start`` into the passage's
    whole = p.is_timeline or len(p.text.split()) <= WHOLE_PASSAGE_WORDS
    spans = [(s - p.start, e - p.start) for s, e in ([(p.start, p.end)] if whole else retriever.sentence_spans(p))]
    matched = [[t for t in retriever.analyzer.tokens_with_spans(text[s:e], expand_names=True) if t.term in c.matched]
               for s, e in spans]
    dense = c.sentence_scores if len(c.sentence_scores) == len(spans) and not whole else ()
    windows = [(i, j) for i in range(len(spans)) for j in range(i, min(i + MAX_SENTENCES, len(spans)))]

    def key(w):
        i, j = w
        weight = _weight([t.term for k in range(i, j + 1) for t in matched[k]], idf)
        meaning = sorted(dense[i:j + 1], reverse=True) + [0.0, 0.0] if dense else [0.0, 0.0]
        return (-_tier(text, spans[i][0], spans[j][1], wanted, weight), round(meaning[0], 6), round(weight, 9),
                round(meaning[1], 6), -(spans[j][1] - spans[i][0]))

    i, j = max(windows, key=key)
    start, end = spans[i][0], spans[j][1]
    highlights = [(t.start + spans[k][0] - start, t.end + spans[k][0] - start)
                  for k in range(i, j + 1) for t in matched[k]]
    return Excerpt(start + p.start, end + p.start, tuple(highlights))


def context_notes(retriever: Retriever, c: Candidate) -> tuple[str, ...]:
    source = retriever.source(c.passage.source_id)
    notes = [source.context] if source.context else []
    section = source.section_titled(c.passage.section)   # headings are unique in a source
    if section is not None and section.context:
        notes.append(section.context)
    return tuple(notes)


def make_quote(retriever: Retriever, c: Candidate, rank: int, analysis: Analysis) -> Quote:
    p = c.passage
    source = retriever.source(p.source_id)
    excerpt = best_excerpt(retriever, c, analysis.retrieval.query.idf, analysis.evidence.wanted)
    score = c.dense if c.dense is not None else c.bm25
    return Quote(
        rank=rank, text=p.text[excerpt.start - p.start:excerpt.end - p.start], source_id=source.id,
        source_title=source.title, attribution=p.attribution, section=p.section,
        score=round(score, 4), passage_id=p.id, start=excerpt.start, end=excerpt.end,
        highlights=excerpt.highlights, date=p.date, date_text=p.date_text, year_inferred=p.year_inferred,
        context=context_notes(retriever, c),
    )


def about_entity(index: Index, entity_id: str, quote: Quote) -> bool:
    """Does the quote name the entity, or come from a source about it?"""
    passage = index.passage(quote.passage_id)
    return entity_id in index.source(quote.source_id).about or (
        passage is not None and ENTITY_PREFIX + entity_id in index.passage_terms(passage))
