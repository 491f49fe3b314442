"""Follow-up questions measured (tests/data/conversations.yaml): success@1 on the follow-up turn of
each conversation, answered with the conversation's memory and without it (the question alone).

Each item: ``turns`` (the earlier questions, answered in order through the memory), ``question``
(the follow-up that is scored), ``evidence`` (verbatim substrings; success@1 when the first quote
holds one) or ``answerable: false`` (success when the bot declines).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answering.answers import Answer, build_answer
from bot.conversation import ConversationMemory, answer_in
from index.engine import Index

_WS = re.compile(r"\s+")
K = 3


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def hit(answer: Answer, item: dict) -> bool:
    if not item.get("answerable", True):
        return not answer.answered
    if not answer.quotes:
        return False
    top = answer.quotes[0]
    texts = [_norm(top.text)] + ([_norm(top.date_text)] if top.date_text else [])
    return any(_norm(e) in t for e in item.get("evidence", []) for t in texts)


@dataclass
class ConversationReport:
    total: int = 0
    with_memory: int = 0
    without_memory: int = 0
    resolved: int = 0                       # follow-ups given a topic from the conversation
    misses: list[str] = field(default_factory=list)   # ids missed with memory, with the topic assumed
    unanswerable_declined: int = 0          # of ``with_memory``, the unanswerable ones declined

    def summary(self) -> str:
        n = self.total or 1
        return (f"{self.total} follow-ups: success@1 with memory {self.with_memory / n:.3f} "
                f"({self.with_memory}/{self.total}), "
                f"without memory {self.without_memory / n:.3f} ({self.without_memory}/{self.total}); "
                f"topic assumed for {self.resolved}")


def follow_up(index: Index, item: dict) -> tuple[Answer, Answer, str | None]:
    """(answer with memory, answer without, the topic assumed) for one conversation."""
    memory = ConversationMemory()
    for turn in item.get("turns", []):
        answer_in(memory, "c", index, turn, K)
    with_memory, resolution = answer_in(memory, "c", index, item["question"], K)
    alone = build_answer(index, item["question"], K)
    return with_memory, alone, resolution.topic.id if resolution.topic else None


def evaluate_conversations(index: Index, items: list[dict]) -> ConversationReport:
    report = ConversationReport()
    for item in items:
        with_memory, alone, topic = follow_up(index, item)
        report.total += 1
        report.resolved += topic is not None
        report.without_memory += hit(alone, item)
        if hit(with_memory, item):
            report.with_memory += 1
            report.unanswerable_declined += not item.get("answerable", True)
        else:
            report.misses.append(f"{item['id']} (topic {topic or '-'})")
    return report


def load_conversations(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
