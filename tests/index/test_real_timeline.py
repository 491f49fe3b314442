"""Every timeline line of the documentary site is found by its date and by its words."""
import pytest

from index.dates import format_date

DOC = "documentary-nanking"


def entries(index):
    return [e for e in index.corpus.timeline if e.source_id == DOC]


def test_the_documentary_timeline_is_complete(index):
    source = index.corpus.source_by_id[DOC]
    timeline = next(s for s in source.sections if s.kind == "timeline")
    lines = [row.strip() for row in source.text[timeline.start:timeline.end].splitlines() if row.strip()]
    quoted = {" ".join(e.text.split()) for e in entries(index)}
    events = [row for row in lines if " ".join(row.split()) in quoted]
    # every line of the timeline section is an event, a date, or the "After the war" label
    dates = {" ".join(e.date_text.split()) for e in entries(index)}
    leftover = [row for row in lines if " ".join(row.split()) not in quoted | dates]
    assert leftover == ["After the war"]
    assert len(events) >= 17


def test_found_by_its_date_as_written_by_iso_and_by_readable_date(index):
    for entry in entries(index):
        for query in (entry.date_text, entry.date, format_date(entry.date)):
            found = index.timeline.search(query).entries
            assert entry in found, (query, entry.id, [e.id for e in found])


def test_found_by_its_words(index):
    for entry in entries(index):
        assert entry in index.timeline.search(entry.text).entries, entry.id
        longest = max(entry.text.replace(";", " ").split(), key=len)
        assert entry in index.timeline.search(longest).entries, (longest, entry.id)


@pytest.mark.parametrize("query, expected_text", [
    ("Dec 13", "by December 13th, the Japanese had defeated"),
    ("13 December 1937", "by December 13th, the Japanese had defeated"),
    ("1937-12-13", "by December 13th, the Japanese had defeated"),
    ("December 1937", "Chiang Kai Shek and advisors flee city"),
    ("1946", "Tokyo Trials"),
    ("Aug 1946 - Feb 1947", "Nanking War Trials"),
    ("Jan 28 to Feb 3", "Third major wave of violence"),
    ("safety zone", "Safety Zone dissolved"),
    ("Matsui", "Matsui convicted by IMFTE"),
])
def test_issue_examples(index, query, expected_text):
    assert any(expected_text in e.text for e in index.timeline.search(query).entries)
