"""Retrieval quality on a question set with evidence (../shared/eval/dev.yaml format).

success@k: one of the top-k quotes contains one of the evidence strings (whitespace and case of
spacing aside). Unanswerable questions succeed when the bot declines them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answering.answers import build_answer
from index.engine import Index

_WS = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


@dataclass
class EvalReport:
    answerable: int = 0
    at1: int = 0
    at3: int = 0
    unanswerable: int = 0
    declined: int = 0                 # unanswerable questions answered "not in my sources"
    wrongly_declined: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def rate(self, n: int) -> float:
        return n / self.answerable if self.answerable else 0.0

    def summary(self) -> str:
        return (f"success@1 {self.rate(self.at1):.3f} ({self.at1}/{self.answerable}), "
                f"success@3 {self.rate(self.at3):.3f} ({self.at3}/{self.answerable}), "
                f"unanswerable declined {self.declined}/{self.unanswerable}, "
                f"answerable wrongly declined {len(self.wrongly_declined)}")


def _quote_strings(quote) -> list[str]:
    strings = [_norm(quote.text)]
    if quote.date_text:
        strings.append(_norm(quote.date_text))
    return strings


def evaluate(index: Index, items: list[dict]) -> EvalReport:
    report = EvalReport()
    for item in items:
        answer = build_answer(index, item["question"], k=3)
        if not item.get("answerable", True):
            report.unanswerable += 1
            report.declined += not answer.answered
            continue
        report.answerable += 1
        if not answer.answered:
            report.wrongly_declined.append(item["id"])
        evidence = [_norm(e) for e in item.get("evidence", [])]
        ranks = [i for i, q in enumerate(answer.quotes)
                 if any(e in s for e in evidence for s in _quote_strings(q))]
        first = ranks[0] if ranks else None
        report.at1 += first == 0
        report.at3 += first is not None and first < 3
        if first != 0:
            report.misses.append(f"{item['id']} (rank {None if first is None else first + 1})")
    return report


def load_items(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
