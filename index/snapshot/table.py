"""Passages as arrays: a sequence of :class:`index.passages.Passage` made on demand.

A million passages held as Python objects cost about a second to make and hundreds of megabytes
(each with its own copy of its text). The table holds a few numbers a passage instead
(source, start, end, section, ordinal, and where its bytes are in its file with their digest,
``index.snapshot.places``) and makes the ``Passage`` of a row when it is asked for, equal to the
one :func:`index.passages.build_passages` makes: its text is sliced from the source's text (or,
for a source not kept in memory, read alone from the file and checked against its digest), its
id is ``<source-id>#<ordinal>`` (prose) or ``<source-id>@<entry-id>`` (timeline). Prose rows come
first, in source order; timeline rows follow, ``ordinal`` being the entry's position in the
corpus' timeline.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from index.corpus.model import Corpus
from index.corpus.records import DIGEST_BYTES, SourceChanged, StoredSource, passage_texts
from index.passages import Passage, prose_passage, source_spans, timeline_passage
from index.snapshot.places import places, unplaced


class Rows(NamedTuple):
    source: np.ndarray    # int32: index into corpus.sources
    start: np.ndarray     # int64: span in the source's text
    end: np.ndarray       # int64
    section: np.ndarray   # int32: index into the source's sections (-1 for a timeline row)
    ordinal: np.ndarray   # int32: n of "<id>#<n>", or the timeline entry's index
    place: np.ndarray     # int64 (n, 2): the passage's bytes in its file, or -1 (``index.snapshot.places``)
    digest: np.ndarray    # uint8 (n, DIGEST_BYTES): their digest

    @classmethod
    def empty(cls) -> Rows:
        return cls(*(np.zeros(0, t) for t in (np.int32, np.int64, np.int64, np.int32, np.int32)),
                   *unplaced(0))


def timeline_rows(corpus: Corpus) -> Rows:
    index = {s.id: i for i, s in enumerate(corpus.sources)}
    n = len(corpus.timeline)
    return Rows(np.array([index[e.source_id] for e in corpus.timeline], np.int32).reshape(n),
                np.array([e.text_start for e in corpus.timeline], np.int64).reshape(n),
                np.array([e.text_end for e in corpus.timeline], np.int64).reshape(n),
                np.full(n, -1, np.int32), np.arange(n, dtype=np.int32), *unplaced(n))


def prose_rows(corpus: Corpus, spans: Sequence[np.ndarray], placed: Sequence[np.ndarray],
               digests: Sequence[np.ndarray]) -> Rows:
    """The rows of the sources' passages from each source's ``(start, end, section)`` array and
    its passages' places and digests."""
    if not spans:
        return Rows.empty()
    counts = np.array([len(s) for s in spans], np.int64)
    both = np.concatenate([np.asarray(s, np.int64).reshape(-1, 3) for s in spans])
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return Rows(np.repeat(np.arange(len(spans), dtype=np.int32), counts), both[:, 0].copy(),
                both[:, 1].copy(), both[:, 2].astype(np.int32), (np.arange(len(both)) - first).astype(np.int32),
                np.concatenate([np.asarray(p, np.int64).reshape(-1, 2) for p in placed]),
                np.concatenate([np.asarray(d, np.uint8).reshape(-1, DIGEST_BYTES) for d in digests]))


def concat(a: Rows, b: Rows) -> Rows:
    return Rows(*(np.concatenate([x, y]) for x, y in zip(a, b, strict=True)))


class PassageTable(Sequence[Passage]):
    """The passages of one corpus snapshot (see the module docstring)."""

    def __init__(self, corpus: Corpus, rows: Rows):
        self.corpus = corpus
        self.rows = rows
        self._sources = corpus.sources
        self._n_prose = int(np.count_nonzero(rows.section >= 0))
        counts = np.bincount(rows.source[:self._n_prose], minlength=len(corpus.sources))
        self._first = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._source_index = {s.id: i for i, s in enumerate(corpus.sources)}
        self._timeline = {f"{corpus.timeline[int(o)].source_id}@{corpus.timeline[int(o)].id}": self._n_prose + k
                          for k, o in enumerate(rows.ordinal[self._n_prose:])}

    @classmethod
    def build(cls, corpus: Corpus) -> PassageTable:
        """Cut every source (``index.passages``) into a table: what a build without a cache does."""
        spans = [np.array(source_spans(s), np.int64).reshape(-1, 3) for s in corpus.sources]
        found = [places(s, a) for s, a in zip(corpus.sources, spans, strict=True)]
        prose = prose_rows(corpus, spans, [p for p, _ in found], [d for _, d in found])
        return cls(corpus, concat(prose, timeline_rows(corpus)))

    def __len__(self) -> int:
        return len(self.rows.start)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(k, alone=False) for k in range(*i.indices(len(self)))]
        k = int(i)
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("passage row out of range")
        return self._make(k)

    def __iter__(self) -> Iterator[Passage]:
        return (self._make(k, alone=False) for k in range(len(self)))

    def many(self, rows: Sequence[int]) -> list[Passage | SourceChanged]:
        """The passages of ``rows`` (a question's candidates), those read from their files read in
        one batch (``passage_texts``); a ``SourceChanged`` in place of one that cannot be served."""
        r, sources = self.rows, self._sources
        read = [k for k in map(int, rows) if k < self._n_prose and r.place[k, 0] >= 0
                and isinstance(sources[int(r.source[k])], StoredSource)]
        wanted = [(sources[int(r.source[k])], int(r.place[k, 0]), int(r.place[k, 1]), r.digest[k].tobytes(),
                   int(r.end[k] - r.start[k])) for k in read]
        texts = dict(zip(read, passage_texts(wanted), strict=True))
        out: list[Passage | SourceChanged] = []
        for k in map(int, rows):
            text = texts.get(k)
            out.append(text if isinstance(text, SourceChanged) else self._make(k, text=text))
        return out

    def _make(self, k: int, alone: bool = True, text: str | None = None) -> Passage:
        """Row ``k``'s passage. A source not kept in memory gives it from its own bytes, checked
        alone (``alone``: a question's few candidates), or, for a run of rows (iterating the
        table: the semantic stage's start), sliced from the whole text read and checked once
        per source, which costs far less than a read per passage."""
        r = self.rows
        source = self._sources[int(r.source[k])]
        if k >= self._n_prose:
            return timeline_passage(source, self.corpus.timeline[int(r.ordinal[k])])
        start, end = int(r.start[k]), int(r.end[k])
        if text is None and alone and isinstance(source, StoredSource) and r.place[k, 0] >= 0:
            text = source.passage_text(int(r.place[k, 0]), int(r.place[k, 1]), r.digest[k].tobytes(), end - start)
        return prose_passage(source, source.sections[int(r.section[k])], int(r.ordinal[k]), start, end, text)

    def row_of(self, passage_id: str) -> int | None:
        """The row of a passage id, or None."""
        if passage_id in self._timeline:
            return self._timeline[passage_id]
        source_id, sep, n = passage_id.partition("#")
        i = self._source_index.get(source_id)
        if not sep or i is None or not n.isdigit():
            return None
        row = int(self._first[i]) + int(n)
        return row if row < int(self._first[i + 1]) else None

    def by_id(self, passage_id: str) -> Passage | None:
        row = self.row_of(passage_id)
        return None if row is None else self._make(row)

    def timeline_rows(self) -> range:
        return range(self._n_prose, len(self))
