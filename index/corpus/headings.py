"""A source body's section headings: its ``## `` lines, each with its file line."""
from __future__ import annotations

import re

from index.corpus.errors import IssueLog
from index.text.verbatim import normalize_ws

# (title, file line, start of the heading line, start of its text)
Heading = tuple[str, int, int, int]

# A heading line after a line break: a literal to search for (``^`` with re.M is tried at every
# position: 8 times slower on a long body); a heading on the body's first line is checked apart.
_HEADING_RE = re.compile(r"\n## ([^\n]*)")


def body_headings(log: IssueLog, rel: str, body: str,
                  body_line: int) -> tuple[list[Heading], dict[str, int], bool]:
    """The body's ``## `` lines, the line of each normalized title, and whether all are valid."""
    ok = True
    headings: list[Heading] = []
    seen: dict[str, int] = {}
    line, pos = body_line, 0
    for start, raw_title, end in heading_lines(body):
        line += body.count("\n", pos, start)
        pos = start
        title_text = raw_title.strip()
        if not title_text:
            log.err(rel, line, "empty section heading ('## ' with no title)")
            ok = False
        else:
            key = normalize_ws(title_text)
            if key in seen:
                log.err(rel, line, f"duplicate section heading {title_text!r} "
                                   f"(first on line {seen[key]})")
                ok = False
            else:
                seen[key] = line
        text_start = min(end + 1, len(body))
        headings.append((title_text, line, start, text_start))
    return headings, seen, ok


def heading_lines(body: str):
    """(start, title, end) of each ``## `` line of the body."""
    if body.startswith("## "):
        end = body.find("\n")
        yield 0, body[3:end if end >= 0 else len(body)], end if end >= 0 else len(body)
    for m in _HEADING_RE.finditer(body):
        yield m.start() + 1, m.group(1), m.end()
