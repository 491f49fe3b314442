"""The importer: a plain-text, Markdown or HTML page -> a draft source in the corpus format.

``import_page(data, meta)`` returns a :class:`~index.importer.draft.Draft`: the text verbatim,
paragraphs cut on the page's own structure, headings kept as sections, reader comments as
``Comment N`` sections, web clutter proposed for removal *and listed* (``Draft.removed``), and
the timeline section and dated sentences proposed as ``timeline.yaml`` entries. No Discord here:
the CLI (``python -m bot import``) and ``/corpus add`` both call it.
"""
from __future__ import annotations

from index.importer.clutter import mark_clutter
from index.importer.draft import Draft, PageMeta, Removed, render_body
from index.importer.html import html_blocks, looks_like_html
from index.importer.structure import comment_sections, infer_headings, timeline_span
from index.importer.text import text_blocks
from index.importer.timeline import ProposedEntry, propose_timeline

__all__ = ["import_page", "Draft", "PageMeta", "ProposedEntry", "Removed", "page_format"]


def page_format(text: str, filename: str = "") -> str:
    """``html``, ``markdown`` or ``text``: by the file name's extension, else by the content."""
    name = filename.lower()
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith(".txt"):
        return "text"
    return "html" if looks_like_html(text) else "text"


def import_page(text: str, meta: PageMeta, filename: str = "") -> Draft:
    """Make the draft source of one page (``text`` already decoded)."""
    fmt = page_format(text, filename)
    blocks = html_blocks(text) if fmt == "html" else text_blocks(text, markdown=fmt == "markdown")
    blocks = mark_clutter(blocks)
    if fmt == "text":
        infer_headings(blocks)
    span = timeline_span(blocks)
    if span is not None:
        for block in blocks[span[0]:span[1] + 1]:
            block.timeline = True
    comments = comment_sections(blocks)
    body, sections = render_body(blocks, comments, span, meta.title)
    removed = [Removed(b.text, b.clutter) for b in blocks if b.clutter]
    timeline = propose_timeline(blocks, span)
    return Draft(meta, body, sections, removed, timeline)
