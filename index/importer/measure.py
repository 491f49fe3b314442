"""How close an importer draft comes to a hand-made source: verbatim text kept, timeline matched.

``text_recall``: the share (by characters) of the hand-made source's paragraphs that occur word
for word in the draft's text (whitespace aside; headings are labels, not text, on both sides).
``timeline_recall``: the share of the hand-made ``timeline.yaml`` entries of that source with a
proposed entry of the same normalized date whose text equals or contains theirs, or is contained
in it (a clause of the same sentence); ``exact`` counts equal texts only. ``measure_seeds``
imports every seed page a corpus names and measures both (``benchmarks.importer_seeds`` prints
them; the importer's tests hold them to a floor).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.corpus.loader import load_corpus
from index.corpus.model import Source, TimelineEntry
from index.importer import PageMeta, import_page
from index.importer.draft import Draft
from index.text.verbatim import normalize_ws

__all__ = ["Recall", "measure_seeds", "text_recall", "timeline_recall"]


@dataclass(frozen=True)
class Recall:
    found: int
    total: int
    exact: int = 0
    inferred_agree: int = 0

    @property
    def share(self) -> float:
        return self.found / self.total if self.total else 1.0


def _paragraphs(body: str) -> list[str]:
    paras = [p.strip() for p in body.split("\n\n")]
    return [p for p in paras if p and not p.startswith("## ")]


def text_recall(shipped: Source, draft: Draft) -> tuple[Recall, list[str]]:
    """The recall and the shipped paragraphs not found in the draft."""
    haystack = " ".join(normalize_ws(p) for p in _paragraphs(draft.body))
    found = total = 0
    missing = []
    for para in _paragraphs(shipped.text):
        n = len(normalize_ws(para))
        total += n
        if normalize_ws(para) in haystack:
            found += n
        else:
            missing.append(para)
    return Recall(found, total), missing


def timeline_recall(shipped: list[TimelineEntry], draft: Draft) -> tuple[Recall, list[TimelineEntry]]:
    found = exact = agree = 0
    missing = []
    for entry in shipped:
        want = normalize_ws(entry.text)
        best = None
        for p in draft.timeline:
            got = normalize_ws(p.text)
            if p.date == entry.date and (got == want or got in want or want in got):
                best = p if best is None or got == want else best
        if best is None:
            missing.append(entry)
            continue
        found += 1
        exact += normalize_ws(best.text) == want
        agree += best.year_inferred == entry.year_inferred
    return Recall(found, len(shipped), exact, agree), missing


def measure_seeds(seeds: Path, corpus_dir: Path) -> list[dict]:
    """For each source of the corpus whose seed page is in ``seeds``: the draft made from the page
    with only an id, a title and a publisher, and its recalls against the source."""
    corpus = load_corpus(corpus_dir)
    rows = []
    for source in corpus.sources:
        page = seeds / source.seed
        if not page.is_file():
            continue
        meta = PageMeta(id=source.id, title=source.title, publisher=source.publisher, seed=source.seed)
        draft = import_page(page.read_text(encoding="utf-8"), meta, page.name)
        text, missing_text = text_recall(source, draft)
        shipped = [e for e in corpus.timeline if e.source_id == source.id]
        timeline, missing_tl = timeline_recall(shipped, draft)
        rows.append({"seed": page.name, "source": source.id, "text": text, "timeline": timeline,
                     "missing_text": missing_text, "missing_timeline": missing_tl, "draft": draft})
    return rows
