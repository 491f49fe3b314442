"""Validating ``timeline.yaml``: dated entries quoted verbatim from the corpus' sources.

Each entry names its source, the date as the source writes it (``date_text``), the normalized
``date`` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those, read by
``index.dates.read_iso``) and
the ``text`` it dates; both texts must be found verbatim in the source. Every problem is logged
as ``file:line: message``; an entry with any problem is left out.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from index.corpus.checks import check_keys, load_yaml_list, str_field, type_name
from index.corpus.errors import IssueLog
from index.corpus.model import Source, TimelineEntry
from index.corpus.yamlsafe import LineDict
from index.dates import DateSpan, InvalidDate, read_iso
from index.text.cut import cut
from index.text.verbatim import find_verbatim, normalize_ws

__all__ = ["TIMELINE_REQUIRED", "TIMELINE_OPTIONAL", "load_timeline"]

TIMELINE_REQUIRED = ("id", "source", "date_text", "date", "text")
TIMELINE_OPTIONAL = ("year_inferred", "note")

def load_timeline(log: IssueLog, data: bytes | None, sources: dict[str, Source],
                  broken: set[str]) -> list[TimelineEntry]:
    """The valid entries of ``timeline.yaml`` (``data``; ``None``: there is none).

    An entry naming a source in ``broken`` (which failed itself) is dropped without an issue.
    """
    rel = "timeline.yaml"
    items = load_yaml_list(log, rel, data, "entries")
    if items is None:
        return []
    out: list[TimelineEntry] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        item_line = items.line_for(i)
        if not isinstance(item, LineDict):
            log.err(rel, item_line, f"timeline entry {i + 1} must be a mapping, "
                                    f"not {type_name(item)}")
            continue
        entry = _entry(log, rel, i, item, seen, sources, broken)
        if entry is not None:
            out.append(entry)
    return out


def _entry(log: IssueLog, rel: str, i: int, item: LineDict, seen: dict[str, int],
           sources: dict[str, Source], broken: set[str]) -> TimelineEntry | None:
    """Timeline item ``i`` (0-based) -> its entry; ``None`` on any issue. ``seen``: id -> line."""
    n_before = len(log)
    tid = str_field(log, rel, item, "id", "timeline entry")
    what = f"timeline entry {tid!r}" if tid else f"timeline entry {i + 1}"
    check_keys(log, rel, item, TIMELINE_REQUIRED, TIMELINE_OPTIONAL, what, item.line)
    if tid is not None:
        if tid in seen:
            log.err(rel, item.line_for("id"), f"duplicate timeline id {tid!r} "
                                              f"(first on line {seen[tid]})")
        else:
            seen[tid] = item.line_for("id")
    sid = str_field(log, rel, item, "source", what)
    date_text = str_field(log, rel, item, "date_text", what)
    text = str_field(log, rel, item, "text", what)
    note = str_field(log, rel, item, "note", what)
    date, when = _date(log, rel, item, what)
    year_inferred = _year_inferred(log, rel, item, what)

    src = None
    if sid is not None:
        src = sources.get(sid)
        if src is None and sid not in broken:
            log.err(rel, item.line_for("source"), f"unknown source {sid!r} in {what} "
                                                  f"(no sources/{sid}.md)")
    date_span = text_span = None
    if src is not None:
        date_span, text_span = _find_in_source(log, rel, item, what, src, sid, date_text, text)
    if len(log) != n_before or src is None or text_span is None \
            or date_span is None or date is None:
        return None
    return TimelineEntry(
        id=tid,  # type: ignore[arg-type]
        date_text=src.text[date_span[0]:date_span[1]],
        date=date,
        precision=when.precision,  # type: ignore[union-attr]
        span=when,
        year_inferred=year_inferred,
        text=src.text[text_span[0]:text_span[1]],
        source_id=src.id,
        text_start=text_span[0],
        text_end=text_span[1],
        note=note,
    )


def _date(log: IssueLog, rel: str, item: LineDict, what: str) -> tuple[str, DateSpan] | tuple[None, None]:
    """The entry's normalized ``date`` and what it means; ``(None, None)`` if absent or bad."""
    if "date" not in item:
        return None, None
    value = item["date"]
    if isinstance(value, bool) or not isinstance(value, (str, int, _dt.date)):
        log.err(rel, item.line_for("date"), f"date must be a string like \"1937-12-13\", "
                                            f"not {type_name(value)} ({what})")
        return None, None
    try:
        return read_iso(value)
    except InvalidDate as exc:
        message = f"impossible date {exc.text!r}: {exc.reason}"
    except ValueError as exc:
        message = str(exc)
    log.err(rel, item.line_for("date"), f"{message} ({what})")
    return None, None


def _year_inferred(log: IssueLog, rel: str, item: LineDict, what: str) -> Any:
    year_inferred = item.get("year_inferred", False)
    if not isinstance(year_inferred, bool):
        log.err(rel, item.line_for("year_inferred"),
                f"'year_inferred' in {what} must be true or false, "
                f"not {type_name(year_inferred)}")
    return year_inferred


def _find_in_source(log: IssueLog, rel: str, item: LineDict, what: str, src: Source, sid: str | None,
                    date_text: str | None, text: str | None
                    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Where ``date_text`` and ``text`` are found verbatim in the source (``None``: not found)."""
    date_span = text_span = None
    if date_text is not None:
        date_span = find_verbatim(src.text, date_text)
        if date_span is None:
            log.err(rel, item.line_for("date_text"),
                    f"date_text {date_text!r} of {what} not found in source "
                    f"{sid!r}")
    if text is not None:
        text_span = find_verbatim(src.text, text)
        if text_span is None:
            log.err(rel, item.line_for("text"), f"text of {what} not found verbatim "
                                                f"in source {sid!r}: "
                                                f"{_excerpt(text)!r}")
    return date_span, text_span


def _excerpt(text: str, limit: int = 80) -> str:
    return cut(normalize_ws(text), limit)
