"""``python -m bot import FILE --id ID --title TITLE --publisher PUBLISHER [--kind KIND] [--out DIR]``.

Makes a draft source from a page (plain text, Markdown or HTML): with ``--out`` it writes
``DIR/ID.md`` and, when the page has dates, ``DIR/ID.timeline.yaml``; without it, it prints the
draft. Either way the clutter proposed for removal is listed on stderr, for review.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from index.corpus.sources import ID_RE
from index.text.cut import cut

__all__ = ["add_import_parser", "cmd_import"]


def add_import_parser(sub) -> None:
    p = sub.add_parser("import", help="make a draft corpus source from a text, Markdown or HTML page")
    p.add_argument("file", type=Path, help="the page: a .txt, .md or .html file")
    p.add_argument("--id", required=True, help="the source id (lowercase letters, digits and dashes)")
    p.add_argument("--title", required=True, help="the source's title, as the document gives it")
    p.add_argument("--publisher", required=True, help="as the document itself names it")
    p.add_argument("--kind", default="web-page", help="article / blog-post / book / film-page ... (default web-page)")
    p.add_argument("--out", type=Path, default=None, help="folder to write ID.md and ID.timeline.yaml into")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # imported here: the HTML parser (BeautifulSoup) costs every other command 80 ms at start
    from index.importer import PageMeta, import_page
    from index.importer.page import PageError, read_page

    if not ID_RE.match(args.id):
        print(f"--id {args.id!r}: use lowercase letters, digits and dashes (e.g. rabe-diary)", file=err)
        return 2
    try:
        text = read_page(args.file.read_bytes(), str(args.file))
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror or exc}", file=err)
        return 1
    except PageError as exc:
        print(str(exc), file=err)
        return 1
    meta = PageMeta(id=args.id, title=args.title, publisher=args.publisher, kind=args.kind, seed=args.file.name)
    draft = import_page(text, meta, args.file.name)
    if args.out is None:
        out.write(draft.source_markdown())
        if draft.timeline:
            out.write("\n# ---- proposed timeline.yaml entries ----\n" + draft.timeline_yaml())
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.id}.md").write_text(draft.source_markdown(), encoding="utf-8")
        if draft.timeline:
            (args.out / f"{args.id}.timeline.yaml").write_text(draft.timeline_yaml(), encoding="utf-8")
        print(f"wrote {args.out / (args.id + '.md')}" + (f" and {args.id}.timeline.yaml ({len(draft.timeline)} "
              "entries)" if draft.timeline else ""), file=out)
    print(f"{len(draft.removed)} block(s) proposed as clutter (not in the draft; check them):", file=err)
    for r in draft.removed:
        print(f"  [{r.reason}] {cut(' / '.join(r.text.splitlines()), 120)}", file=err)
    return 0
