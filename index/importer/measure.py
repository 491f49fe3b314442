"""How close an importer draft comes to a hand-made source: verbatim text kept, timeline matched.

``text_recall``: the share (by characters) of the hand-made source's paragraphs that occur word
for word in the draft's text (whitespace aside; headings are labels, not text, on both sides).
``timeline_recall``: the share of the hand-made ``timeline.yaml`` entries of that source with a
proposed entry of the same normalized date whose text equals or contains theirs, or is contained
in it (a clause of the same sentence); ``exact`` counts equal texts only.
"""
from __future__ import annotations

from dataclasses import dataclass

from index.corpus.model import Source, TimelineEntry
from index.importer.draft import Draft

__all__ = ["Recall", "text_recall", "timeline_recall"]


@dataclass(frozen=True)
class Recall:
    found: int
    total: int
    exact: int = 0
    inferred_agree: int = 0

    @property
    def share(self) -> float:
        return self.found / self.total if self.total else 1.0


def _norm(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(body: str) -> list[str]:
    paras = [p.strip() for p in body.split("\n\n")]
    return [p for p in paras if p and not p.startswith("## ")]


def text_recall(shipped: Source, draft: Draft) -> tuple[Recall, list[str]]:
    """The recall and the shipped paragraphs not found in the draft."""
    haystack = " ".join(_norm(p) for p in _paragraphs(draft.body))
    found = total = 0
    missing = []
    for para in _paragraphs(shipped.text):
        n = len(_norm(para))
        total += n
        if _norm(para) in haystack:
            found += n
        else:
            missing.append(para)
    return Recall(found, total), missing


def timeline_recall(shipped: list[TimelineEntry], draft: Draft) -> tuple[Recall, list[TimelineEntry]]:
    found = exact = agree = 0
    missing = []
    for entry in shipped:
        want = _norm(entry.text)
        best = None
        for p in draft.timeline:
            got = _norm(p.text)
            if p.date == entry.date and (got == want or got in want or want in got):
                best = p if best is None or got == want else best
        if best is None:
            missing.append(entry)
            continue
        found += 1
        exact += _norm(best.text) == want
        agree += best.year_inferred == entry.year_inferred
    return Recall(found, len(shipped), exact, agree), missing
