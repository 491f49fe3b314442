"""The corpus as data: what ``index.corpus.loader.load_corpus`` returns. Immutable once loaded."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from index.dates.spans import DateSpan, parse_iso

_NUMBERED_TITLE = re.compile(r"^\s*(\D*?\S)\s+(\d{1,4})\s*$")


@dataclass(frozen=True)
class Section:
    """A part of a source's text with its own attribution.

    ``start``/``end`` are character offsets of the section's text in ``Source.text``
    (the heading line itself is not part of the quotable text).
    """

    title: str | None          # None for text before the first heading
    start: int
    end: int
    attribution: str           # who says this, e.g. "Reader comment 3 on the blog post ..."
    context: str | None = None  # note shown with every quote from this section (after the source's)
    # "prose"; "plot" (a film's story told: prose that "in the film" questions prefer); or
    # "timeline" (quoted via timeline.yaml, not as prose passages)
    kind: str = "prose"


def attribution_of(attribution: str | None, title: str | None, publisher: str | None) -> str:
    """A source's own attribution: its front matter's, or else its title and publisher."""
    return attribution or f"{title} ({publisher})"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str                  # film-website / blog-post / film-page / ...
    publisher: str
    seed: str
    text: str                  # the body after the front matter, verbatim (headings included)
    sections: tuple[Section, ...]
    path: Path
    url: str | None = None
    context: str | None = None
    about: tuple[str, ...] = ()
    body_line: int = 1         # 1-based line in ``path`` where ``text`` starts
    attribution: str | None = None   # the front matter's: the source's own voice

    @property
    def own_attribution(self) -> str:
        """Who the source's own text is by: its sections without an attribution of their own
        (an excerpt it quotes or a reader's comment has one) are attributed so."""
        return attribution_of(self.attribution, self.title, self.publisher)

    @property
    def text_length(self) -> int:
        """``len(self.text)`` (known without reading the text of a source read lazily)."""
        return len(self.text)

    def section_titled(self, title: str | None) -> Section | None:
        """The section a passage names (``Passage.section``; None: the text before any heading)."""
        return next((s for s in self.sections if s.title == title), None)


@dataclass(frozen=True)
class TimelineEntry:
    id: str                    # stable, e.g. "t07"
    date_text: str             # the date as the source writes it (verbatim in the source)
    date: str                  # normalized ISO: "1937-12-13", "1937-12", "1937", or "start/end"
    precision: str             # "day" / "month" / "year"
    year_inferred: bool
    text: str                  # the event, verbatim from the source
    source_id: str
    text_start: int            # character span of ``text`` in the source's text
    text_end: int
    note: str | None = None
    span: DateSpan | None = field(default=None, compare=False, repr=False)  # what ``date`` means

    def __post_init__(self) -> None:
        if self.span is None:  # built by hand (the loader passes the span it read)
            try:
                object.__setattr__(self, "span", parse_iso(self.date))
            except ValueError as exc:
                raise ValueError(f"timeline entry {self.id!r}: {exc}") from exc


# The kinds of entity that are someone: played by an actor, "he" or "she" of a question
PEOPLE = frozenset({"person", "character"})


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str                  # person / film / documentary / character / place / event / organisation / ...
    aliases: tuple[str, ...] = ()
    gender: str | None = None  # "female" / "male": whom "she" or "he" of a follow-up may mean
    within: tuple[str, ...] = ()   # a place: the ids of the places it lies in (Nanking: China)


@dataclass(frozen=True)
class Corpus:
    root: Path
    sources: tuple[Source, ...]
    timeline: tuple[TimelineEntry, ...]
    entities: tuple[Entity, ...]
    content_hash: str = ""     # sha256 over every file's bytes, for index caching
    source_by_id: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)
    # source id -> SHA-256 of its file (what an index version reuses per source); empty when
    # the corpus was made by hand
    source_hashes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # source id -> its file's stat signature (``index.corpus.files.signature``) when that SHA-256
    # was taken, for files not changed just before (a build records it: the next build in a
    # child process may take the SHA-256 of a file that still has it without reading the file)
    source_stats: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def entity_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @cached_property
    def regions(self) -> dict[str, frozenset[str]]:
        """Place id -> the places it lies within, directly or through another (Nanking: China, Asia)."""
        out: dict[str, frozenset[str]] = {}
        for entity in self.entities:
            found, todo = set(), list(entity.within)
            while todo:
                place = todo.pop()
                if place not in found and place in self.entity_by_id:
                    found.add(place)
                    todo.extend(self.entity_by_id[place].within)
            out[entity.id] = frozenset(found - {entity.id})
        return out

    @cached_property
    def sources_about(self) -> dict[str, frozenset[str]]:
        """Entity id -> the ids of the sources that say they are about it (front matter ``about``)."""
        out: dict[str, set[str]] = {}
        for source in self.sources:
            for entity_id in source.about:
                out.setdefault(entity_id, set()).add(source.id)
        return {e: frozenset(ids) for e, ids in out.items()}

    @cached_property
    def text_length(self) -> int:
        """Characters of source text in all (what a build reads, known without reading it)."""
        return sum(s.text_length for s in self.sources)

    @cached_property
    def kinds(self) -> frozenset[str]:
        """The kinds of source there are (a large corpus has thousands of sources and a few kinds)."""
        return frozenset(s.kind for s in self.sources)

    @cached_property
    def numbered_sections(self) -> dict[str, dict[str, dict[int, str]]]:
        """Sections titled "<words> <number>" ("Comment 2"): folded words -> source id -> number ->
        title, so a question can point at one ("the second comment")."""
        out: dict[str, dict[str, dict[int, str]]] = {}
        for source in self.sources:
            for section in source.sections:
                found = _NUMBERED_TITLE.match(section.title or "")
                if found:
                    head, number = found.group(1).casefold(), int(found.group(2))
                    out.setdefault(head, {}).setdefault(source.id, {})[number] = section.title
        return out

    @property
    def titles(self) -> dict[str, str]:
        """Source id -> title, for listing where quotes and entries come from."""
        return {s.id: s.title for s in self.sources}

    def __post_init__(self) -> None:
        if not self.source_by_id:
            object.__setattr__(self, "source_by_id", {s.id: s for s in self.sources})
