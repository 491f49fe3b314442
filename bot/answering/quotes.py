"""Pick the quotable part of a hit: the best one to three consecutive sentences, verbatim."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.engine import Hit
from index.passages import sentences
from index.text.tokenize import Tokenizer

MAX_SENTENCES = 3
REPEAT_WEIGHT = 0.5   # a further mention of a question term counts half as much as the first
WHOLE_PASSAGE_WORDS = 60  # a paragraph this short (a reader's comment) is one thought: quote it whole


@dataclass(frozen=True)
class Excerpt:
    start: int                              # span in the source's text
    end: int
    highlights: tuple[tuple[int, int], ...]  # spans of matched words, relative to ``start``


def best_excerpt(hit: Hit, source_text: str, tokenizer: Tokenizer, idf: dict[str, float],
                 wanted: tuple[re.Pattern, ...] = ()) -> Excerpt:
    """The 1-3 consecutive sentences of the hit that match the most question weight.

    A window scores the IDF of each distinct question term it holds, plus half that again for
    every further mention, so a window that keeps talking about the subject beats one that names
    it once. Among windows of equal weight the shortest wins, so a quote carries no sentence that
    adds nothing. Timeline entries and short paragraphs are quoted whole. ``wanted`` is the
    answer's shape, best first (for "how many rapes": "20,000 cases of rape", then any number):
    a matching window holding a better shape wins.
    """
    p = hit.passage
    whole = p.is_timeline or len(p.text.split()) <= WHOLE_PASSAGE_WORDS
    spans = [(p.start, p.end)] if whole else sentences(source_text, p.start, p.end)
    matched_by_sentence = []
    for s, e in spans:
        tokens = [t for t in tokenizer.tokens_with_spans(source_text[s:e], expand_names=True) if t.term in hit.matched]
        matched_by_sentence.append(tokens)

    best, best_key = (0, 0), None
    for i in range(len(spans)):
        for j in range(i, min(i + MAX_SENTENCES, len(spans))):
            terms = [t.term for k in range(i, j + 1) for t in matched_by_sentence[k]]
            distinct = set(terms)
            weight = sum(idf.get(t, 0.0) for t in distinct)
            weight += REPEAT_WEIGHT * sum(idf.get(t, 0.0) for t in terms) - REPEAT_WEIGHT * sum(idf.get(t, 0.0) for t in distinct)
            tier = next((n for n, pattern in enumerate(wanted)
                         if weight > 0 and pattern.search(source_text, spans[i][0], spans[j][1])), len(wanted))
            key = (-tier, round(weight, 9), -(spans[j][1] - spans[i][0]))
            if best_key is None or key > best_key:
                best, best_key = (i, j), key
    i, j = best
    start, end = spans[i][0], spans[j][1]
    highlights = []
    for k in range(i, j + 1):
        offset = spans[k][0] - start
        highlights.extend((t.start + offset, t.end + offset) for t in matched_by_sentence[k])
    return Excerpt(start, end, tuple(highlights))
