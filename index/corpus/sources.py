"""Validating the corpus' source files (``sources/*.md``): front matter, body and sections.

A source is ``---``-delimited YAML front matter (``SOURCE_REQUIRED`` keys, optionally
``SOURCE_OPTIONAL`` ones) then the text, split into sections by ``## heading`` lines; the
front matter's ``sections:`` list may give a heading its own attribution, context or kind.
Every problem is logged as ``file:line: message``; a source with any problem is left out.
"""
from __future__ import annotations

import re
from pathlib import Path

from index.corpus.checks import check_keys, str_field, str_list, type_name
from index.corpus.errors import IssueLog
from index.corpus.files import decode
from index.corpus.headings import Heading, body_headings
from index.corpus.model import Section, Source, attribution_of
from index.corpus.yamlsafe import LineDict, LineList, YamlError, line_of, load_yaml
from index.text.verbatim import normalize_ws

__all__ = ["ID_RE", "SOURCE_REQUIRED", "SOURCE_OPTIONAL", "SECTION_KEYS", "SECTION_KINDS",
           "load_sources", "load_source"]

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

SOURCE_REQUIRED = ("id", "title", "kind", "publisher", "seed")
SOURCE_OPTIONAL = ("url", "attribution", "context", "about", "sections")
SECTION_KEYS = ("heading", "attribution", "context", "kind")
SECTION_KINDS = ("prose", "timeline", "plot")

_OPEN_RE = re.compile(r"---[ \t]*(?:\n|\Z)")
_CLOSE_RE = re.compile(r"^---[ \t]*$", re.M)
_NONSPACE_RE = re.compile(r"\S")

# {normalized heading: (line, {attribution/context/kind})}, from the front matter's sections:
SectionEntries = dict[str, tuple[int, dict[str, str]]]
# (title, line, heading start, text start) of each "## " line of a body


def load_sources(log: IssueLog, source_data: list[tuple[str, Path, bytes | None]],
                 entity_ids: set[str] | None, hashes: dict[str, str] | None = None,
                 known=None) -> tuple[dict[str, Source], set[str]]:
    """The valid sources by id, and the ids (and file stems) of those that are broken.

    ``source_data``: ``(rel, path, bytes or None if unreadable)`` per file; ``entity_ids``:
    the ids ``about`` may name (``None``: do not check); ``known(rel, path, data, sha)``: a
    source validated before from these exact bytes, or None (``index.corpus.records``).
    """
    sources: dict[str, Source] = {}
    first_seen: dict[str, str] = {}
    broken: set[str] = set()  # ids (file stems) of sources that failed to parse
    for rel, path, data in source_data:
        stem = path.name[: -len(".md")]
        if data is None:
            broken.add(stem)
            continue
        src = known(rel, path, data, hashes[rel]) if known and hashes else None
        if src is not None:
            sid, id_line = src.id, 1
        else:
            src, sid, id_line = load_source(log, rel, path, stem, data, entity_ids)
        if sid is not None:
            if sid in first_seen:
                log.err(rel, id_line, f"duplicate source id {sid!r} (already used by "
                                      f"{log.where(first_seen[sid])})")
                src = None
            else:
                first_seen[sid] = rel
        if src is None:
            broken.add(stem)
            if sid is not None:
                broken.add(sid)
            continue
        sources[src.id] = src
    return sources, broken


def load_source(log: IssueLog, rel: str, path: Path, stem: str, data: bytes,
                entity_ids: set[str] | None) -> tuple[Source | None, str | None, int]:
    """The source (``None`` if it has any issue), its id as written and the id's line."""
    text, bad_line, bad_msg = decode(data)
    if text is None:
        log.err(rel, bad_line, bad_msg)
        return None, None, 0
    parts = _front_matter(log, rel, text)
    if parts is None:
        return None, None, 0
    fm, body, body_line = parts

    what = "front matter"
    n_before = len(log)
    check_keys(log, rel, fm, SOURCE_REQUIRED, SOURCE_OPTIONAL, what, 1)
    fields = {k: str_field(log, rel, fm, k, what) for k in
              ("id", "title", "kind", "publisher", "seed", "url", "attribution", "context")}
    id_line = fm.line_for("id", 1)
    sid = fields["id"]
    if sid is not None:
        _check_id(log, rel, sid, id_line, path, stem)
    about = _about(log, rel, fm, what, entity_ids)
    entries = _section_entries(log, rel, fm)

    if not _NONSPACE_RE.search(body):
        log.err(rel, body_line, "the source has no text after the front matter")
    sections = _sections(log, rel, body, body_line, entries, fields)

    if len(log) != n_before or sections is None or sid is None:
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
        attribution=fields["attribution"],
    )
    return src, sid, id_line


