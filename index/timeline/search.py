"""Timeline search: look entries up by date, by words, or both; choices for Discord autocomplete.

``TimelineSearch(entries, tokenize)`` is immutable once built and safe to query from any thread.
``tokenize`` is the project's tokenizer (the same one used for BM25); this module never imports
it, so tests can pass a simple one.

How a query is read (``search``):

1. empty or whitespace -> every entry (``kind="all"``);
2. the whole query is a date or range (``parse_date_query``) -> entries overlapping it, those
   inside it first, then those around it ("December 1937" for "Dec 13"), each in date order
   (``kind="date"``); nothing there -> ``suggestions``: the nearest entry before and after
   (ties included, at most 3);
3. a date inside words (``Dec 1937 safety zone``, ``what happened on dec 13``) -> entries on
   that date that contain all the words, else any of them (``partial``); when none contains any,
   the words are taken as filler and the date alone decides (``kind="date"``);
4. words -> entries containing all query tokens in date order, else entries containing any
   (``partial=True``), ranked by how many then date (``kind="words"``); nothing -> suggestions
   of entries with a word starting like a query word;
5. a date-like but impossible query (``Feb 30``) -> ``kind="none"`` and ``error`` set, e.g.
   ``“Feb 30” is not a valid date: February has at most 29 days``. ``kind="none"`` also when
   nothing searchable is left (only stopwords or punctuation).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from index.corpus.model import TimelineEntry
from index.dates import (
    DAY,
    MONTH,
    MONTH_NAMES,
    NO_DISTANCE,
    DateQuery,
    DateSpan,
    InvalidDate,
    extract_date_query,
    format_date,
    parse_date_query,
)
from index.dates.tokens import unify_dashes
from index.text.cut import cut
from index.text.verbatim import normalize_ws

__all__ = ["TimelineResult", "TimelineSearch", "MAX_CHOICES", "MAX_CHOICE_CHARS"]

MAX_CHOICES = 25          # Discord: at most 25 autocomplete choices
MAX_CHOICE_CHARS = 100    # Discord: choice name and value 1-100 characters
MAX_SUGGESTIONS = 3
_AUTOCOMPLETE_CHARS = 200  # autocomplete looks at the start of what is typed only

_RAW_WORD_RE = re.compile(r"[^\W_]+")
_KEY_DROP_RE = re.compile(r"[.,]")
_KEY_DASH_RE = re.compile(r"\s*-\s*")


@dataclass(frozen=True)
class TimelineResult:
    query: str
    kind: str                                  # "date" | "words" | "all" | "none"
    entries: list[TimelineEntry] = field(default_factory=list)
    suggestions: list[TimelineEntry] = field(default_factory=list)
    error: str | None = None                   # set for an impossible date ("Feb 30")
    date: DateQuery | None = None              # the date the query was read as, if any
    terms: tuple[str, ...] = ()                # the query's word tokens used for matching
    partial: bool = False                      # words: no entry has them all; entries have some
    total: int = 0                             # matches before ``limit`` was applied


@dataclass(frozen=True)
class _Item:
    entry: TimelineEntry
    span: DateSpan
    order: int
    tokens: frozenset[str]     # the tokenizer's terms of text + date_text
    words: frozenset[str]      # raw case-folded words, for prefix matching while typing
    keys: tuple[str, ...]      # normalized ways to write its date, for prefix matching
    label: str


def _clean(text: str) -> str:
    """``text`` without invisible format characters, stripped."""
    return "".join(c for c in text if c.isascii() or unicodedata.category(c) != "Cf").strip()


def _raw_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", _clean(text)).casefold()
    return _RAW_WORD_RE.findall(text)


def _key(text: str) -> str:
    """Normalize a way of writing a date for prefix comparison: ``Dec. 14 -21`` -> ``dec 14-21``."""
    text = unify_dashes(unicodedata.normalize("NFKC", _clean(text)).casefold())
    return _KEY_DASH_RE.sub("-", normalize_ws(_KEY_DROP_RE.sub(" ", text)))


def _date_keys(entry: TimelineEntry, span: DateSpan) -> tuple[str, ...]:
    keys = [entry.date_text, entry.date, format_date(span)]
    d = span.start
    names = (MONTH_NAMES[d.month - 1], MONTH_NAMES[d.month - 1][:3])
    if span.precision == DAY:
        for n in names:
            keys += [f"{n} {d.day}", f"{d.day} {n}", f"{n} {d.day} {d.year}", f"{d.day} {n} {d.year}"]
    elif span.precision == MONTH:
        for n in names:
            keys += [f"{n} {d.year}", n]
    return tuple(dict.fromkeys(k for k in (_key(k) for k in keys) if k))


def _one_line(text: str, limit: int = MAX_CHOICE_CHARS) -> str:
    """``text`` on one line in at most ``limit`` characters (an autocomplete label)."""
    return cut(normalize_ws(text), limit)


def _limited(items: list, limit: int | None) -> list:
    if limit is None:
        return items
    return items[:max(0, limit)]


class TimelineSearch:
    """Date and word search over timeline entries."""

    def __init__(self, entries: Sequence[TimelineEntry], tokenize: Callable[[str], list[str]]):
        self._tokenize = tokenize
        prepared = [(entry.span, entry) for entry in entries]
        prepared.sort(key=lambda p: (p[0].start, p[0].end, p[1].id))
        items = []
        for order, (span, entry) in enumerate(prepared):
            tokens = frozenset(tokenize(entry.text)) | frozenset(tokenize(entry.date_text))
            words = frozenset(_raw_words(f"{entry.text} {entry.date_text}"))
            label = _one_line(f"{format_date(span)} — {entry.text}") or _one_line(entry.date)
            items.append(_Item(entry, span, order, tokens, words, _date_keys(entry, span), label))
        self._items: tuple[_Item, ...] = tuple(items)
        self._by_id = {id(it.entry): it for it in items}

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self._items)

    def all(self) -> list[TimelineEntry]:
        """Every entry, sorted by (start, end, id)."""
        return [it.entry for it in self._items]

    def span(self, entry: TimelineEntry) -> DateSpan:
        """The parsed date of one of this timeline's entries."""
        return entry.span

    def label(self, entry: TimelineEntry) -> str:
        """``"13 August 1937 — Japanese attack Shanghai"``, at most 100 characters."""
        item = self._by_id.get(id(entry))
        if item is not None:
            return item.label
        return _one_line(f"{format_date(entry.span)} — {entry.text}")

    def _terms(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._tokenize(text)))

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int | None = None) -> TimelineResult:
        """Entries for a date, words, or both; see the module docstring."""
        query = query if isinstance(query, str) else ""
        if not _clean(query):
            entries = self.all()
            return TimelineResult(query, "all", _limited(entries, limit), total=len(entries))
        try:
            date_query = parse_date_query(query)
            if date_query is not None:
                return self._by_date(query, date_query, (), limit)
            found = extract_date_query(query)
        except InvalidDate as exc:
            return TimelineResult(query, "none", error=str(exc))
        if found is not None:
            rest = f"{query[:found.start]} {query[found.end:]}"
            return self._by_date(query, found.query, self._terms(rest), limit)
        terms = self._terms(query)
        if not terms:
            return TimelineResult(query, "none")
        return self._by_words(query, terms, limit)

    def _by_date(self, query: str, date_query: DateQuery, terms: tuple[str, ...],
                 limit: int | None) -> TimelineResult:
        # the entries inside the asked dates first ("December 13" for "Dec 13"), then those around
        # them ("December 1937"), each in date order
        hits = sorted((it for it in self._items if date_query.matches(it.span)),
                      key=lambda it: not date_query.holds(it.span))
        partial = False
        if hits and terms:
            wanted = set(terms)
            every = [it for it in hits if wanted <= it.tokens]
            if every:
                hits = every
            else:
                some = self._rank_any(hits, wanted)
                if some:
                    hits, partial = some, True
                # else: the words matched nothing on that date; they were filler
        entries = [it.entry for it in hits]
        suggestions = [] if hits else self._nearest(date_query)
        return TimelineResult(query, "date", _limited(entries, limit), suggestions, None,
                              date_query, terms, partial, len(entries))

    def _by_words(self, query: str, terms: tuple[str, ...], limit: int | None) -> TimelineResult:
        wanted = set(terms)
        hits = [it for it in self._items if wanted <= it.tokens]
        partial = False
        if not hits:
            hits = self._rank_any(self._items, wanted)
            partial = bool(hits)
        entries = [it.entry for it in hits]
        suggestions = [] if hits else self._similar(terms)
        return TimelineResult(query, "words", _limited(entries, limit), suggestions, None, None,
                              terms, partial, len(entries))

    @staticmethod
    def _rank_any(items: Iterable[_Item], wanted: set[str]) -> list[_Item]:
        scored = [(len(wanted & it.tokens), it) for it in items]
        return [it for n, it in sorted((s for s in scored if s[0]), key=lambda s: (-s[0], s[1].order))]

    def _nearest(self, date_query: DateQuery) -> list[TimelineEntry]:
        """The nearest entries before and after a date that matched nothing (ties kept, <= 3)."""
        before: list[tuple[int, _Item]] = []
        after: list[tuple[int, _Item]] = []
        for it in self._items:
            days, side = date_query.gap(it.span)
            if days >= NO_DISTANCE or side == 0:
                continue
            (before if side < 0 else after).append((days, it))
        chosen: list[tuple[int, _Item]] = []
        for side in (before, after):
            if side:
                best = min(d for d, _ in side)
                chosen += [(d, it) for d, it in side if d == best]
        chosen.sort(key=lambda c: (c[0], c[1].order))
        return [it.entry for _, it in sorted(chosen[:MAX_SUGGESTIONS], key=lambda c: c[1].order)]

    def _similar(self, terms: tuple[str, ...]) -> list[TimelineEntry]:
        """Entries with a word that starts like a query word (or the other way round)."""
        stems = [t for t in terms if len(t) >= 3]
        scored = []
        for it in self._items:
            vocab = it.tokens | it.words
            n = sum(1 for t in stems
                    if any(len(w) >= 3 and (w.startswith(t) or t.startswith(w)) for w in vocab))
            if n:
                scored.append((-n, it.order, it))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [it.entry for _, _, it in scored[:MAX_SUGGESTIONS]]

    # ------------------------------------------------------------------ autocomplete

    def choice(self, entry: TimelineEntry) -> tuple[str, str]:
        """(label, value) for one entry; searching ``value`` finds the entry."""
        return self.label(entry), entry.date[:MAX_CHOICE_CHARS]

    def autocomplete(self, current: str, limit: int = MAX_CHOICES) -> list[tuple[str, str]]:
        """Up to ``limit`` (and at most 25) ``(label, value)`` choices for what is being typed.

        Empty: the first entries in date order. Otherwise entries whose date matches, then whose
        date starts like it (``dec 1`` -> 14–21 December), then whose words start like every
        typed word (``saf`` -> Safety), then the word search's results.
        """
        limit = max(0, min(int(limit), MAX_CHOICES))
        if limit == 0:
            return []
        current = (current if isinstance(current, str) else "")[:_AUTOCOMPLETE_CHARS]
        if not _clean(current):
            return [self.choice(it.entry) for it in self._items[:limit]]
        picked: dict[int, _Item] = {}

        def add(items: Iterable[_Item]) -> None:
            for it in items:
                if len(picked) >= limit:
                    return
                picked.setdefault(it.order, it)

        result = self.search(current)
        by_entry = self._by_id
        if result.kind == "date":
            add(by_entry[id(e)] for e in result.entries)
        key = _key(current)
        if key:
            add(it for it in self._items if any(k.startswith(key) for k in it.keys))
        typed = _raw_words(current)
        if typed:
            add(it for it in self._items
                if all(any(w.startswith(t) for w in it.words | it.tokens) for t in typed))
        if result.kind == "words":
            add(by_entry[id(e)] for e in result.entries)
        return [self.choice(it.entry) for it in list(picked.values())[:limit]]
