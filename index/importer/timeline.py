"""Proposed ``timeline.yaml`` entries, read with the project's date reader (``index.dates``).

* The timeline section: each date line with the event line after it. A date without a year
  takes the year of the entry before it (the next year when the month goes back, ``December 21``
  then ``Jan. 28``); the first one takes the year the narrative gives for that month
  (``In August 1937`` -> ``August 13`` is 1937). An event line with no date of its own takes the
  date of the narrative sentence that shares most of its words. Both are flagged
  ``year_inferred`` with a note saying where the year came from.
* The narrative: every sentence holding a date; a sentence with two dates is cut into its two
  clauses (``By November 12th, Shanghai had fallen`` / ``by December 13th, the Japanese ...``).
  A date without a year takes the narrative's running year (the next one when the month goes
  back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.dates import DAY, MONTH, YEAR, InvalidDate, extract_date_query, parse_date_query, read_iso
from index.importer.blocks import HEADING, Block, split_sentences, words
from index.importer.structure import is_date_line

__all__ = ["ProposedEntry", "propose_timeline"]


@dataclass
class ProposedEntry:
    date_text: str
    date: str
    year_inferred: bool
    text: str
    note: str | None = None
    origin: str = "narrative"   # or "timeline section"


@dataclass
class _Found:
    start: int
    end: int
    text: str
    q: object   # DateQuery


_AMBIGUOUS = re.compile(r"\b(?:By|In|Until|From|Since|During|Early|Late|Mid)\s+(March|May)\b(?!\s*\d)")
_LEAD = re.compile(r"\b(by|in|on|since|until|from|after|before|during|around)\s+$", re.I)


def _point(d: date, precision: str) -> str:
    """One end of a corpus date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), as ``read_iso`` reads it."""
    return d.isoformat() if precision == DAY else f"{d.year:04d}-{d.month:02d}" if precision == MONTH \
        else f"{d.year:04d}"


def _iso(q, year: int | None) -> tuple[str, bool] | None:
    """The normalized date of a query, a missing year replaced by ``year``; None if unknown."""
    start, end = q.start, q.end
    inferred = not q.start_has_year
    if inferred:
        if year is None:
            return None
        start = start.replace(year=year)
        end = end.replace(year=year if (q.end.month, q.end.day) >= (q.start.month, q.start.day) else year + 1)
    a, b = _point(start, q.precision), _point(end, q.end_precision or q.precision)
    return (a if a == b else f"{a}/{b}"), inferred


def _dates_in(text: str) -> list[_Found]:
    found, pos = [], 0
    while pos < len(text):
        try:
            m = extract_date_query(text[pos:])
        except InvalidDate:
            m = None
        if m is None:
            break
        found.append(_Found(pos + m.start, pos + m.end, text[pos + m.start:pos + m.end], m.query))
        pos += m.end
    for m in _AMBIGUOUS.finditer(text):
        q = parse_date_query(m.group(1))
        if q is not None and not any(f.start <= m.start(1) < f.end for f in found):
            found.append(_Found(m.start(), m.end(), m.group(0), q))
    return sorted(found, key=lambda f: f.start)


def _clauses(sentence: str, dates: list[_Found]) -> list[tuple[str, _Found]]:
    """One (text, date) per date; two dates in one sentence cut it at the conjunction between."""
    if len(dates) < 2:
        return [(sentence, d) for d in dates]
    out, start = [], 0
    for k, d in enumerate(dates):
        end = len(sentence)
        if k + 1 < len(dates):
            nxt = dates[k + 1]
            lead = _LEAD.search(sentence[:nxt.start])
            lead_at = lead.start() if lead else nxt.start
            gap = sentence[d.end:lead_at]
            cut = max(gap.rfind(" and "), gap.rfind("; "), gap.rfind(", "))
            if cut < 0:
                return [(sentence, x) for x in dates]
            end = d.end + cut
            out.append((sentence[start:end].rstrip(" ,;"), d))
            start = lead_at
        else:
            out.append((sentence[start:end].strip(), d))
    return out


class _Running:
    """The year (and month) a narrative or a timeline has reached, for dates without a year."""

    def __init__(self) -> None:
        self.year: int | None = None
        self.month: int | None = None

    def year_for(self, q) -> int | None:
        if q.start_has_year or self.year is None:
            return self.year
        return self.year + 1 if self.month and q.start.month < self.month else self.year

    def advance(self, iso: str) -> None:
        span = read_iso(iso)[1]
        self.year = span.end.year
        self.month = span.end.month if span.end_precision != YEAR else None


def _stems(text: str) -> set[str]:
    return {w.lower().replace("’s", "").replace("'s", "")[:5] for w in words(text) if len(w) >= 4}


def propose_timeline(blocks: list[Block], span: tuple[int, int] | None) -> list[ProposedEntry]:
    narrative, entries = _narrative(blocks, span)
    if span is not None:
        entries.extend(_section(blocks[span[0]:span[1] + 1], narrative))
    return entries


def _narrative(blocks: list[Block], span) -> tuple[list[tuple[str, ProposedEntry | None]], list[ProposedEntry]]:
    """Every narrative sentence with the dated entry in effect there, and the entries found."""
    running = _Running()
    current: ProposedEntry | None = None
    sentences: list[tuple[str, ProposedEntry | None]] = []
    entries: list[ProposedEntry] = []
    for i, block in enumerate(blocks):
        if not block.kept or block.kind == HEADING or (span and span[0] <= i <= span[1]):
            continue
        for a, b in split_sentences(block.text):
            sentence = block.text[a:b]
            for text, found in _clauses(sentence, _dates_in(sentence)):
                iso = _iso(found.q, running.year_for(found.q))
                if iso is None:
                    continue
                note = None if not iso[1] else "The year is inferred from the narrative before it."
                current = ProposedEntry(found.text, iso[0], iso[1], text, note)
                entries.append(current)
                running.advance(iso[0])
            sentences.append((sentence, current))
    return sentences, entries


def _section(blocks: list[Block], narrative) -> list[ProposedEntry]:
    kept = [b for b in blocks if b.kept and b.kind != HEADING]
    running = _Running()
    entries: list[ProposedEntry] = []
    for k, block in enumerate(kept):
        if is_date_line(block):
            continue
        prev = kept[k - 1] if k else None
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if prev is not None and is_date_line(prev):
            entry = _dated_line(prev.text.strip(), block.text.strip(), running, narrative)
            if entry is not None:
                running.advance(entry.date)
        elif len(words(block.text)) > 4 or (nxt is None or not is_date_line(nxt)):
            entry = _undated_line(block.text.strip(), narrative)  # borrowed: the running year stays
        else:
            entry = None  # a short label before a date line ("After the war")
        if entry is not None:
            entries.append(entry)
    return entries


def _dated_line(date_text: str, text: str, running: _Running, narrative) -> ProposedEntry | None:
    q = parse_date_query(date_text)
    year = running.year_for(q)
    source = "the entries before it"
    if not q.start_has_year and year is None:
        year = next((span.start.year for _, e in narrative if e and not e.year_inferred
                     and (span := read_iso(e.date)[1]).precision != YEAR and span.start.month == q.start.month), None)
        source = "the narrative, which gives the year for that month"
    iso = _iso(q, year)
    if iso is None:
        return None
    note = f"The year is inferred from {source}." if iso[1] else None
    return ProposedEntry(date_text, iso[0], iso[1], text, note, "timeline section")


def _undated_line(text: str, narrative) -> ProposedEntry | None:
    mine = _stems(text)
    best, score = None, 0
    for sentence, entry in narrative:
        shared = len(mine & _stems(sentence))
        if entry is not None and shared > score:
            best, score = (sentence, entry), shared
    if best is None or score < 3 or score * 2 < len(mine):
        return None
    sentence, entry = best
    return ProposedEntry(entry.date_text, entry.date, True, text,
                         f"The line has no date of its own; the date is that of the narrative: “{sentence}”",
                         "timeline section")
