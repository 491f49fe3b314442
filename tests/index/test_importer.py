"""The importer: seed pages against the hand-made sources, HTML and Markdown structure, clutter
listed (never silent), timeline proposals with inferred years, drafts the loader accepts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus.loader import load_corpus
from index.importer import PageMeta, import_page
from index.importer.measure import measure_seeds

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seed_rows():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not found: ../shared is not beside the project")
    rows = measure_seeds(SEEDS, ROOT / "corpus")
    assert len(rows) == 3
    return rows


def test_seed_drafts_keep_the_shipped_text_verbatim(seed_rows):
    for row in seed_rows:
        print(row["seed"], f"text {row['text'].share:.1%}", f"timeline {row['timeline'].share:.1%}")
        assert row["text"].share >= 0.95, (row["seed"], row["missing_text"])


def test_seed_timeline_proposals_match_the_shipped_timeline(seed_rows):
    found = sum(r["timeline"].found for r in seed_rows)
    total = sum(r["timeline"].total for r in seed_rows)
    assert found / total >= 0.90, [(r["seed"], r["missing_timeline"]) for r in seed_rows]
    documentary = next(r for r in seed_rows if r["source"] == "documentary-nanking")
    by_text = {e.text: e for e in documentary["draft"].timeline if e.origin == "timeline section"}
    # the year comes from the narrative ("In August 1937"), and rolls over after December
    shanghai = by_text["Japanese attack Shanghai"]
    assert shanghai.date == "1937-08-13" and shanghai.year_inferred
    assert by_text["Third major wave of violence"].date == "1938-01-28/1938-02-03"
    # an event line with no date takes the date of the narrative sentence it retells
    assert by_text["Safety Zone dissolved; relief efforts continue"].date == "1938-03"
    assert not by_text["Nanking War Trials"].year_inferred


def test_seed_clutter_is_listed_with_reasons(seed_rows):
    removed = {r["source"]: [(x.reason, x.text) for x in r["draft"].removed] for r in seed_rows}
    doc = removed["documentary-nanking"]
    assert ("link or button", "[ See the movie trailer ]") in doc
    assert sum(reason == "navigation menu" for reason, _ in doc) == 2
    assert any(reason == "comment form" for reason, _ in removed["blog-truth-about-nanking"])
    film = removed["film-city-of-life-and-death"]
    assert any(reason == "repeats an earlier paragraph" for reason, _ in film)
    assert any(text.startswith("©") for _, text in film)


@pytest.mark.parametrize("source_id",
                         ["documentary-nanking", "blog-truth-about-nanking", "film-city-of-life-and-death"])
def test_seed_drafts_load_as_a_corpus(seed_rows, tmp_path, source_id):
    row = next(r for r in seed_rows if r["source"] == source_id)
    draft = row["draft"]
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / f"{source_id}.md").write_text(draft.source_markdown(), encoding="utf-8")
    (tmp_path / "timeline.yaml").write_text(draft.timeline_yaml() or "[]\n", encoding="utf-8")
    shutil.copy(ROOT / "corpus" / "entities.yaml", tmp_path / "entities.yaml")
    corpus = load_corpus(tmp_path)
    assert len(corpus.timeline) == len(draft.timeline)
    if source_id == "blog-truth-about-nanking":
        comment = next(s for s in corpus.sources[0].sections if s.title == "Comment 2")
        assert "reader" in comment.attribution and "Nanking (2007)" in corpus.sources[0].text[comment.start:comment.end]


HTML = """<!doctype html><html><head><title>x</title><style>p{color:red}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/films">Films</a></li></ul></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article>
<h1>Minnie Vautrin's diary</h1>
<p>On December 17, 1937, Vautrin wrote   that the
campus held <em>thousands</em> of women.<br>She stood at the gate.</p>
<h2>Later years</h2>
<p>She left China in May 1940.</p>
<script>var secret = "never text";</script>
<div class="share-buttons"><a>Share on Facebook</a></div>
</article>
<footer><p>© 2024 Some Site</p></footer>
</body></html>"""


def test_html_page_headings_text_and_clutter():
    draft = import_page(HTML, PageMeta(id="vautrin-diary", title="Diary", publisher="Some Site"), "page.html")
    body = draft.body
    assert "## Minnie Vautrin's diary" in body and "## Later years" in body
    assert ("On December 17, 1937, Vautrin wrote that the campus held thousands of women.\nShe stood at the gate."
            in body)
    assert "never text" not in body and "color:red" not in body
    reasons = {r.text: r.reason for r in draft.removed}
    assert reasons["Home"] == "navigation menu" and reasons["Films"] == "navigation menu"
    assert "cookie" in reasons["We use cookies."] and "Share on Facebook" in reasons
    assert reasons["© 2024 Some Site"] == "page footer"
    for text in reasons:
        assert text not in body
    dates = {(e.date, e.year_inferred) for e in draft.timeline}
    assert ("1937-12-17", False) in dates and ("1940-05", False) in dates


def test_markdown_headings_and_numbered_lists_stay_verbatim():
    page = "# Title line\n\nIntro paragraph with some words.\n\n## Part two\n\n1. first point\n2. second point\n"
    draft = import_page(page, PageMeta(id="md", title="T", publisher="P"), "notes.md")
    assert draft.body == ("## Title line\n\nIntro paragraph with some words.\n\n## Part two\n\n"
                          "1. first point\n\n2. second point\n")
    assert draft.removed == []


def test_text_timeline_year_inferred_from_narrative_and_flagged():
    page = ("The siege began in November 1937 and the city fell soon after.\n\n"
            "November 20\n\nThe government leaves\n\nDecember 13\n\nThe city falls\n\n"
            "January 5\n\nA new administration\n")
    draft = import_page(page, PageMeta(id="t", title="T", publisher="P"), "t.txt")
    section = [(e.date_text, e.date, e.year_inferred) for e in draft.timeline if e.origin == "timeline section"]
    assert section == [("November 20", "1937-11-20", True), ("December 13", "1937-12-13", True),
                       ("January 5", "1938-01-05", True)]
    assert all(e.note for e in draft.timeline if e.year_inferred)
    assert "## Timeline" in draft.body and draft.sections == [{"heading": "Timeline", "kind": "timeline"}]


def test_a_plot_summary_heading_is_drafted_as_a_plot_section(seed_rows):
    """The film page's "Plot Summary" is proposed as a ``plot`` section, as the shipped source
    marks it ("in the film" questions prefer its passages); other headings are not."""
    film = next(r for r in seed_rows if r["source"] == "film-city-of-life-and-death")["draft"]
    plots = [s["heading"] for s in film.sections if s.get("kind") == "plot"]
    assert plots == ["Plot Summary"]
    others = [r["draft"] for r in seed_rows if r["source"] != "film-city-of-life-and-death"]
    assert not any(s.get("kind") == "plot" for d in others for s in d.sections)
