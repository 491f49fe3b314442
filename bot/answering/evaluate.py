"""Answer quality on labelled questions (../shared/eval format), with figures by category, style
and language.

success@k: one of the top-k quotes contains one of the item's evidence strings (whitespace folded).
An unanswerable question succeeds when the bot declines it. Every quote is also checked to be
verbatim source text.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answering.answers import analyse, compose, decide
from bot.answering.types import Answer
from index.retrieval.protocol import Retriever
from index.text.verbatim import normalize_ws

_STYLE = re.compile(r"^# style:\s*(.+?)\s*\n- id:\s*(\S+)", re.M)
UNANSWERABLE_STYLES = ("off", "near", "absent", "adv")


def load_items(*paths: Path) -> list[dict]:
    """Items of one or more files; each gets its ``style`` from the ``# style:`` line above it."""
    items = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        styles = {item_id: style for style, item_id in _STYLE.findall(text)}
        for item in yaml.safe_load(text) or []:
            item.setdefault("style", styles.get(item["id"], ""))
            item.setdefault("lang", "en")
            items.append(item)
    return items


def group_of(item: dict) -> str:
    """Translations of an item share its group (so cross-validation never splits them)."""
    return re.sub(r"-(zh|ja|de|es)$", "", item["id"])


@dataclass
class Tally:
    answerable: int = 0
    at1: int = 0
    at3: int = 0
    declined_answerable: int = 0
    unanswerable: int = 0
    declined: int = 0

    def add(self, item: dict, first: int | None, answered: bool) -> None:
        if item.get("answerable", True):
            self.answerable += 1
            self.at1 += first == 0
            self.at3 += first is not None and first < 3
            self.declined_answerable += not answered
        else:
            self.unanswerable += 1
            self.declined += not answered

    def add_tally(self, other: Tally) -> None:
        for name in ("answerable", "at1", "at3", "declined_answerable", "unanswerable", "declined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        a = self.answerable or 1
        parts = []
        if self.answerable:
            parts.append(f"success@1 {self.at1 / a:.3f} ({self.at1}/{self.answerable}), "
                         f"success@3 {self.at3 / a:.3f} ({self.at3}/{self.answerable}), "
                         f"answerable declined {self.declined_answerable}/{self.answerable}")
        if self.unanswerable:
            parts.append(f"unanswerable declined {self.declined}/{self.unanswerable}")
        return "; ".join(parts)


@dataclass
class EvalReport:
    total: Tally = field(default_factory=Tally)
    by: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[str] = field(default_factory=list)
    wrongly_declined: list[str] = field(default_factory=list)
    wrongly_answered: list[str] = field(default_factory=list)
    not_verbatim: list[str] = field(default_factory=list)

    @classmethod
    def pooled(cls, reports: list[EvalReport]) -> EvalReport:
        """The figures of several runs over the same questions added up (their rates are the
        runs' means); the questions listed (misses, declines, quotes) are the first run's."""
        first = reports[0]
        out = cls(misses=first.misses, wrongly_declined=first.wrongly_declined,
                  wrongly_answered=first.wrongly_answered,
                  not_verbatim=sorted({q for r in reports for q in r.not_verbatim}))
        for report in reports:
            out.total.add_tally(report.total)
            for name, tally in report.by.items():
                out.by[name].add_tally(tally)
        return out

    # the figures tests and the README quote
    @property
    def answerable(self) -> int:
        return self.total.answerable

    @property
    def unanswerable(self) -> int:
        return self.total.unanswerable

    @property
    def at1(self) -> int:
        return self.total.at1

    @property
    def at3(self) -> int:
        return self.total.at3

    @property
    def declined(self) -> int:
        return self.total.declined

    def rate(self, n: int) -> float:
        return n / self.answerable if self.answerable else 0.0

    def share_declined(self, *styles: str) -> float:
        t = [self.by[f"style {s}"] for s in styles]
        n = sum(x.unanswerable for x in t)
        return sum(x.declined for x in t) / n if n else 1.0

    def summary(self) -> str:
        return self.total.line() + f"; non-verbatim quotes {len(self.not_verbatim)}"

    def details(self) -> str:
        lines = [self.summary()]
        lines += [f"  {name}: {t.line()}" for name, t in sorted(self.by.items())]
        if self.misses:
            lines.append("not at rank 1: " + ", ".join(self.misses))
        if self.wrongly_declined:
            lines.append("answerable but declined: " + ", ".join(self.wrongly_declined))
        if self.wrongly_answered:
            lines.append("unanswerable but answered: " + ", ".join(self.wrongly_answered))
        return "\n".join(lines)


def holds_evidence(item: dict, text: str, date_text: str | None = None) -> bool:
    """Does the text (a passage's, a quote's), its date, or the two as a timeline line reads
    ("November 12 Shanghai falls", as the bot shows the entry) hold one of the item's evidence strings?"""
    dated = [normalize_ws(date_text), normalize_ws(f"{date_text} {text}")] if date_text else []
    strings = [normalize_ws(text), *dated]
    return any(normalize_ws(e) in s for e in item.get("evidence", []) for s in strings)


def first_evidence(item: dict, answer: Answer) -> int | None:
    return next((i for i, q in enumerate(answer.quotes) if holds_evidence(item, q.text, q.date_text)), None)


def score(report: EvalReport, retriever: Retriever, item: dict, answer: Answer) -> None:
    first = first_evidence(item, answer) if answer.answered else None
    answerable = item.get("answerable", True)
    for key in (f"category {item.get('category', '?')}", f"lang {item.get('lang', 'en')}",
                *(f"style {s.strip()}" for s in item.get("style", "").split(",") if s.strip())):
        report.by[key].add(item, first, answer.answered)
    report.total.add(item, first, answer.answered)
    if answerable and not answer.answered:
        report.wrongly_declined.append(item["id"])
    elif answerable and first != 0:
        report.misses.append(f"{item['id']} (rank {None if first is None else first + 1})")
    if not answerable and answer.answered:
        report.wrongly_answered.append(item["id"])
    for q in answer.quotes:
        if normalize_ws(retriever.source(q.source_id).text[q.start:q.end]) != normalize_ws(q.text):
            report.not_verbatim.append(f"{item['id']}#{q.rank}")


def evaluate(retriever: Retriever, items: list[dict]) -> EvalReport:
    """With the shipped decision model."""
    report = EvalReport()
    for item in items:
        analysis = analyse(retriever, item["question"])
        answered, p = decide(analysis)
        score(report, retriever, item, compose(retriever, analysis, answered, p, k=3))
    return report
