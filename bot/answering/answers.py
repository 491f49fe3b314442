"""Answers as data: ranked verbatim quotes with their attribution, or an honest "not in my sources".

Built without Discord; ``bot.render`` turns an Answer into console text, JSON or embeds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answering.questions import DATED, NUMBER, SLOT_WORDS, QuestionShape, classify, describes
from bot.answering.quotes import best_excerpt
from index.dates import InvalidDate, extract_date_query, format_date
from index.engine import Hit, Index, SearchResult
from index.passages import Passage
from index.text.synonyms import VAGUE_WORDS
from index.text.tokenize import ENTITY_PREFIX

# Evidence thresholds. A passage answers only if the question words it matches weigh at least
# MIN_MATCHED (summed IDF: one common word such as "Nanjing" is not evidence) and make up at
# least MIN_COVERAGE of the question's weight. "When" questions need a dated passage that holds
# the event itself, not just its actor: WHEN_COVERAGE of the question ("when did Rabe die" is not
# answered by "John Rabe wires Hitler").
MIN_MATCHED = 1.0
ENTITY_WEIGHT = 2.0
MIN_COVERAGE = 0.12
WHEN_COVERAGE = 0.6
CANDIDATES = 20
COMMON_SHARE = 0.1   # a word in this share of the passages or more is context ("film"), not content
# A passage that shares only the question's names is refused when this many of the question's
# other words are missing from it ("who composed the music for ..."); one missing word is often a
# paraphrase ("what does Yasukuni mean" -> "translates as").
MISSING_WORDS = 2
FRAGMENT_WORDS = 12


@dataclass(frozen=True)
class Quote:
    rank: int
    text: str                         # verbatim source text
    source_id: str
    source_title: str
    attribution: str
    section: str | None
    score: float
    passage_id: str
    start: int = 0                    # span of ``text`` in the source's text, for tracing
    end: int = 0
    highlights: tuple[tuple[int, int], ...] = ()   # matched words, spans in ``text``
    date: str | None = None           # normalized date of a timeline entry
    date_text: str | None = None      # the date as the source writes it
    year_inferred: bool = False
    context: tuple[str, ...] = ()     # context notes of the source and section


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())   # titles of the corpus' sources, for "not found"

    @property
    def general_notes(self) -> list[str]:
        """Notes not already shown under a quote as its source's context."""
        shown = {note for q in self.quotes for note in q.context}
        return [n for n in self.notes if n not in shown]


def _context_notes(index: Index, passage: Passage) -> tuple[str, ...]:
    source = index.corpus.source_by_id[passage.source_id]
    notes = [source.context] if source.context else []
    for section in source.sections:
        if section.title == passage.section and section.context:
            notes.append(section.context)
    return tuple(notes)


def _wanted(index: Index, shape: QuestionShape) -> tuple[re.Pattern, ...]:
    """The answer's shapes, best first, with the unit of "how many X" in the corpus' terms."""
    unit = index.tokenizer.tokens(shape.unit) if shape.unit else []
    return shape.wanted(unit[0] if unit and not unit[0].startswith(ENTITY_PREFIX) else None)


def _quote(index: Index, hit: Hit, rank: int, result: SearchResult, wanted: tuple[re.Pattern, ...]) -> Quote:
    p = hit.passage
    source = index.corpus.source_by_id[p.source_id]
    excerpt = best_excerpt(hit, source.text, index.tokenizer, result.idf, wanted)
    return Quote(
        rank=rank, text=source.text[excerpt.start:excerpt.end], source_id=source.id,
        source_title=source.title, attribution=p.attribution, section=p.section,
        score=round(hit.score, 4), passage_id=p.id, start=excerpt.start, end=excerpt.end,
        highlights=excerpt.highlights,
        date=p.date, date_text=p.date_text, year_inferred=p.year_inferred,
        context=_context_notes(index, p),
    )


def _date_fit(query, span) -> float:
    """How well an entry's dates fit the asked dates: shared days over all days (1 = same span)."""
    q_start, q_end = query.start, query.end
    if query.yearless:  # compare month/day in the entry's year
        try:
            shift = span.start.year - q_start.year
            q_start, q_end = q_start.replace(year=q_start.year + shift), q_end.replace(year=q_end.year + shift)
        except ValueError:  # 29 February in a common year
            return 0.0
    shared = (min(q_end, span.end) - max(q_start, span.start)).days + 1
    total = (max(q_end, span.end) - min(q_start, span.start)).days + 1
    return max(0, shared) / total


