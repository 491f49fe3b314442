"""JSON renderings: one object per answer or timeline query (the CLI prints one per line)."""
from __future__ import annotations

import json
from typing import Any

from bot.answering.answers import Answer
from index.corpus.model import TimelineEntry


def answer_dict(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answered": answer.answered,
        "chat": answer.chat,
        "quotes": [
            {
                "rank": q.rank, "text": q.text, "source_id": q.source_id,
                "source_title": q.source_title, "attribution": q.attribution,
                "section": q.section, "date": q.date, "score": q.score,
                "passage_id": q.passage_id, "date_text": q.date_text,
                "year_inferred": q.year_inferred, "span": [q.start, q.end],
                "context": list(q.context),
            }
            for q in answer.quotes
        ],
        "notes": list(answer.notes),
    }


def entry_dict(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "date": entry.date, "date_text": entry.date_text, "year_inferred": entry.year_inferred,
        "text": entry.text, "source_id": entry.source_id,
    }


def timeline_dict(query: str, entries: list[TimelineEntry], **extra: Any) -> dict[str, Any]:
    return {"query": query, "entries": [entry_dict(e) for e in entries], **extra}


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)
