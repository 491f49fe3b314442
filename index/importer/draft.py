"""The draft source: front matter + verbatim body, the removed clutter and the proposed timeline."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from index.importer.blocks import HEADING, ITEM, Block
from index.importer.timeline import ProposedEntry
from index.text.verbatim import normalize_ws

__all__ = ["PageMeta", "Removed", "Draft", "render_body"]


@dataclass(frozen=True)
class PageMeta:
    id: str
    title: str
    publisher: str
    kind: str = "web-page"
    seed: str = ""
    url: str | None = None
    attribution: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Removed:
    text: str
    reason: str


@dataclass
class Draft:
    meta: PageMeta
    body: str
    sections: list[dict] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    timeline: list[ProposedEntry] = field(default_factory=list)

    def front_matter(self) -> dict:
        m = self.meta
        data: dict = {"id": m.id, "title": m.title, "kind": m.kind, "publisher": m.publisher,
                      "seed": m.seed or f"{m.id}.txt"}
        for key in ("url", "attribution", "context"):
            if getattr(m, key):
                data[key] = getattr(m, key)
        if self.sections:
            data["sections"] = self.sections
        return data

    def source_markdown(self) -> str:
        head = yaml.safe_dump(self.front_matter(), sort_keys=False, allow_unicode=True, width=100)
        return f"---\n{head}---\n{self.body}"

    def timeline_entries(self) -> list[dict]:
        out = []
        for n, e in enumerate(self.timeline, start=1):
            item = {"id": f"t-{self.meta.id}-{n:02d}", "source": self.meta.id, "date_text": e.date_text,
                    "date": e.date}
            if e.year_inferred:
                item["year_inferred"] = True
            item["text"] = e.text
            if e.note:
                item["note"] = e.note
            out.append(item)
        return out

    def timeline_yaml(self) -> str:
        if not self.timeline:
            return ""
        head = f"# ---- {self.meta.id}: proposed by the importer; check each date and text ----\n"
        return head + yaml.safe_dump(self.timeline_entries(), sort_keys=False, allow_unicode=True, width=100)


def _unique(title: str, used: set[str]) -> str:
    name, n = title, 2
    while name in used:
        name, n = f"{title} ({n})", n + 1
    used.add(name)
    return name


# Headings under which a film page tells the story ("Plot", "Plot Summary", "Synopsis").
_PLOT_HEADING = re.compile(r"^(?:plot(?: summary| synopsis)?|synopsis|storyline)$", re.I)

def render_body(blocks: list[Block], comments: dict[int, int], span: tuple[int, int] | None,
                doc_title: str) -> tuple[str, list[dict]]:
    """The Markdown body (blank-line separated paragraphs, ``## `` headings) and ``sections``."""
    parts: list[str] = []
    sections: list[dict] = []
    used: set[str] = set()
    for i, block in enumerate(blocks):
        if span and i == span[0] and not (parts and parts[-1].startswith("## ") and "timeline" in parts[-1].lower()):
            parts.append("## " + _unique("Timeline", used))
        if span and i == span[0]:
            sections.append({"heading": parts[-1][3:], "kind": "timeline"})
        if not block.kept:
            continue
        if block.kind == HEADING:
            parts.append("## " + _unique(normalize_ws(block.text), used))
            if _PLOT_HEADING.match(parts[-1][3:]):   # a film's story: proposed as a ``plot`` section
                sections.append({"heading": parts[-1][3:], "kind": "plot"})
            continue
        number = comments.get(id(block))
        if number is not None:
            heading = _unique(f"Comment {number}", used)
            parts.append("## " + heading)
            sections.append({"heading": heading,
                             "attribution": f"Reader comment {number} on “{doc_title}” (a reader, not the author)",
                             "context": "A reader's opinion posted under the page, not the author's view."})
            parts.append(block.text)
            continue
        if span and span[1] < i and sections and sections[-1].get("kind") == "timeline" and \
                parts and not _after_timeline_heading(parts):
            parts.append("## " + _unique("After the timeline", used))
        text = block.text if block.kind != ITEM or block.number is None else f"{block.number}. {block.text}"
        parts.append(text)
    return "\n\n".join(parts) + "\n", sections


def _after_timeline_heading(parts: list[str]) -> bool:
    return any(p.startswith("## After the timeline") for p in parts)