def _date_hits(index: Index, question: str, result: SearchResult, notes: list[str]) -> list[Hit] | None:
    """Timeline entries whose date the question names ("dec 14-21 what happened"), best fit
    first; None when the question names no date, [] when no entry has that date."""
    try:
        found = extract_date_query(question)
    except InvalidDate as exc:
        notes.append(f"{exc}; I searched the words instead.")
        return None
    if not found:
        return None
    fits = []
    for entry in index.timeline.all():
        span = index.timeline.span(entry)
        if found.query.matches(span):
            fits.append((-_date_fit(found.query, span), span.start, entry))
    hits = []
    for _, _, entry in sorted(fits, key=lambda f: (f[0], f[1])):
        passage = index.timeline_passage(entry)
        terms = set(index.tokenizer.expanded_tokens(f"{passage.date_text} {passage.text}"))
        hits.append(Hit(passage, 0.0, frozenset(t for t in result.terms if t in terms)))
    if not hits:
        notes.append(f"Not in my sources: nothing in them is dated {format_date(found.query)}.")
        return hits
    # "who was the US president in 1937": the date is not the subject when none of the entries of
    # that date holds any of the question's other words; answer (or refuse) from the words instead
    others = set(result.terms) - set(index.tokenizer.tokens(question[found.start:found.end]))
    if others and not any(others & h.matched for h in hits):
        return None
    return hits


def _coverage(hit: Hit, weights: dict[str, float]) -> float:
    """Share of the question's weight the hit matches."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in hit.matched) / total if total else 0.0


def _is_dated(hit: Hit) -> bool:
    return hit.passage.is_timeline or bool(DATED.search(hit.passage.text))


def _shape_misfit(index: Index, hit: Hit, shape: QuestionShape, wanted: tuple[re.Pattern, ...]) -> int:
    """0 when the hit holds what the question asks for (a date, a number, a description of the
    name asked about), higher the further it is from it."""
    if shape.when:
        return int(not _is_dated(hit))
    if shape.quantity:
        return next((n for n, p in enumerate(wanted) if p.search(hit.passage.text)), len(wanted))
    if shape.descriptions:
        names = [(t.start, t.end) for t in index.tokenizer.tokens_with_spans(hit.passage.text)
                 if t.term in hit.matched and t.term.startswith(ENTITY_PREFIX)]
        for rank, pattern in enumerate(shape.descriptions):
            if describes(hit.passage.text, names, pattern):
                return rank
        return len(shape.descriptions)
    return 0


def _is_fragment(passage: Passage) -> bool:
    """A heading-like line ("6 thoughts on ...": short, no sentence end). BM25 loves short
    passages; readers want sentences."""
    text = passage.text.rstrip("”\"’')] ")
    return (not passage.is_timeline and len(text.split()) < FRAGMENT_WORDS
            and not text.endswith((".", "!", "?", "…")))


def _rank(index: Index, hits: list[Hit], weights: dict[str, float], shape: QuestionShape,
          wanted: tuple[re.Pattern, ...]) -> list[Hit]:
    """Order hits by evidence. A question about what readers said ("which commenter") wants
    reader comments first. Then the share of the question they match (rounded, so BM25 breaks
    near-ties); then the answer's shape (a date for "when", a number for "how many", a
    description for "who is"); a sentence before a heading-like fragment; prose (more context)
    before timeline lines except for "when" questions; then the BM25 score."""
    def key(h: Hit):
        return (shape.comments and "comment" not in h.passage.attribution.casefold(),
                -round(_coverage(h, weights), 1), _shape_misfit(index, h, shape, wanted), _is_fragment(h.passage),
                h.passage.is_timeline != shape.when, -h.score)
    return sorted(hits, key=key)


def _decline_reason(index: Index, result: SearchResult, best: Hit | None, weights: dict[str, float],
                    shape: QuestionShape, wanted: tuple[re.Pattern, ...]) -> str | None:
    if shape.focus:
        focus_terms = index.tokenizer.tokens(shape.focus)
        if focus_terms and all(index.document_frequency(t) == 0 for t in focus_terms):
            return f"Not in my sources: they never mention “{shape.focus}”."
    if best is None:
        return "Not in my sources: nothing I have answers this."
    matched = sum(result.idf[t] for t in best.matched)
    if shape.when and not (_is_dated(best) and _coverage(best, weights) >= WHEN_COVERAGE):
        return "Not in my sources: I have no dated passage about that."
    if matched < MIN_MATCHED or _coverage(best, weights) < MIN_COVERAGE:
        return "Not in my sources: nothing I have answers this."
    # the passage holds what the question's shape asks for (a date, a number, a description)
    has_shape = shape.when or shape.quantity or bool(shape.descriptions)
    fits = has_shape and _shape_misfit(index, best, shape, wanted) == 0
    if shape.cast and not fits:
        return "Not in my sources: they name no actor or role for that."
    missing = _missing_words(index, result, best)
    if len(missing) >= MISSING_WORDS and not fits and all(t.startswith(ENTITY_PREFIX) for t in best.matched):
        words = [result.question[t.start:t.end] for t in index.tokenizer.tokens_with_spans(result.question)
                 if t.term in missing]
        return f"Not in my sources: they name it, but say nothing about “{' '.join(dict.fromkeys(words))}”."
    return None


def _missing_words(index: Index, result: SearchResult, best: Hit) -> list[str]:
    """The question's words (not names) the best passage lacks and the corpus rarely uses: what a
    passage that only shares the question's names would leave unanswered ("who composed the music
    for City of Life and Death")."""
    n = len(index.passages)
    vague = set(index.tokenizer.tokens(" ".join(VAGUE_WORDS)))
    return [t for t in result.terms if t not in best.matched and not t.startswith(ENTITY_PREFIX)
            and t not in vague and index.document_frequency(t) < COMMON_SHARE * n]


