"""The per-source work of a build: cut each source into passages, read their terms and their
spelling words; on both cores when there is much of it.

A chunk of sources gives one :class:`Chunk`: the passages' spans (and their bytes' places and
digests, ``index.snapshot.places``) per source, the terms of every
passage as ids into the chunk's own term list, and each source's spelling words (folded words of
four letters or more, with counts) as ids into the chunk's own word list. Strings cross a process
boundary once per chunk, not once per passage. Workers are forked from the building process
(``index.rebuild``'s child or ``python -m bot build``), so they read the corpus already loaded
there; a build inside the serving process (``workers=1``) never forks.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from index.corpus.model import Source
from index.passages import source_spans
from index.snapshot.places import places
from index.text.nearwords import MIN_LENGTH
from index.text.tokenize import Tokenizer

# A chunk holds about this many characters of source text (a few thousand passages).
CHUNK_CHARS = 2_000_000
# Below this much text to read, forking workers costs more than it saves.
PARALLEL_CHARS = 20_000_000


@dataclass
class Chunk:
    spans: list[np.ndarray]        # per source: int64 (n, 3) start, end, section index
    places: list[np.ndarray]       # per source: int64 (n, 2) the passages' bytes in the file
    digests: list[np.ndarray]      # per source: uint8 (n, DIGEST_BYTES)
    terms: list[str]               # the chunk's term list
    term_ids: np.ndarray           # int32: every passage's terms, passage after passage
    lengths: np.ndarray            # int32: terms per passage
    words: list[str]               # the chunk's spelling word list
    word_ids: list[np.ndarray]     # per source: int32 ids into ``words``, first occurrence order
    word_counts: list[np.ndarray]  # per source: int64 counts


def speller_counts(folded: list[str]) -> Counter:
    """Counts of the words a speller keeps (``index.text.spelling``), first occurrence order."""
    return Counter({w: c for w, c in Counter(folded).items() if len(w) >= MIN_LENGTH and w.isalpha()})


def analyse(sources: Sequence[Source], tokenizer: Tokenizer) -> Chunk:
    spans, placed, digests, all_terms, lengths, counters = [], [], [], [], [], []
    for source in sources:
        cut = np.array(source_spans(source), np.int64).reshape(-1, 3)
        spans.append(cut)
        where, digest = places(source, cut)
        placed.append(where)
        digests.append(digest)
        folded: list[str] = []
        text, sections = source.text, source.sections
        for s, e, k in cut.tolist():
            title = sections[k].title
            if title:
                terms = tokenizer.terms(f"{title} {text[s:e]}", folded, tokenizer.word_count(title))
            else:
                terms = tokenizer.terms(text[s:e], folded)
            lengths.append(len(terms))
            all_terms.extend(terms)
        counters.append(speller_counts(folded))
    vocab = list(dict.fromkeys(all_terms))
    ids = dict(zip(vocab, range(len(vocab)), strict=True))
    term_ids = np.fromiter(map(ids.__getitem__, all_terms), np.int32, len(all_terms))
    words = list(dict.fromkeys(w for c in counters for w in c))
    wid = dict(zip(words, range(len(words)), strict=True))
    word_ids = [np.fromiter(map(wid.__getitem__, c), np.int32, len(c)) for c in counters]
    word_counts = [np.fromiter(c.values(), np.int64, len(c)) for c in counters]
    return Chunk(spans, placed, digests, vocab, term_ids, np.array(lengths, np.int32), words, word_ids, word_counts)


_JOB: tuple[Sequence[Source], Tokenizer] | None = None   # what forked workers read


def _run(bounds: tuple[int, int]) -> Chunk:
    sources, tokenizer = _JOB
    return analyse(sources[bounds[0]:bounds[1]], tokenizer)


def chunk_bounds(sources: Sequence[Source]) -> list[tuple[int, int]]:
    out, start, size = [], 0, 0
    for i, s in enumerate(sources):
        size += s.text_length   # known without reading a lazy source's file (its text is not)
        if size >= CHUNK_CHARS:
            out.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(sources):
        out.append((start, len(sources)))
    return out


def analyse_all(sources: Sequence[Source], tokenizer: Tokenizer, workers: int = 1) -> list[Chunk]:
    """The chunks of ``sources``, in order; forked workers when ``workers`` > 1 and it pays."""
    global _JOB
    bounds = chunk_bounds(sources)
    workers = min(workers, len(bounds), os.cpu_count() or 1)
    if workers <= 1 or sum(s.text_length for s in sources) < PARALLEL_CHARS:
        return [analyse(sources[a:b], tokenizer) for a, b in bounds]
    _JOB = (sources, tokenizer)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_run, bounds))
    finally:
        _JOB = None
