"""Insights over answer records and votes, and their CSV (no Discord)."""
from __future__ import annotations

import csv
import io

from bot.insights import compute, to_csv
from bot.store.records import AnswerRecord, VoteRow


def rec(answer_id, declined=False, question=None, passages=("p1",), entities=()):
    return AnswerRecord(answer_id, 1_700_000_000.0, 1, 2, "slash", "h", () if declined else passages, declined,
                        None, entities, top_quote=None if declined else "A quote.", question=question,
                        user_id=5 if question else None)


def test_compute_groups_declines_and_down_votes():
    records = [rec("a", question="Who was Rabe?", entities=("john-rabe",)), rec("b", question="who was  rabe?"),
               rec("c", declined=True, question="Weather?"), rec("d", declined=True, question="weather?"),
               rec("e", declined=True)]
    votes = [VoteRow("a", 1, -1, "misleading", 0), VoteRow("b", 2, -1, "wrong-passage", 0), VoteRow("b", 3, 1, None, 0),
             VoteRow("zzz", 4, -1, None, 0)]   # a vote whose answer record is gone is ignored
    ins = compute(records, votes)
    assert (ins.asked, ins.answered, ins.logged) == (5, 2, 4)
    assert ins.declined == [("weather?", 2)]
    [group] = ins.down_voted                   # the same passages: one answer, voted on twice
    assert (group.down, group.up, dict(group.reasons), group.questions) == \
        (2, 1, {"misleading": 1, "wrong-passage": 1}, ["who was rabe?"])
    assert ins.entities == [("john-rabe", 1)]


def test_csv_has_every_record_and_defuses_formulas():
    records = [rec("a", question="=HYPERLINK(\"http://x\")"), rec("b", declined=True)]
    rows = list(csv.DictReader(io.StringIO(to_csv(records, [VoteRow("a", 1, -1, "misleading", 0)]))))
    assert [r["answer_id"] for r in rows] == ["a", "b"]
    assert rows[0]["question"].startswith("'=") and rows[0]["votes_down"] == "1"
    assert rows[0]["reasons"] == "Misleading without context (1)" and rows[1]["answered"] == "no"