def build_answer(index: Index, question: str, k: int = 3) -> Answer:
    titles = tuple(s.title for s in index.corpus.sources)
    result = index.search(question, k=CANDIDATES)
    notes: list[str] = []
    if result.truncated:
        notes.append(f"Your question was long; I searched its first {len(result.question)} characters.")
    if not result.terms:
        notes.append("Your question has no words I can search for. Try names, places, events or dates.")
        return Answer(question, False, notes=tuple(notes), sources=titles)

    shape = classify(result.question)
    slot_terms = set(index.tokenizer.tokens(" ".join(SLOT_WORDS))) if shape.when else set()
    # a name (an entity) says more about what is asked than any other word: it counts double
    weights = {t: w * (ENTITY_WEIGHT if t.startswith(ENTITY_PREFIX) else 1.0)
               for t, w in result.idf.items() if t not in slot_terms}
    date_hits = _date_hits(index, result.question, result, notes)
    if date_hits == []:  # the question is about a date the sources never mention
        return Answer(question, False, notes=tuple(notes), sources=titles)
    date_hits = date_hits or []
    wanted = _wanted(index, shape)
    dated_ids = {d.passage.id for d in date_hits}
    ranked = _rank(index, [h for h in result.hits if h.passage.id not in dated_ids], weights, shape, wanted)
    hits = date_hits + ranked
    reason = None if date_hits else _decline_reason(index, result, ranked[0] if ranked else None, weights, shape,
                                                   wanted)
    if reason:
        notes.append(reason)
        return Answer(question, False, notes=tuple(notes), sources=titles)

    quotes: list[Quote] = []
    seen: list[tuple[str, int, int]] = []
    for hit in hits:
        if len(quotes) >= k:
            break
        if quotes and hit not in date_hits and _coverage(hit, weights) < MIN_COVERAGE:
            continue
        quote = _quote(index, hit, len(quotes) + 1, result, wanted)
        if any(sid == quote.source_id and s < quote.end and quote.start < e for sid, s, e in seen):
            continue  # the same words quoted twice (a timeline line inside a prose passage)
        seen.append((quote.source_id, quote.start, quote.end))
        quotes.append(quote)
    for quote in quotes:
        for note in quote.context:
            if note not in notes:
                notes.append(note)
    return Answer(question, True, tuple(quotes), tuple(notes), titles)
