"""index.timeline.search: search by date, by words, both; autocomplete choices.

The entries mirror the timeline of the documentary "Nanking" (shared seed 000_6813c49a55c0ba3d).
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.corpus.model import TimelineEntry
from index.dates import parse_iso
from index.timeline.search import TimelineResult, TimelineSearch

STOPWORDS = {"the", "a", "an", "of", "for", "to", "on", "in", "and", "what", "happened", "did",
             "by", "at"}


def tokenize(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]


# (id, date_text, date, year_inferred, text, a distinctive word of the text)
ROWS = [
    ("t-manchuria", "1931", "1931", False,
     "Japanese occupy Manchuria, establish Manchuoko (puppet Japanese state)", "Manchuria"),
    ("t-shanghai-attack", "August 13", "1937-08-13", True, "Japanese attack Shanghai", "attack"),
    ("t-first-air-raid", "August 15", "1937-08-15", True, "First air raid on Nanking", "raid"),
    ("t-shanghai-falls", "November 12", "1937-11-12", True, "Shanghai falls", "falls"),
    ("t-government-leaves", "November 15", "1937-11-15", True,
     "Chiang Kai Shek government begins leaving Nanking", "leaving"),
    ("t-zone-conceived", "November 16", "1937-11-16", True,
     "Nanking Intern ational Committee for the Safety Zone conceived", "conceived"),
    ("t-zone-proposal", "November 22", "1937-11-22", True,
     "Safety Zone proposal sent to the Japanese authorities, rejected weeks later", "proposal"),
    ("t-rabe-wires-hitler", "November 25", "1937-11-25", True,
     "John Rabe wires Hitler for help establishing Safety Zone", "Hitler"),
    ("t-chiang-flees", "December 8", "1937-12-08", True,
     "Chiang Kai Shek and advisors flee city", "flee"),
    ("t-assault-begins", "December 10", "1937-12-10", True,
     "Japanese forces wait for surrender flag at midday ; none arrives.  Assault on city begins",
     "surrender"),
    ("t-first-wave", "December 14 -21", "1937-12-14/1937-12-21", True,
     "Rape, pillage, murder: first major wave of violence", "pillage"),
    ("t-second-wave", "December 21", "1937-12-21", True,
     "Japanese military reorganized to complete \"mop-up;\u201d second major wave of violence "
     "begins", "reorganized"),
    ("t-third-wave", "Jan. 28 - Feb 3", "1938-01-28/1938-02-03", True,
     "Third major wave of violence", "Third"),
    ("t-tokyo-trials", "May 3, 1946 \u2013 Nov 12, 1948", "1946-05-03/1948-11-12", False,
     "Tokyo Trials (International Military Tribunal for the Far East )", "Tribunal"),
    ("t-nanking-trials", "Aug 1946 \u2013 Feb 1947", "1946-08/1947-02", False,
     "Nanking War Trials", "War"),
    ("t-matsui", "November 1948", "1948-11", False, "Matsui convicted by IMFTE", "Matsui"),
    ("t-relations", "September, 1972", "1972-09", False,
     "Japan and China resume diplomatic relations", "diplomatic"),
]


def _entry(row) -> TimelineEntry:
    tid, date_text, iso, inferred, text, _ = row
    precision = parse_iso(iso).precision
    return TimelineEntry(id=tid, date_text=date_text, date=iso, precision=precision,
                         year_inferred=inferred, text=text, source_id="documentary-nanking",
                         text_start=0, text_end=len(text))


ENTRIES = [_entry(r) for r in ROWS]
BY_ID = {e.id: e for e in ENTRIES}
DISTINCTIVE = {r[0]: r[5] for r in ROWS}


@pytest.fixture(scope="module")
def timeline() -> TimelineSearch:
    # shuffled input: the search sorts by date itself
    return TimelineSearch(list(reversed(ENTRIES)), tokenize)


def ids(entries) -> list[str]:
    return [e.id for e in entries]


# --------------------------------------------------------------------------- all / empty


def test_all_in_date_order(timeline):
    assert ids(timeline.all()) == [r[0] for r in ROWS]
    assert len(timeline) == len(ROWS)


def test_order_ties_broken_by_end_then_id():
    a = _entry(("b", "December 14 -21", "1937-12-14/1937-12-21", True, "x", "x"))
    b = _entry(("a", "December 14", "1937-12-14", True, "y", "y"))
    c = _entry(("c", "December 14", "1937-12-14", True, "z", "z"))
    assert ids(TimelineSearch([c, a, b], tokenize).all()) == ["a", "c", "b"]


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "\u200b"])
def test_empty_query_lists_everything(timeline, query):
    result = timeline.search(query)
    assert result.kind == "all"
    assert ids(result.entries) == [r[0] for r in ROWS]
    assert result.error is None
    assert ids(timeline.search(query, limit=3).entries) == [r[0] for r in ROWS[:3]]


def test_bad_entry_date_is_reported_with_its_id():
    with pytest.raises(ValueError, match="t-bad"):
        TimelineEntry("t-bad", "February 30", "1937-02-30", "day", False, "x", "s", 0, 1)


# --------------------------------------------------------------------------- every entry is findable


@pytest.mark.parametrize("tid", [r[0] for r in ROWS])
def test_each_entry_found_by_its_date_text(timeline, tid):
    entry = BY_ID[tid]
    result = timeline.search(entry.date_text)
    assert result.kind == "date", entry.date_text
    assert tid in ids(result.entries)


@pytest.mark.parametrize("tid", [r[0] for r in ROWS])
def test_each_entry_found_by_its_iso_date(timeline, tid):
    result = timeline.search(BY_ID[tid].date)
    assert result.kind == "date"
    assert tid in ids(result.entries)


@pytest.mark.parametrize("tid", [r[0] for r in ROWS])
def test_each_entry_found_by_a_distinctive_word(timeline, tid):
    result = timeline.search(DISTINCTIVE[tid])
    assert result.kind == "words"
    assert ids(result.entries) == [tid]
    assert not result.partial


# --------------------------------------------------------------------------- by date


def test_dec_13_matches_nothing_and_suggests_the_nearest(timeline):
    result = timeline.search("Dec 13")
    assert result.kind == "date"
    assert result.entries == []
    assert ids(result.suggestions) == ["t-assault-begins", "t-first-wave"]
    assert result.error is None


def test_december_1937(timeline):
    result = timeline.search("December 1937")
    assert ids(result.entries) == ["t-chiang-flees", "t-assault-begins", "t-first-wave",
                                   "t-second-wave"]
    assert result.total == 4
    assert ids(timeline.search("December 1937", limit=2).entries) == ["t-chiang-flees",
                                                                      "t-assault-begins"]


def test_yearless_month(timeline):
    assert ids(timeline.search("december").entries) == ids(timeline.search("Dec 1937").entries)
    # the entries of a November first, then the trials that run through one
    assert ids(timeline.search("November").entries) == [
        "t-shanghai-falls", "t-government-leaves", "t-zone-conceived", "t-zone-proposal",
        "t-rabe-wires-hitler", "t-matsui", "t-tokyo-trials"]


def test_1946_finds_the_trials(timeline):
    assert ids(timeline.search("1946").entries) == ["t-tokyo-trials", "t-nanking-trials"]


def test_overlapping_range(timeline):
    # the entry of exactly those months first, then the one around them
    assert ids(timeline.search("Aug 1946 - Feb 1947").entries) == ["t-nanking-trials",
                                                                   "t-tokyo-trials"]
    assert ids(timeline.search("1946–1948").entries) == ["t-tokyo-trials", "t-nanking-trials",
                                                         "t-matsui"]


def test_third_wave_by_yearless_range(timeline):
    result = timeline.search("Jan 28 to Feb 3")
    assert result.kind == "date"
    assert ids(result.entries)[0] == "t-third-wave"
    # the other match ends in February (1947): a yearless range compares month/days
    assert set(ids(result.entries)) <= {"t-third-wave", "t-nanking-trials"}
    assert ids(timeline.search("Jan 28 to Feb 3, 1938").entries) == ["t-third-wave"]


def test_day_range_and_single_days(timeline):
    assert ids(timeline.search("Dec 14 - 21").entries) == ["t-first-wave", "t-second-wave"]
    assert ids(timeline.search("December 15th").entries) == ["t-first-wave"]
    assert ids(timeline.search("13 August 1937").entries) == ["t-shanghai-attack"]
    assert ids(timeline.search("between Nov 12 and Nov 16, 1937").entries) == [
        "t-shanghai-falls", "t-government-leaves", "t-zone-conceived"]
    # without a year: those days of any year, so November 1948 too
    assert ids(timeline.search("between Nov 12 and Nov 16").entries) == [
        "t-shanghai-falls", "t-government-leaves", "t-zone-conceived", "t-tokyo-trials",
        "t-matsui"]
    # a yearless day also finds a long entry that starts or ends that day, and a month entry
    assert ids(timeline.search("Nov 12").entries) == ["t-shanghai-falls", "t-tokyo-trials",
                                                      "t-matsui"]


def test_no_match_far_away_suggests_the_nearest(timeline):
    result = timeline.search("2020")
    assert result.entries == []
    assert ids(result.suggestions) == ["t-relations"]
    result = timeline.search("1900")
    assert ids(result.suggestions) == ["t-manchuria"]
    result = timeline.search("1940")
    assert ids(result.suggestions) == ["t-third-wave", "t-tokyo-trials"]


def test_impossible_date_is_an_error(timeline):
    result = timeline.search("Feb 30")
    assert result.kind == "none"
    assert result.entries == [] and result.suggestions == []
    assert result.error is not None
    assert result.error.startswith("“Feb 30” is not a valid date")
    assert timeline.search("1937-13").error.startswith("“1937-13” is not a valid date")
    assert timeline.search("what happened on feb 30").error is not None


def test_unknown_month_word_is_a_word_search(timeline):
    result = timeline.search("Smarch 5")
    assert result.kind == "words"
    assert result.entries == [] and result.error is None


# --------------------------------------------------------------------------- by words


def test_safety_zone(timeline):
    result = timeline.search("safety zone")
    assert result.kind == "words"
    assert ids(result.entries) == ["t-zone-conceived", "t-zone-proposal", "t-rabe-wires-hitler"]
    assert result.terms == ("safety", "zone")
    assert not result.partial


def test_matsui(timeline):
    assert ids(timeline.search("Matsui").entries) == ["t-matsui"]
    assert ids(timeline.search("MATSUI convicted").entries) == ["t-matsui"]


def test_any_word_ranked_by_how_many_then_date(timeline):
    result = timeline.search("Shanghai wave unicorn")
    assert result.partial
    # no entry has all three; each of these has one, in date order
    assert ids(result.entries) == ["t-shanghai-attack", "t-shanghai-falls", "t-first-wave",
                                   "t-second-wave", "t-third-wave"]
    result = timeline.search("third wave violence unicorn")
    assert ids(result.entries)[0] == "t-third-wave"


def test_word_query_without_matches_suggests_similar_words(timeline):
    result = timeline.search("safet")
    assert result.entries == []
    assert ids(result.suggestions) == ["t-zone-conceived", "t-zone-proposal",
                                       "t-rabe-wires-hitler"]
    assert timeline.search("xyzzy").suggestions == []


def test_stopwords_only(timeline):
    result = timeline.search("the of")
    assert result.kind == "none"
    assert result.entries == [] and result.error is None


# --------------------------------------------------------------------------- date and words


def test_date_plus_words_filters_by_both(timeline):
    result = timeline.search("Nov 1937 safety zone")
    assert result.kind == "date"
    assert ids(result.entries) == ["t-zone-conceived", "t-zone-proposal", "t-rabe-wires-hitler"]
    assert ids(timeline.search("1937 Shanghai").entries) == ["t-shanghai-attack",
                                                             "t-shanghai-falls"]
    assert ids(timeline.search("Shanghai November").entries) == ["t-shanghai-falls"]


def test_date_inside_a_question(timeline):
    result = timeline.search("what happened on dec 14")
    assert result.kind == "date"
    assert ids(result.entries) == ["t-first-wave"]
    assert ids(timeline.search("dec 14-21 what happened").entries) == ["t-first-wave",
                                                                       "t-second-wave"]
    result = timeline.search("what happened on dec 13")
    assert result.entries == []
    assert ids(result.suggestions) == ["t-assault-begins", "t-first-wave"]


def test_filler_words_do_not_hide_date_matches(timeline):
    # no December entry mentions the safety zone: the date alone decides
    result = timeline.search("Dec 1937 safety zone")
    assert result.kind == "date"
    assert ids(result.entries) == ids(timeline.search("December 1937").entries)


# --------------------------------------------------------------------------- autocomplete


def test_autocomplete_empty_lists_first_in_date_order(timeline):
    choices = timeline.autocomplete("")
    assert [v for _, v in choices] == [e.date for e in ENTRIES]
    assert choices[1] == ("13 August 1937 — Japanese attack Shanghai", "1937-08-13")
    assert len(timeline.autocomplete("", limit=5)) == 5


def test_autocomplete_never_more_than_25():
    many = [_entry((f"t{i:03}", "1937", "1937", False, f"event number {i}", "x"))
            for i in range(60)]
    search = TimelineSearch(many, tokenize)
    assert len(search.autocomplete("")) == 25
    assert len(search.autocomplete("event")) == 25
    assert len(search.autocomplete("event", limit=100)) == 25
    assert len(search.autocomplete("event", limit=7)) == 7
    assert search.autocomplete("event", limit=0) == []


def test_autocomplete_labels_are_short_and_values_find_their_entry(timeline):
    long_text = "Rabe " + "writes a very long diary entry about the refugees " * 6
    entry = _entry(("t-long", "December 17", "1937-12-17", True, long_text.strip(), "diary"))
    search = TimelineSearch(ENTRIES + [entry], tokenize)
    choices = search.autocomplete("")
    assert len(choices) == 18
    for label, value in choices:
        assert 1 <= len(label) <= 100
        assert 1 <= len(value) <= 100
    long_label = dict((v, lab) for lab, v in choices)["1937-12-17"]
    assert long_label.endswith("…")
    assert long_label.startswith("17 December 1937 — Rabe writes")
    assert not long_label[:-1].endswith(" ")
    body = long_label[:-1]
    assert long_text.startswith(body.split(" — ", 1)[1])     # cut at a word boundary
    assert long_text[len(body.split(" — ", 1)[1])] == " "
    for e in ENTRIES + [entry]:
        label, value = search.choice(e)
        assert e in search.search(value).entries


@pytest.mark.parametrize("typed, expected", [
    ("saf", ["t-zone-conceived", "t-zone-proposal", "t-rabe-wires-hitler"]),
    ("Safety zo", ["t-zone-conceived", "t-zone-proposal", "t-rabe-wires-hitler"]),
    ("matsu", ["t-matsui"]),
    ("dec 1", ["t-assault-begins", "t-first-wave"]),
    ("1937-12", ["t-chiang-flees", "t-assault-begins", "t-first-wave", "t-second-wave"]),
    ("1946", ["t-tokyo-trials", "t-nanking-trials"]),
    ("Dec 14", ["t-first-wave"]),
    ("sept", ["t-relations"]),
])
def test_autocomplete_matches(timeline, typed, expected):
    values = [v for _, v in timeline.autocomplete(typed)]
    got = [next(e.id for e in ENTRIES if e.date == v) for v in values]
    assert got[:len(expected)] == expected
    assert set(expected) <= set(got)


def test_autocomplete_date_matches_come_first(timeline):
    values = [v for _, v in timeline.autocomplete("december 1937")]
    assert values[:4] == ["1937-12-08", "1937-12-10", "1937-12-14/1937-12-21", "1937-12-21"]


def test_autocomplete_invalid_or_unknown(timeline):
    assert timeline.autocomplete("xyzzy") == []
    assert isinstance(timeline.autocomplete("Feb 30"), list)


# --------------------------------------------------------------------------- robustness

_weird = st.sampled_from(["\u200b", "\u200d", "\ufeff", "\u00ad", "\u202e", "\u0301", "\U0001F600",
                          "–", "—", "Dec", "13", "1937", "saf", " ", "\n", "\x00", "ǅ", "İ", "ß"])


@settings(max_examples=300, deadline=None)
@given(st.text() | st.lists(_weird, max_size=20).map("".join))
def test_search_and_autocomplete_never_raise(timeline, text):
    result = timeline.search(text)
    assert isinstance(result, TimelineResult)
    assert result.kind in ("date", "words", "all", "none")
    assert len(result.suggestions) <= 3
    choices = timeline.autocomplete(text)
    assert len(choices) <= 25
    for label, value in choices:
        assert 1 <= len(label) <= 100 and 1 <= len(value) <= 100


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_long_queries_never_raise(timeline, chunk):
    text = (chunk * (10_000 // len(chunk) + 1))[:10_000]
    timeline.search(text)
    timeline.search(text, limit=5)
    assert len(timeline.autocomplete(text)) <= 25


def test_long_query_with_date_at_the_end(timeline):
    text = "x " * 5000 + "on dec 14"
    assert ids(timeline.search(text).entries) == ["t-first-wave"]


def test_zero_width_characters_are_ignored_in_dates(timeline):
    assert ids(timeline.search("De\u200bc 14").entries) == ["t-first-wave"]
    assert ids(timeline.search("\u200bMatsui\u200b").entries) == ["t-matsui"]


def test_with_the_project_tokenizer():
    tokenize_module = pytest.importorskip("index.text.tokenize")
    search = TimelineSearch(ENTRIES, tokenize_module.Tokenizer().tokens)
    assert ids(search.search("safety zone").entries) == ["t-zone-conceived", "t-zone-proposal",
                                                         "t-rabe-wires-hitler"]
    assert ids(search.search("Matsui").entries) == ["t-matsui"]
    assert ids(search.search("December 1937").entries)[0] == "t-chiang-flees"
    values = [v for _, v in search.autocomplete("saf")]
    assert values[:3] == ["1937-11-16", "1937-11-22", "1937-11-25"]


def test_entries_of_the_asked_dates_come_before_those_around_them():
    """ "Dec 13" asks for a day: its entry first, then the month's that holds it, each group in
    date order (as the answer builder orders them, ``index.timeline.dated``)."""
    rows = [("t-month", "December 1937", "1937-12", False, "The month of the siege", "siege"),
            ("t-fall", "December 13", "1937-12-13", True, "The city falls", "falls"),
            ("t-later", "December 2007", "2007-12", False, "An anniversary", "anniversary")]
    search = TimelineSearch([_entry(r) for r in rows], tokenize)
    assert ids(search.search("Dec 13").entries) == ["t-fall", "t-month", "t-later"]
    assert ids(search.search("December 1937").entries) == ["t-month", "t-fall"]
    assert ids(search.all()) == ["t-month", "t-fall", "t-later"]
