"""Cut sources into passages that know where they came from.

Prose: one passage per paragraph (never joined: two paragraphs of a source need not be adjacent in
the original page, so a joined quote could hide an omission); long paragraphs are cut at sentence
boundaries (``. ! ? …`` before a space, ``。！？`` anywhere) into windows of about 40-120 words.
Every passage is bounded: at most ``MAX_WORDS`` words and ``MAX_CHARS`` characters. A sentence
longer than that is cut into windows of words, and a "word" longer than ``MAX_CHARS`` (text
without spaces, such as Chinese or Japanese) into windows of characters.
Timeline entries are passages of their own, so a date always travels with its event.
Every passage's text is exactly ``source.text[start:end]``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from index.corpus.model import Corpus, Section, Source, TimelineEntry

MAX_WORDS = 120
TARGET_WORDS = 80
MAX_CHARS = 1200

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_WORD = re.compile(r"\S+")
# A sentence ends at . ! ? … (plus closing quotes/brackets) followed by whitespace, unless the
# period ends a common abbreviation ("Mrs. Tang", "Jan. 28", "Lt. Lu").
# 。！？ end a sentence with or without a space after them (closing 」』）” too).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|[。！？]+[」』”’）)\]\"']*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr lt col gen capt sgt prof rev no vs etc e.g i.e approx ca "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass(frozen=True)
class Passage:
    id: str                     # "<source-id>#<n>" or "<source-id>@<timeline-entry-id>"
    source_id: str
    section: str | None         # section title (None: the source's main text)
    attribution: str
    start: int                  # span in the source's text
    end: int
    text: str                   # == source.text[start:end]
    kind: str = "prose"         # "prose" or "timeline"
    date_text: str | None = None
    date: str | None = None     # normalized ISO date of a timeline entry
    year_inferred: bool = False

    @property
    def is_timeline(self) -> bool:
        return self.kind == "timeline"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the non-empty paragraphs of ``text[start:end]``."""
    pos = start
    for m in _PARAGRAPH_BREAK.finditer(text, start, end):
        s, e = _trimmed(text, pos, m.start())
        if s < e:
            yield s, e
        pos = m.end()
    s, e = _trimmed(text, pos, end)
    if s < e:
        yield s, e


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` (never cut inside a word)."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        word = text[text.rfind(" ", pos, m.start()) + 1:m.start()].strip("(\"“'").casefold()
        if m.group().startswith(".") and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        s, e = _trimmed(text, pos, m.end())
        if s < e:
            spans.append((s, e))
        pos = m.end()
    s, e = _trimmed(text, pos, end)
    if s < e:
        spans.append((s, e))
    return spans


def _word_count(text: str, start: int, end: int) -> int:
    # str.split and the regex's \S+ split at the same (Unicode) whitespace; split is 5x faster
    return len(text[start:end].split())


def _fits(text: str, start: int, end: int) -> bool:
    return end - start <= MAX_CHARS and _word_count(text, start, end) <= MAX_WORDS


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence as it is if it fits, else windows of up to TARGET_WORDS words (and MAX_CHARS
    characters; a longer word is cut into windows of MAX_CHARS characters)."""
    if _fits(text, start, end):
        yield start, end
        return
    win_start, words, prev_end = None, 0, start
    for m in _WORD.finditer(text, start, end):
        s, e = m.span()
        if win_start is not None and (words == TARGET_WORDS or e - win_start > MAX_CHARS):
            yield win_start, prev_end
            win_start, words = None, 0
        while e - s > MAX_CHARS:  # a run without spaces
            yield s, s + MAX_CHARS
            s += MAX_CHARS
        if win_start is None:
            win_start = s
        words += 1
        prev_end = e
    if win_start is not None:
        yield win_start, prev_end


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a long paragraph at sentence boundaries into windows of at most MAX_WORDS words and
    MAX_CHARS characters."""
    if _fits(text, start, end):
        yield start, end
        return
    win_start, win_words, prev_end = None, 0, start
    for sent_s, sent_e in sentences(text, start, end):
        for s, e in _bounded(text, sent_s, sent_e):
            n = _word_count(text, s, e)
            if win_start is not None and (win_words + n > MAX_WORDS or e - win_start > MAX_CHARS):
                yield win_start, prev_end
                win_start, win_words = None, 0
            if win_start is None:
                win_start = s
            win_words += n
            prev_end = e
    if win_start is not None:
        yield win_start, prev_end


def source_spans(source: Source) -> list[tuple[int, int, int]]:
    """``(start, end, section index)`` of each prose passage of ``source``, in order."""
    out: list[tuple[int, int, int]] = []
    text = source.text
    for k, section in enumerate(source.sections):
        if section.kind == "timeline":   # quoted through timeline.yaml
            continue
        for p_start, p_end in paragraphs(text, section.start, section.end):
            out.extend((s, e, k) for s, e in _windows(text, p_start, p_end))
    return out


def source_passages(source: Source) -> list[Passage]:
    return [prose_passage(source, source.sections[k], n, s, e)
            for n, (s, e, k) in enumerate(source_spans(source))]


def prose_passage(source: Source, section: Section, n: int, s: int, e: int, text: str | None = None) -> Passage:
    """The passage ``source.text[s:e]`` (``text``: that text, already read and verified)."""
    return Passage(
        id=f"{source.id}#{n}", source_id=source.id, section=section.title,
        attribution=section.attribution, start=s, end=e, text=source.text[s:e] if text is None else text,
    )


def section_at(source: Source, offset: int) -> Section | None:
    for section in source.sections:
        if section.start <= offset < section.end:
            return section
    return None


def timeline_passage(source: Source, entry: TimelineEntry) -> Passage:
    section = section_at(source, entry.text_start)
    attribution = section.attribution if section else f"{source.title} ({source.publisher})"
    return Passage(
        id=f"{source.id}@{entry.id}", source_id=source.id,
        section=section.title if section else None, attribution=attribution,
        start=entry.text_start, end=entry.text_end, text=entry.text,   # == source.text[start:end], held since the load
        kind="timeline", date_text=entry.date_text, date=entry.date, year_inferred=entry.year_inferred,
    )


def passage_count(corpus: Corpus) -> int:
    """How many passages ``build_passages`` makes, without making them."""
    return sum(len(source_spans(s)) for s in corpus.sources) + len(corpus.timeline)


def build_passages(corpus: Corpus) -> list[Passage]:
    passages: list[Passage] = []
    for source in corpus.sources:
        passages.extend(source_passages(source))
    for entry in corpus.timeline:
        passages.append(timeline_passage(corpus.source_by_id[entry.source_id], entry))
    return passages
