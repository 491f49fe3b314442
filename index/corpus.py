"""Load and validate the corpus folder (format: ``corpus/README.md``).

``load(root)`` reads ``root/sources/*.md``, ``root/timeline.yaml`` and ``root/entities.yaml``
and returns an immutable :class:`~index.model.Corpus`, or raises
:class:`~index.errors.CorpusError` listing *every* problem found as ``file:line: message``.
File names in messages are relative to the corpus root's parent
(``corpus/sources/x.md:12: ...``). Filesystem trouble (a root that vanishes, an unreadable
file, a symlink loop) is reported the same way, never as a raw exception.

Cost is linear in the corpus size: each file is read, hashed, decoded and scanned a bounded
number of times; YAML is parsed only for front matter, ``timeline.yaml`` and
``entities.yaml``; each timeline entry is one regex search in its source.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorpusError, CorpusIssue
from .model import Corpus, Entity, Section, Source, TimelineEntry
from .verbatim import find_verbatim, normalize_ws
from .yamlsafe import LineDict, LineList, YamlError, line_of, load_yaml

__all__ = ["load", "ID_RE"]

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

SOURCE_REQUIRED = ("id", "title", "kind", "publisher", "seed")
SOURCE_OPTIONAL = ("url", "attribution", "context", "about", "sections")
SECTION_KEYS = ("heading", "attribution", "context", "kind")
SECTION_KINDS = ("prose", "timeline")
TIMELINE_REQUIRED = ("id", "source", "date_text", "date", "text")
TIMELINE_OPTIONAL = ("year_inferred", "note")
ENTITY_REQUIRED = ("id", "name", "kind")
ENTITY_OPTIONAL = ("aliases",)

_OPEN_RE = re.compile(r"---[ \t]*(?:\n|\Z)")
_CLOSE_RE = re.compile(r"^---[ \t]*$", re.M)
_HEADING_RE = re.compile(r"^## (.*)$", re.M)
_NONSPACE_RE = re.compile(r"\S")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def load(root: Path | str) -> Corpus:
    """Load and validate the corpus at ``root``; raise ``CorpusError`` listing every issue."""
    return _Loader(Path(root)).run()


# --------------------------------------------------------------------------- helpers


@dataclass
class _File:
    rel: str        # "sources/x.md", relative to the root, posix style
    path: Path
    data: bytes


def _decode(data: bytes) -> tuple[str | None, int, str]:
    """UTF-8 (strict) -> text with the BOM stripped and every line ending as ``\\n``.

    Returns ``(text, 0, "")`` or, for bad bytes, ``(None, line, message)``.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        prefix = data[:pos].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = prefix.count(b"\n") + 1
        line_start = prefix.rfind(b"\n") + 1
        column = len(prefix) - line_start + 1
        if line == 1 and prefix.startswith(b"\xef\xbb\xbf"):
            column -= 3
        return None, line, f"not valid UTF-8 (byte 0x{data[pos]:02x} at column {column})"
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, 0, ""


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _parse_date_part(part: str) -> tuple[_dt.date, _dt.date, str] | str:
    """``YYYY[-MM[-DD]]`` -> (first day, last day, precision), or an error message."""
    m = _DATE_RE.match(part)
    if not m:
        return f"bad date {part!r}: use YYYY, YYYY-MM, YYYY-MM-DD or START/END of those"
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        return f"impossible date {part!r}: year 0000"
    if month is None:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31), "year"
    mon = int(month)
    if not 1 <= mon <= 12:
        return f"impossible date {part!r}: month {month}"
    if day is None:
        nxt = _dt.date(year + 1, 1, 1) if mon == 12 else _dt.date(year, mon + 1, 1)
        return _dt.date(year, mon, 1), nxt - _dt.timedelta(days=1), "month"
    try:
        d = _dt.date(year, mon, int(day))
    except ValueError:
        return f"impossible date {part!r}: day {day} of {year}-{month}"
    return d, d, "day"


