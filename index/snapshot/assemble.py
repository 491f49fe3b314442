"""Put a snapshot together from per-source pieces: sources read now (``work``) and sources
unchanged since the previous version (same file at the same path, same SHA-256, same entities
and code), whose passages, terms and spelling words are taken from that version as they are.

The result is what a build from scratch gives: the same passages in the same order, each with
the same multiset of terms (so the same BM25 scores), and the same spelling vocabulary in the
same order. Only term ids may be numbered differently, which no answer can see.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.corpus.model import Corpus
from index.passages import timeline_passage
from index.snapshot.order import first_order
from index.snapshot.table import Rows, concat, prose_rows, timeline_rows
from index.snapshot.work import analyse_all, speller_counts
from index.text.tokenize import Tokenizer, folded_words


@dataclass
class Previous:
    """What a version keeps for the next build (``index.snapshot.files``)."""

    keys: dict[tuple[str, str], int]   # (source id, file sha256) -> its position in that version
    rows: Rows
    vocab: list[str]
    tokens: np.ndarray        # int32, passage after passage
    lengths: np.ndarray       # int64 terms per passage (prose and timeline)
    words: list[str]
    word_offsets: np.ndarray  # int64 per source
    word_ids: np.ndarray      # int32
    word_counts: np.ndarray   # int64
    df: np.ndarray            # int64 per term of ``vocab``: the passages holding it


@dataclass
class Built:
    rows: Rows
    vocab: list[str]
    tokens: np.ndarray        # int32 term ids, passage after passage
    offsets: np.ndarray       # int64 [n_passages + 1]
    words: list[str]          # spelling words, first occurrence order
    counts: np.ndarray        # int64
    word_offsets: np.ndarray  # per source, into word_ids / word_counts
    word_ids: np.ndarray
    word_counts: np.ndarray
    reused: int               # sources taken from the previous version


class _Ids:
    """Strings -> dense ids, each list of strings mapped once (the list is kept, so its id()
    is never another list's)."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self._maps: dict[int, tuple[list[str], np.ndarray]] = {}

    def of(self, strings: list[str]) -> np.ndarray:
        key = id(strings)
        if key not in self._maps:
            ids = self.ids
            mapped = np.fromiter((ids.setdefault(s, len(ids)) for s in strings), np.int32, len(strings))
            self._maps[key] = (strings, mapped)
        return self._maps[key][1]


def _pieces(corpus: Corpus, previous: Previous | None, tokenizer: Tokenizer, workers: int):
    """Per source: ("old", j) or ("new", chunk, k); and how many were reused."""
    plan, fresh = [], []
    for i, source in enumerate(corpus.sources):
        j = previous.keys.get((source.id, corpus.source_hashes.get(source.id, ""))) if previous else None
        plan.append(j)
        if j is None:
            fresh.append(i)
    chunks = analyse_all([corpus.sources[i] for i in fresh], tokenizer, workers)
    where = iter((c, k) for c in chunks for k in range(len(c.spans)))
    return [("old", j) if j is not None else ("new", *next(where)) for j in plan], len(plan) - len(fresh)


def assemble(corpus: Corpus, tokenizer: Tokenizer, previous: Previous | None = None, workers: int = 1) -> Built:
    pieces, reused = _pieces(corpus, previous, tokenizer, workers)
    terms, words = _Ids(), _Ids()
    spans, placed, digests, toks, fresh, lens, wids, wcounts = [], [], [], [], [], [], [], []
    chunk_pos: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if previous is not None:   # mapped first: their ids stay as they are, slices are taken as they are
        terms.of(previous.vocab)
        words.of(previous.words)
        prev_first = np.concatenate([[0], np.cumsum(np.bincount(previous.rows.source[previous.rows.section >= 0],
                                                                minlength=len(previous.keys)))])
        prev_off = np.concatenate([[0], np.cumsum(previous.lengths)])
    for piece in pieces:
        if piece[0] == "old":
            j = piece[1]
            a, b = int(prev_first[j]), int(prev_first[j + 1])
            r = previous.rows
            spans.append(np.stack([r.start[a:b], r.end[a:b], r.section[a:b].astype(np.int64)], axis=1))
            placed.append(r.place[a:b])
            digests.append(r.digest[a:b])
            toks.append(previous.tokens[prev_off[a]:prev_off[b]])
            lens.append(previous.lengths[a:b])
            w0, w1 = int(previous.word_offsets[j]), int(previous.word_offsets[j + 1])
            wids.append(previous.word_ids[w0:w1])
            wcounts.append(previous.word_counts[w0:w1])
            continue
        chunk, k = piece[1], piece[2]
        if id(chunk) not in chunk_pos:
            passages = np.concatenate([[0], np.cumsum([len(s) for s in chunk.spans])])
            chunk_pos[id(chunk)] = (passages, np.concatenate([[0], np.cumsum(chunk.lengths, dtype=np.int64)]))
        passages, tok_off = chunk_pos[id(chunk)]
        a, b = int(passages[k]), int(passages[k + 1])
        spans.append(chunk.spans[k])
        placed.append(chunk.places[k])
        digests.append(chunk.digests[k])
        toks.append(terms.of(chunk.terms)[chunk.term_ids[tok_off[a]:tok_off[b]]])
        fresh.append(toks[-1])
        lens.append(chunk.lengths[a:b].astype(np.int64))
        wids.append(words.of(chunk.words)[chunk.word_ids[k]])
        wcounts.append(chunk.word_counts[k])
    extra_terms, extra_lens, extra_words = _timeline_and_names(corpus, tokenizer)
    toks.append(terms.of(extra_terms) if extra_terms else np.zeros(0, np.int32))
    fresh.append(toks[-1])
    lens.append(np.array(extra_lens, np.int64))
    kept = _kept_terms(previous, [p[1] for p in pieces if p[0] == "old"]) if previous is not None else None
    del pieces, chunk_pos   # the workers' chunks: every term id is in ``toks`` now
    used = _used(len(terms.ids), kept, fresh)
    rows = concat(prose_rows(corpus, spans, placed, digests), timeline_rows(corpus))
    return _finish(rows, toks, lens, wids, wcounts, terms, words, extra_words, reused, used)


def _kept_terms(previous: Previous, taken: list[int]) -> np.ndarray | None:
    """Which of the previous version's terms the passages taken from it hold: its document
    frequencies less those of the passages not taken (changed or removed sources, and the
    timeline, always read again), so a reload never scans every token for it. None when
    most passages were not taken (then the scan costs less)."""
    first = np.concatenate([[0], np.cumsum(np.bincount(previous.rows.source[previous.rows.section >= 0],
                                                       minlength=len(previous.keys)))])
    gone = np.ones(len(previous.keys), bool)
    gone[taken] = False
    blocks = [(int(first[j]), int(first[j + 1])) for j in np.flatnonzero(gone).tolist()]
    blocks.append((int(first[-1]), len(previous.lengths)))   # the timeline's passages
    off = np.concatenate([[0], np.cumsum(previous.lengths)])
    if sum(int(off[b] - off[a]) for a, b in blocks) * 2 > len(previous.tokens):
        return None
    v = len(previous.vocab)
    if not v:
        return np.zeros(0, bool)
    pairs = np.concatenate([np.repeat(np.arange(a, b, dtype=np.int64), previous.lengths[a:b]) * v
                            + previous.tokens[off[a]:off[b]] for a, b in blocks])
    left = previous.df - np.bincount(np.unique(pairs) % v, minlength=v)
    return left > 0 if left.min(initial=0) >= 0 else None


def _used(n: int, kept: np.ndarray | None, fresh: list[np.ndarray]) -> np.ndarray | None:
    """Which term ids any passage holds (None: scan every token for it)."""
    if kept is None:
        return None
    used = np.zeros(n, bool)
    used[:len(kept)] = kept
    for ids in fresh:
        used[ids] = True
    return used


def _timeline_and_names(corpus: Corpus, tokenizer: Tokenizer) -> tuple[list[str], list[int], Counter]:
    """Terms of the timeline passages (and their lengths), and the spelling words the timeline
    passages and the entities' names add, in order."""
    all_terms, lengths, folded = [], [], []
    for entry in corpus.timeline:
        p = timeline_passage(corpus.source_by_id[entry.source_id], entry)
        t = tokenizer.terms(" ".join(x for x in (p.date_text, p.section, p.text) if x))
        all_terms.extend(t)
        lengths.append(len(t))
        folded.extend(folded_words(p.text))
    for entity in corpus.entities:
        for alias in (entity.name, *entity.aliases):
            # not its words in lower case: words of its language ("masacre" of "masacre de
            # Nankín" is a typo of "massacre" in an English question), not the name's own
            folded.extend(folded_words(alias, capitalised=True))
    return all_terms, lengths, speller_counts(folded)


def _finish(rows: Rows, toks, lens, wids, wcounts, terms: _Ids, words: _Ids, extra_words: Counter,
            reused: int, used: np.ndarray | None) -> Built:
    flat = np.concatenate(toks) if toks else np.zeros(0, np.int32)
    toks.clear()
    vocab_all = list(terms.ids)
    if used is None:
        used = np.bincount(flat, minlength=len(vocab_all)) > 0
    if used.all():   # no term left unused: ids as they are
        vocab, tokens = vocab_all, flat
    else:
        remap = (np.cumsum(used) - 1).astype(np.int32)
        vocab = [t for t, u in zip(vocab_all, used.tolist(), strict=True) if u]
        tokens = remap[flat]
    del flat
    lengths = np.concatenate(lens) if lens else np.zeros(0, np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    # spelling words: sources in order, then the timeline's and the names' words
    extra_ids = words.of(list(extra_words))
    per_source = np.array([len(w) for w in wids], np.int64)
    seq = np.concatenate([*wids, extra_ids]) if wids or len(extra_ids) else np.zeros(0, np.int32)
    seq_counts = np.concatenate([*wcounts, np.fromiter(extra_words.values(), np.int64, len(extra_words))])
    words_all = list(words.ids)
    order = first_order(seq, len(words_all))
    position = np.full(max(len(words_all), 1), -1, np.int64)
    position[order] = np.arange(len(order))
    totals = np.rint(np.bincount(seq, weights=seq_counts.astype(np.float64),
                                 minlength=len(words_all))).astype(np.int64)
    n_src = int(per_source.sum())
    return Built(rows, vocab, tokens, offsets, [words_all[i] for i in order.tolist()],
                 totals[order], np.concatenate([[0], np.cumsum(per_source)]).astype(np.int64),
                 position[seq[:n_src]].astype(np.int32), seq_counts[:n_src].astype(np.int64), reused)
