"""Moderators' insights over a period (no Discord): questions asked, share answered, the
questions declined most often, the answers voted down most often with their quotes and reasons,
the entities asked about most, and a CSV of every answer record."""
from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.store.records import REASONS, AnswerRecord, VoteRow

TOP = 5
_WS = re.compile(r"\s+")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")   # cells a spreadsheet would run as a formula


@dataclass
class DownVoted:
    passage_ids: tuple[str, ...]
    top_quote: str | None = None
    down: int = 0
    up: int = 0
    reasons: Counter = field(default_factory=Counter)
    questions: list[str] = field(default_factory=list)


@dataclass
class Insights:
    asked: int
    answered: int
    logged: int                                  # answers whose question text is kept
    declined: list[tuple[str, int]]              # (question, times), most often first
    down_voted: list[DownVoted]
    entities: list[tuple[str, int]]              # (entity id, times)

    @property
    def share_answered(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


def _norm(question: str) -> str:
    return _WS.sub(" ", question).strip().casefold()


def compute(records: list[AnswerRecord], votes: list[VoteRow]) -> Insights:
    declined = Counter(_norm(r.question) for r in records if r.declined and r.question)
    by_answer = {r.id: r for r in records}
    groups: dict[tuple[str, ...], DownVoted] = defaultdict(lambda: DownVoted(()))
    for vote in votes:
        record = by_answer.get(vote.answer_id)
        if record is None:
            continue
        group = groups[record.passage_ids]
        group.passage_ids, group.top_quote = record.passage_ids, record.top_quote
        if vote.vote < 0:
            group.down += 1
            if vote.reason:
                group.reasons[vote.reason] += 1
            if record.question and _norm(record.question) not in group.questions:
                group.questions.append(_norm(record.question))
        else:
            group.up += 1
    down = sorted((g for g in groups.values() if g.down), key=lambda g: (-g.down, g.up))
    entities = Counter(e for r in records for e in r.entities)
    return Insights(len(records), sum(not r.declined for r in records), sum(r.question is not None for r in records),
                    declined.most_common(TOP), down[:TOP], entities.most_common(TOP))


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


CSV_COLUMNS = ("answer_id", "time_utc", "channel_id", "via", "answered", "corpus_hash", "passage_ids", "topic",
               "entities", "votes_up", "votes_down", "reasons", "question", "top_quote")


def to_csv(records: list[AnswerRecord], votes: list[VoteRow]) -> str:
    tally: dict[str, list] = defaultdict(lambda: [0, 0, Counter()])
    for vote in votes:
        t = tally[vote.answer_id]
        t[0 if vote.vote > 0 else 1] += 1
        if vote.reason:
            t[2][vote.reason] += 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        up, down, reasons = tally[r.id]
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r.created_at))
        writer.writerow([_cell(v) for v in (
            r.id, when, r.channel_id, r.via, "yes" if not r.declined else "no", r.corpus_hash, " ".join(r.passage_ids),
            r.topic, " ".join(r.entities), up, down,
            "; ".join(f"{REASONS.get(k, k)} ({n})" for k, n in reasons.items()), r.question, r.top_quote)])
    return out.getvalue()