def parse_date(value: Any) -> tuple[str, str] | str:
    """A timeline ``date`` value -> ``(normalized ISO string, precision)`` or an error message.

    Accepts strings ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``START/END`` of those, an
    unquoted YAML date (``datetime.date``) and an unquoted year (``int``).
    """
    if isinstance(value, _dt.datetime):
        return "date must be a date, not a date and time"
    if isinstance(value, _dt.date):
        return value.isoformat(), "day"
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}" if value >= 0 else str(value)
    if not isinstance(value, str):
        return f"date must be a string like \"1937-12-13\", not {_type_name(value)}"
    parts = [p.strip() for p in value.strip().split("/")]
    if len(parts) > 2:
        return f"bad date range {value!r}: use START/END"
    parsed = []
    for part in parts:
        r = _parse_date_part(part)
        if isinstance(r, str):
            return r
        parsed.append(r)
    if len(parsed) == 2 and parsed[1][1] < parsed[0][0]:
        return f"date range {value!r} ends before it starts"
    return "/".join(parts), parsed[0][2]


# --------------------------------------------------------------------------- loader


class _Loader:
    def __init__(self, root: Path):
        self.root = Path(os.path.abspath(root))
        self.label = self.root.name or str(root)
        self.issues: list[CorpusIssue] = []
        self.files: list[_File] = []

    # -- reporting

    def where(self, rel: str | None) -> str:
        return self.label if rel is None else f"{self.label}/{rel}"

    def err(self, rel: str | None, line: int, message: str) -> None:
        self.issues.append(CorpusIssue(self.where(rel), line, message))

    # -- filesystem

    def _is_dir(self, path: Path) -> bool:
        try:
            return stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            return False

    def _read(self, rel: str, path: Path) -> bytes | None:
        """The file's bytes, recorded for the content hash; ``None`` (and an issue) if unreadable."""
        try:
            st = os.stat(path)  # follows symlinks: a broken or looping one fails here
            if not stat.S_ISREG(st.st_mode):
                self.err(rel, 0, "not a regular file")
                return None
            data = _read_bytes(path)
        except OSError as exc:
            self.err(rel, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        self.files.append(_File(rel, path, data))
        return data

    def _read_optional(self, name: str) -> bytes | None:
        path = self.root / name
        try:
            os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.err(name, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        return self._read(name, path)

    def _source_names(self) -> list[str]:
        src_dir = self.root / "sources"
        if not self._is_dir(src_dir):
            return []
        try:
            with os.scandir(src_dir) as it:
                names = [e.name for e in it]
        except OSError as exc:
            self.err("sources", 0, f"cannot list folder: {exc.strerror or exc}")
            return []
        # Only *.md directly in sources/; hidden files (editor lock files such as ".#x.md")
        # are never sources (an id cannot start with a dot).
        return sorted(n for n in names if n.endswith(".md") and not n.startswith("."))

    # -- main

    def run(self) -> Corpus:
        try:
            return self._run()
        except CorpusError:
            raise
        except OSError as exc:  # anything the per-file handling missed
            self.err(None, 0, f"cannot read corpus: {exc.strerror or exc}")
            raise CorpusError(self._sorted_issues()) from None

    def _run(self) -> Corpus:
        try:
            os.stat(self.root)
        except FileNotFoundError:
            raise CorpusError([CorpusIssue(self.label, 0, f"corpus folder not found: {self.root}")]) from None
        except OSError as exc:  # a symlink loop, no permission...: say so, not "not found"
            raise CorpusError([CorpusIssue(self.label, 0, f"cannot open corpus folder {self.root}: "
                                                          f"{exc.strerror or exc}")]) from None
        if not self._is_dir(self.root):
            raise CorpusError([CorpusIssue(self.label, 0, f"corpus root is not a folder: {self.root}")])

        names = self._source_names()
        raw_sources = [(f"sources/{n}", self.root / "sources" / n) for n in names]
        source_data = [(rel, path, self._read(rel, path)) for rel, path in raw_sources]
        timeline_data = self._read_optional("timeline.yaml")
        entities_data = self._read_optional("entities.yaml")
        if not self._is_dir(self.root):
            self.err(None, 0, "corpus folder disappeared while loading")

        if not names:
            self.err(None, 0, "corpus has no sources (no sources/*.md files)")

        # entities first: sources' "about" refers to them
        entities, entity_ids = self._load_entities(entities_data)

        sources: dict[str, Source] = {}
        first_seen: dict[str, str] = {}
        broken: set[str] = set()  # ids (file stems) of sources that failed to parse
        for rel, path, data in source_data:
            stem = path.name[: -len(".md")]
            if data is None:
                broken.add(stem)
                continue
            src, sid, id_line = self._load_source(rel, path, stem, data, entity_ids)
            if sid is not None:
                if sid in first_seen:
                    self.err(rel, id_line, f"duplicate source id {sid!r} (already used by "
                                           f"{self.where(first_seen[sid])})")
                    src = None
                else:
                    first_seen[sid] = rel
            if src is None:
                broken.add(stem)
                if sid is not None:
                    broken.add(sid)
                continue
            sources[src.id] = src

        timeline = self._load_timeline(timeline_data, sources, broken)

        if self.issues:
            raise CorpusError(self._sorted_issues())
        return Corpus(
            root=self.root,
            sources=tuple(sorted(sources.values(), key=lambda s: s.id)),
            timeline=tuple(timeline),
            entities=tuple(entities),
            content_hash=self._hash(),
        )

    def _sorted_issues(self) -> list[CorpusIssue]:
        # root-level issues first, then by file name and line (stable within a line)
        return sorted(self.issues, key=lambda i: (i.path != self.label, str(i.path), i.line))

    def _hash(self) -> str:
        h = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.rel):
            name = f.rel.encode("utf-8")
            h.update(len(name).to_bytes(8, "big") + name)
            h.update(len(f.data).to_bytes(8, "big"))
            h.update(f.data)
        return h.hexdigest()

    # -- field checks (all report and return None on failure)

    def _check_keys(self, rel: str, m: LineDict, required: tuple[str, ...],
                    optional: tuple[str, ...], what: str, missing_line: int) -> None:
        for key, line, first in m.duplicate_keys:
            self.err(rel, line, f"duplicate key {key!r} in {what} (first on line {first})")
        allowed = required + optional
        for key in m:
            if key not in allowed:
                self.err(rel, m.line_for(key), f"unknown key {key!r} in {what} "
                                               f"(allowed: {', '.join(allowed)})")
        for key in required:
            if key not in m:
                self.err(rel, missing_line, f"missing required key {key!r} in {what}")

    def _str(self, rel: str, m: LineDict, key: str, what: str) -> str | None:
        """A required-or-optional string field: must be a non-empty string if present."""
        if key not in m:
            return None
        value = m[key]
        line = m.line_for(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.err(rel, line, f"empty value for {key!r} in {what}")
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, (int, float, _dt.date)) else ""
            self.err(rel, line, f"{key!r} in {what} must be a string, not "
                                f"{_type_name(value)}{hint}")
            return None
        return value.strip()

    def _str_list(self, rel: str, m: LineDict, key: str, what: str) -> tuple[list[str], list[int]] | None:
        if key not in m:
            return [], []
        value = m[key]
        line = m.line_for(key)
        if value is None:
            self.err(rel, line, f"empty value for {key!r} in {what}")
            return None
        if not isinstance(value, list):
            self.err(rel, line, f"{key!r} in {what} must be a list of strings, not "
                                f"{_type_name(value)}")
            return None
        out: list[str] = []
        lines: list[int] = []
        ok = True
        for i, item in enumerate(value):
            item_line = value.line_for(i) if isinstance(value, LineList) else line
            if not isinstance(item, str) or not item.strip():
                what_item = "an empty string" if isinstance(item, str) else _type_name(item)
                self.err(rel, item_line, f"{key!r} in {what} must be a list of strings; "
                                         f"item {i + 1} is {what_item}")
                ok = False
                continue
            out.append(item.strip())
            lines.append(item_line)
        return (out, lines) if ok else None

    # -- sources

    def _load_source(self, rel: str, path: Path, stem: str, data: bytes,
                     entity_ids: set[str] | None) -> tuple[Source | None, str | None, int]:
        """The source (``None`` if it has any issue), its id as written and the id's line."""
        text, bad_line, bad_msg = _decode(data)
        if text is None:
            self.err(rel, bad_line, bad_msg)
            return None, None, 0

        opening = _OPEN_RE.match(text)
        if not opening:
            self.err(rel, 1, "missing front matter: the file must start with a '---' line")
            return None, None, 0
        close = _CLOSE_RE.search(text, opening.end())
        if close is None:
            last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
            self.err(rel, max(last_line, 1), "front matter is not closed: no '---' line "
                                             "after the one on line 1")
            return None, None, 0
        fm_text = text[opening.end():close.start()]
        close_line = 2 + fm_text.count("\n")
        body_start = close.end() + 1 if close.end() < len(text) else len(text)
        body = text[body_start:]
        body_line = close_line + 1

        try:
            fm = load_yaml(fm_text, first_line=2)
        except YamlError as exc:
            self.err(rel, exc.line, exc.message)
            return None, None, 0
        if not isinstance(fm, LineDict):
            self.err(rel, line_of(fm, 2) if fm is not None else 1,
                     "front matter must be a YAML mapping (key: value lines)"
                     + ("" if fm is not None else ", but it is empty"))
            return None, None, 0

        what = "front matter"
        n_before = len(self.issues)
        self._check_keys(rel, fm, SOURCE_REQUIRED, SOURCE_OPTIONAL, what, 1)
        fields = {k: self._str(rel, fm, k, what) for k in
                  ("id", "title", "kind", "publisher", "seed", "url", "attribution", "context")}
        id_line = fm.line_for("id", 1)
        sid = fields["id"]
        if sid is not None:
            if not ID_RE.match(sid):
                self.err(rel, id_line, f"bad id {sid!r}: use lowercase letters, digits and "
                                       f"dashes (starting with a letter or digit)")
            elif sid != stem:
                self.err(rel, id_line, f"id {sid!r} does not match the file name "
                                       f"{path.name!r} (expected id {stem!r})")
        about = self._str_list(rel, fm, "about", what)
        if about is not None and entity_ids is not None:
            for ent, line in zip(*about):
                if ent not in entity_ids:
                    self.err(rel, line, f"unknown entity {ent!r} in 'about' "
                                        f"(not in entities.yaml)")
        entries = self._section_entries(rel, fm)

        if not _NONSPACE_RE.search(body):
            self.err(rel, body_line, "the source has no text after the front matter")
        sections = self._sections(rel, body, body_line, entries, fields)

        if len(self.issues) != n_before or sections is None or sid is None:
            return None, sid, id_line
        src = Source(
            id=sid,
            title=fields["title"],  # type: ignore[arg-type]
            kind=fields["kind"],  # type: ignore[arg-type]
            publisher=fields["publisher"],  # type: ignore[arg-type]
            seed=fields["seed"],  # type: ignore[arg-type]
            text=body,
            sections=tuple(sections),
            path=path,
            url=fields["url"],
            context=fields["context"],
            about=tuple(about[0]) if about else (),
            body_line=body_line,
        )
        return src, sid, id_line

    def _section_entries(self, rel: str, fm: LineDict) -> dict[str, tuple[int, dict[str, str]]] | None:
        """``sections:`` -> {normalized heading: (line, {attribution/context/kind})}."""
        if "sections" not in fm:
            return {}
        value = fm["sections"]
        line = fm.line_for("sections")
        if not isinstance(value, list):
            self.err(rel, line, f"'sections' must be a list of mappings with keys "
                                f"{', '.join(SECTION_KEYS)}, not {_type_name(value)}")
            return None
        out: dict[str, tuple[int, dict[str, str]]] = {}
        ok = True
        for i, item in enumerate(value):
            item_line = value.line_for(i) if isinstance(value, LineList) else line
            what = f"sections entry {i + 1}"
            if not isinstance(item, LineDict):
                self.err(rel, item_line, f"{what} must be a mapping with keys "
                                         f"{', '.join(SECTION_KEYS)}, not {_type_name(item)}")
                ok = False
                continue
            n_before = len(self.issues)
            self._check_keys(rel, item, ("heading",), SECTION_KEYS[1:], what, item.line)
            heading = self._str(rel, item, "heading", what)
            attrs = {}
            for key in SECTION_KEYS[1:]:
                v = self._str(rel, item, key, what)
                if v is not None:
                    attrs[key] = v
            if "kind" in attrs and attrs["kind"] not in SECTION_KINDS:
                self.err(rel, item.line_for("kind"), f"bad section kind {attrs['kind']!r} in "
                                                     f"{what}: use prose or timeline")
            if len(self.issues) != n_before or heading is None:
                ok = False
                continue
            key = normalize_ws(heading)
            if key in out:
                self.err(rel, item.line_for("heading"), f"duplicate sections entry for heading "
                                                        f"{heading!r} (first on line {out[key][0]})")
                ok = False
                continue
            out[key] = (item.line_for("heading"), attrs)
        return out if ok else None

    def _sections(self, rel: str, body: str, body_line: int,
                  entries: dict[str, tuple[int, dict[str, str]]] | None,
                  fields: dict[str, str | None]) -> list[Section] | None:
        title, publisher = fields["title"], fields["publisher"]
        default_attr = fields["attribution"] or f"{title} ({publisher})"
        ok = True
        headings: list[tuple[str, int, int, int]] = []  # (title, line, heading start, text start)
        seen: dict[str, int] = {}
        line, pos = body_line, 0
        for m in _HEADING_RE.finditer(body):
            line += body.count("\n", pos, m.start())
            pos = m.start()
            title_text = m.group(1).strip()
            if not title_text:
                self.err(rel, line, "empty section heading ('## ' with no title)")
                ok = False
            else:
                key = normalize_ws(title_text)
                if key in seen:
                    self.err(rel, line, f"duplicate section heading {title_text!r} "
                                        f"(first on line {seen[key]})")
                    ok = False
                else:
                    seen[key] = line
            text_start = min(m.end() + 1, len(body))
            headings.append((title_text, line, m.start(), text_start))

        if entries is not None:
            for key, (entry_line, _) in entries.items():
                if key not in seen:
                    self.err(rel, entry_line, f"sections heading {key!r} not found in the body "
                                              f"(no '## {key}' line)")
                    ok = False
        if not ok or entries is None or title is None or publisher is None:
            return None

        sections: list[Section] = []
        first = headings[0][2] if headings else len(body)
        if _NONSPACE_RE.search(body, 0, first):
            sections.append(Section(title=None, start=0, end=first, attribution=default_attr))
        for i, (title_text, _, _, text_start) in enumerate(headings):
            end = headings[i + 1][2] if i + 1 < len(headings) else len(body)
            attrs = entries.get(normalize_ws(title_text), (0, {}))[1]
            sections.append(Section(
                title=title_text,
                start=text_start,
                end=end,
                attribution=attrs.get("attribution") or default_attr,
                context=attrs.get("context"),
                kind=attrs.get("kind", "prose"),
            ))
        return sections

    # -- timeline.yaml

    def _load_list(self, rel: str, data: bytes | None, what: str) -> LineList | None:
        """Decode + parse a YAML file that must hold a list; ``None`` if it is unusable."""
        if data is None:
            return LineList()
        text, bad_line, bad_msg = _decode(data)
        if text is None:
            self.err(rel, bad_line, bad_msg)
            return None
        try:
            value = load_yaml(text)
        except YamlError as exc:
            self.err(rel, exc.line, exc.message)
            return None
        if value is None:
            return LineList()
        if not isinstance(value, LineList):
            self.err(rel, line_of(value, 1), f"{rel} must be a YAML list of {what} "
                                             f"('- id: ...' items), not {_type_name(value)}")
            return None
        return value

    def _load_timeline(self, data: bytes | None, sources: dict[str, Source],
                       broken: set[str]) -> list[TimelineEntry]:
        rel = "timeline.yaml"
        items = self._load_list(rel, data, "entries")
        if items is None:
            return []
        out: list[TimelineEntry] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            item_line = items.line_for(i)
            if not isinstance(item, LineDict):
                self.err(rel, item_line, f"timeline entry {i + 1} must be a mapping, "
                                         f"not {_type_name(item)}")
                continue
            n_before = len(self.issues)
            tid = self._str(rel, item, "id", "timeline entry")
            what = f"timeline entry {tid!r}" if tid else f"timeline entry {i + 1}"
            self._check_keys(rel, item, TIMELINE_REQUIRED, TIMELINE_OPTIONAL, what, item.line)
            if tid is not None:
                if tid in seen:
                    self.err(rel, item.line_for("id"), f"duplicate timeline id {tid!r} "
                                                       f"(first on line {seen[tid]})")
                else:
                    seen[tid] = item.line_for("id")
            sid = self._str(rel, item, "source", what)
            date_text = self._str(rel, item, "date_text", what)
            text = self._str(rel, item, "text", what)
            note = self._str(rel, item, "note", what)

            date = precision = None
            if "date" in item:
                parsed = parse_date(item["date"])
                if isinstance(parsed, str):
                    self.err(rel, item.line_for("date"), f"{parsed} ({what})")
                else:
                    date, precision = parsed

            year_inferred = item.get("year_inferred", False)
            if not isinstance(year_inferred, bool):
                self.err(rel, item.line_for("year_inferred"),
                         f"'year_inferred' in {what} must be true or false, "
                         f"not {_type_name(year_inferred)}")

            src = None
            if sid is not None:
                src = sources.get(sid)
                if src is None and sid not in broken:
                    self.err(rel, item.line_for("source"), f"unknown source {sid!r} in {what} "
                                                           f"(no sources/{sid}.md)")
            date_span = text_span = None
            if src is not None:
                if date_text is not None:
                    date_span = find_verbatim(src.text, date_text)
                    if date_span is None:
                        self.err(rel, item.line_for("date_text"),
                                 f"date_text {date_text!r} of {what} not found in source "
                                 f"{sid!r}")
                if text is not None:
                    text_span = find_verbatim(src.text, text)
                    if text_span is None:
                        self.err(rel, item.line_for("text"), f"text of {what} not found verbatim "
                                                             f"in source {sid!r}: "
                                                             f"{_excerpt(text)!r}")
            if len(self.issues) != n_before or src is None or text_span is None \
                    or date_span is None or date is None:
                continue
            out.append(TimelineEntry(
                id=tid,  # type: ignore[arg-type]
                date_text=src.text[date_span[0]:date_span[1]],
                date=date,
                precision=precision,  # type: ignore[arg-type]
                year_inferred=year_inferred,
                text=src.text[text_span[0]:text_span[1]],
                source_id=src.id,
                text_start=text_span[0],
                text_end=text_span[1],
                note=note,
            ))
        return out

    # -- entities.yaml

    def _load_entities(self, data: bytes | None) -> tuple[list[Entity], set[str] | None]:
        """Entities, and every id declared (``None`` if the file is too broken to tell,
        in which case sources' ``about`` lists are not checked)."""
        rel = "entities.yaml"
        items = self._load_list(rel, data, "entities")
        if items is None:
            return [], None
        out: list[Entity] = []
        parsed: list[tuple[str | None, str | None, int, list[str], list[int]]] = []
        seen: dict[str, int] = {}
        usable = True
        for i, item in enumerate(items):
            item_line = items.line_for(i)
            if not isinstance(item, LineDict):
                self.err(rel, item_line, f"entity {i + 1} must be a mapping, not {_type_name(item)}")
                usable = False
                continue
            n_before = len(self.issues)
            eid = self._str(rel, item, "id", "entity")
            what = f"entity {eid!r}" if eid else f"entity {i + 1}"
            self._check_keys(rel, item, ENTITY_REQUIRED, ENTITY_OPTIONAL, what, item.line)
            name = self._str(rel, item, "name", what)
            kind = self._str(rel, item, "kind", what)
            aliases = self._str_list(rel, item, "aliases", what)
            if eid is None:
                usable = False
            elif eid in seen:
                self.err(rel, item.line_for("id"), f"duplicate entity id {eid!r} "
                                                   f"(first on line {seen[eid]})")
            else:
                seen[eid] = item.line_for("id")
            alias_list, alias_lines = aliases if aliases is not None else ([], [])
            parsed.append((eid, name, item.line_for("name"), alias_list, alias_lines))
            if len(self.issues) == n_before:
                out.append(Entity(id=eid, name=name, kind=kind,  # type: ignore[arg-type]
                                  aliases=tuple(alias_list)))

        # names and aliases are matched case-insensitively with whitespace normalized
        def fold(s: str) -> str:
            return normalize_ws(s).casefold()

        names: dict[str, list[tuple[str | None, int]]] = {}
        for eid, name, line, _, _ in parsed:
            if name is not None:
                names.setdefault(fold(name), []).append((eid, line))
        alias_owner: dict[str, tuple[str | None, int]] = {}
        for eid, _, _, alias_list, alias_lines in parsed:
            for alias, line in zip(alias_list, alias_lines):
                key = fold(alias)
                other = next(((o, ol) for o, ol in names.get(key, ()) if o != eid), None)
                if other is not None:
                    self.err(rel, line, f"alias {alias!r} of entity {eid!r} is the name of "
                                        f"entity {other[0]!r} (line {other[1]})")
                    continue
                owner = alias_owner.get(key)
                if owner is not None and owner[0] != eid:
                    self.err(rel, line, f"alias {alias!r} of entity {eid!r} is also an alias of "
                                        f"entity {owner[0]!r} (line {owner[1]})")
                    continue
                alias_owner.setdefault(key, (eid, line))
        return out, (set(seen) if usable else None)


def _excerpt(text: str, limit: int = 80) -> str:
    flat = normalize_ws(text)
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _read_bytes(path: Path) -> bytes:
    """Read a whole file (a seam for tests that make the root vanish mid-load)."""
    with open(path, "rb") as f:
        return f.read()