def _front_matter(log: IssueLog, rel: str, text: str) -> tuple[LineDict, str, int] | None:
    """``(front matter, body, the body's first line)``; ``None`` (and an issue) if unusable."""
    opening = _OPEN_RE.match(text)
    if not opening:
        log.err(rel, 1, "missing front matter: the file must start with a '---' line")
        return None
    close = _CLOSE_RE.search(text, opening.end())
    if close is None:
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        log.err(rel, max(last_line, 1), "front matter is not closed: no '---' line "
                                        "after the one on line 1")
        return None
    fm_text = text[opening.end():close.start()]
    close_line = 2 + fm_text.count("\n")
    body_start = close.end() + 1 if close.end() < len(text) else len(text)
    body = text[body_start:]
    body_line = close_line + 1

    try:
        fm = load_yaml(fm_text, first_line=2)
    except YamlError as exc:
        log.err(rel, exc.line, exc.message)
        return None
    if not isinstance(fm, LineDict):
        log.err(rel, line_of(fm, 2) if fm is not None else 1,
                "front matter must be a YAML mapping (key: value lines)"
                + ("" if fm is not None else ", but it is empty"))
        return None
    return fm, body, body_line


def _check_id(log: IssueLog, rel: str, sid: str, id_line: int, path: Path, stem: str) -> None:
    if not ID_RE.match(sid):
        log.err(rel, id_line, f"bad id {sid!r}: use lowercase letters, digits and "
                              f"dashes (starting with a letter or digit)")
    elif sid != stem:
        log.err(rel, id_line, f"id {sid!r} does not match the file name "
                              f"{path.name!r} (expected id {stem!r})")


def _about(log: IssueLog, rel: str, fm: LineDict, what: str,
           entity_ids: set[str] | None) -> tuple[list[str], list[int]] | None:
    """The ``about`` entity ids and their lines; each must be declared in entities.yaml."""
    about = str_list(log, rel, fm, "about", what)
    if about is not None and entity_ids is not None:
        for ent, line in zip(*about, strict=True):
            if ent not in entity_ids:
                log.err(rel, line, f"unknown entity {ent!r} in 'about' "
                                   f"(not in entities.yaml)")
    return about


def _section_entries(log: IssueLog, rel: str, fm: LineDict) -> SectionEntries | None:
    """``sections:`` -> {normalized heading: (line, {attribution/context/kind})}."""
    if "sections" not in fm:
        return {}
    value = fm["sections"]
    line = fm.line_for("sections")
    if not isinstance(value, list):
        log.err(rel, line, f"'sections' must be a list of mappings with keys "
                           f"{', '.join(SECTION_KEYS)}, not {type_name(value)}")
        return None
    out: SectionEntries = {}
    ok = True
    for i, item in enumerate(value):
        item_line = value.line_for(i) if isinstance(value, LineList) else line
        what = f"sections entry {i + 1}"
        if not isinstance(item, LineDict):
            log.err(rel, item_line, f"{what} must be a mapping with keys "
                                    f"{', '.join(SECTION_KEYS)}, not {type_name(item)}")
            ok = False
            continue
        entry = _section_entry(log, rel, item, what)
        if entry is None:
            ok = False
            continue
        heading, attrs = entry
        key = normalize_ws(heading)
        if key in out:
            log.err(rel, item.line_for("heading"), f"duplicate sections entry for heading "
                                                   f"{heading!r} (first on line {out[key][0]})")
            ok = False
            continue
        out[key] = (item.line_for("heading"), attrs)
    return out if ok else None


def _section_entry(log: IssueLog, rel: str, item: LineDict,
                   what: str) -> tuple[str, dict[str, str]] | None:
    """One ``sections:`` item -> (heading, {attribution/context/kind}); ``None`` on any issue."""
    n_before = len(log)
    check_keys(log, rel, item, ("heading",), SECTION_KEYS[1:], what, item.line)
    heading = str_field(log, rel, item, "heading", what)
    attrs = {}
    for key in SECTION_KEYS[1:]:
        v = str_field(log, rel, item, key, what)
        if v is not None:
            attrs[key] = v
    if "kind" in attrs and attrs["kind"] not in SECTION_KINDS:
        log.err(rel, item.line_for("kind"), f"bad section kind {attrs['kind']!r} in "
                                            f"{what}: use prose, plot or timeline")
    if len(log) != n_before or heading is None:
        return None
    return heading, attrs


def _sections(log: IssueLog, rel: str, body: str, body_line: int,
              entries: SectionEntries | None, fields: dict[str, str | None]) -> list[Section] | None:
    """The body's sections, or ``None`` if a heading or a ``sections:`` entry is wrong."""
    title, publisher = fields["title"], fields["publisher"]
    default_attr = attribution_of(fields["attribution"], title, publisher)
    headings, seen, ok = body_headings(log, rel, body, body_line)
    if entries is not None:
        for key, (entry_line, _) in entries.items():
            if key not in seen:
                log.err(rel, entry_line, f"sections heading {key!r} not found in the body "
                                         f"(no '## {key}' line)")
                ok = False
    if not ok or entries is None or title is None or publisher is None:
        return None
    return _build_sections(body, headings, entries, default_attr)


def _build_sections(body: str, headings: list[Heading], entries: SectionEntries,
                    default_attr: str) -> list[Section]:
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
