"""index.corpus.loader.load_corpus: loading and validating the corpus folder (format: corpus/README.md)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import index.corpus.loader as corpus_mod
from index.corpus.errors import CorpusError, CorpusIssue
from index.corpus.loader import load_corpus
from index.dates import read_iso
from index.text.verbatim import find_verbatim, normalize_ws

REAL_CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# --------------------------------------------------------------------------- helpers

ALPHA = """\
---
id: alpha
title: Alpha Page
kind: blog-post
publisher: a blog
seed: 001_alpha.txt
about: [nanking]
sections:
  - heading: Comment 1
    attribution: Reader comment 1 on Alpha (not the blog author)
    context: A reader's opinion.
  - heading: Timeline
    kind: timeline
---
Intro paragraph about Nanking.

## Comment 1
I disagree with the post.

## Timeline
December 13, 1937 - The city
falls.
"""
ALPHA_BODY_LINE = 15

BETA = """\
---
id: beta
title: Beta Film
kind: film-website
publisher: Beta Films Inc.
seed: 002_beta.txt
url: https://example.org/beta
attribution: The Beta Films website
context: >-
  A promotional site.
---
Beta is a documentary.
It was released in 2007.
"""

TIMELINE = """\
- id: t-fall
  source: alpha
  date_text: December 13, 1937
  date: "1937-12-13"
  text: The city falls.
- id: t-fall-unquoted
  source: alpha
  date_text: December 13
  date: 1937-12-13
  year_inferred: true
  text: "The   city\\n falls."
  note: same event, unquoted date
- id: t-range
  source: beta
  date_text: "2007"
  date: 2007-01/2007-12
  text: released in 2007
"""

ENTITIES = """\
- id: nanking
  name: Nanking
  kind: place
  aliases: [Nanjing, Nan-king]
- id: beta-film
  name: Beta
  kind: film
"""


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def make_corpus(tmp_path: Path, sources: dict[str, str | bytes] | None = None,
                timeline: str | bytes | None = TIMELINE,
                entities: str | bytes | None = ENTITIES) -> Path:
    root = tmp_path / "corpus"
    (root / "sources").mkdir(parents=True)
    if sources is None:
        sources = {"alpha": ALPHA, "beta": BETA}
    for name, content in sources.items():
        write(root, f"sources/{name}.md", content)
    if timeline is not None:
        write(root, "timeline.yaml", timeline)
    if entities is not None:
        write(root, "entities.yaml", entities)
    return root


def source(sid: str = "gamma", extra: str = "", body: str = "Some text.\n") -> str:
    """A valid source with ``extra`` front matter lines (lines 7.. of the file)."""
    return (f"---\nid: {sid}\ntitle: T\nkind: article\npublisher: P\nseed: s.txt\n"
            f"{extra}---\n{body}")


def issues(root: Path) -> list[str]:
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    err = info.value
    assert err.issues, "CorpusError without issues"
    assert all(isinstance(i, CorpusIssue) for i in err.issues)
    assert str(err) == "\n".join(str(i) for i in err.issues)
    return [str(i) for i in err.issues]


def assert_issue(root: Path, where: str, *fragments: str) -> list[str]:
    """There is an issue ``where: ...`` containing every fragment (``where`` = file:line)."""
    found = issues(root)
    for msg in found:
        if msg.startswith(where + ": ") and all(f in msg for f in fragments):
            return found
    pytest.fail(f"no issue '{where}: ...{fragments}' in:\n" + "\n".join(found))


# --------------------------------------------------------------------------- valid corpora


def test_valid_corpus_loads(tmp_path):
    root = make_corpus(tmp_path)
    c = load_corpus(root, max_source_bytes=None)
    assert c.root == root
    assert [s.id for s in c.sources] == ["alpha", "beta"]
    assert len(c.content_hash) == 64

    alpha = c.source_by_id["alpha"]
    assert alpha.title == "Alpha Page" and alpha.kind == "blog-post"
    assert alpha.publisher == "a blog" and alpha.seed == "001_alpha.txt"
    assert alpha.url is None and alpha.context is None
    assert alpha.about == ("nanking",)
    assert alpha.path == root / "sources" / "alpha.md"
    assert alpha.body_line == ALPHA_BODY_LINE
    assert alpha.text == ALPHA.split("---\n", 2)[2]
    file_lines = (root / "sources" / "alpha.md").read_text().split("\n")
    assert file_lines[alpha.body_line - 1] == alpha.text.split("\n")[0]

    intro, comment, tl = alpha.sections
    assert intro.title is None
    assert alpha.text[intro.start:intro.end] == "Intro paragraph about Nanking.\n\n"
    assert intro.attribution == "Alpha Page (a blog)"
    assert intro.context is None and intro.kind == "prose"

    assert comment.title == "Comment 1"
    assert alpha.text[comment.start:comment.end] == "I disagree with the post.\n\n"
    assert "## Comment 1" not in alpha.text[comment.start:comment.end]
    assert comment.attribution == "Reader comment 1 on Alpha (not the blog author)"
    assert comment.context == "A reader's opinion."
    assert comment.kind == "prose"

    assert tl.title == "Timeline" and tl.kind == "timeline"
    assert alpha.text[tl.start:tl.end] == "December 13, 1937 - The city\nfalls.\n"
    assert tl.attribution == "Alpha Page (a blog)" and tl.context is None

    beta = c.source_by_id["beta"]
    assert beta.url == "https://example.org/beta"
    assert beta.context == "A promotional site."
    assert beta.about == ()
    (only,) = beta.sections
    assert only.title is None and (only.start, only.end) == (0, len(beta.text))
    assert only.attribution == "The Beta Films website"

    assert [e.id for e in c.entities] == ["nanking", "beta-film"]
    assert c.entities[0].aliases == ("Nanjing", "Nan-king")
    assert c.entities[1].aliases == () and c.entities[1].kind == "film"


def test_timeline_entries_and_spans(tmp_path):
    c = load_corpus(make_corpus(tmp_path))
    assert [t.id for t in c.timeline] == ["t-fall", "t-fall-unquoted", "t-range"]
    fall, unquoted, rng = c.timeline
    alpha = c.source_by_id["alpha"]

    assert fall.text == "The city\nfalls."  # the source's own characters
    assert alpha.text[fall.text_start:fall.text_end] == fall.text
    assert fall.date == "1937-12-13" and fall.precision == "day"
    assert fall.date_text == "December 13, 1937"
    assert fall.year_inferred is False and fall.note is None
    assert fall.source_id == "alpha"

    assert unquoted.date == "1937-12-13" and unquoted.year_inferred is True
    assert (unquoted.text_start, unquoted.text_end) == (fall.text_start, fall.text_end)
    assert unquoted.note == "same event, unquoted date"

    beta = c.source_by_id["beta"]
    assert rng.date == "2007-01/2007-12" and rng.precision == "month"
    assert beta.text[rng.text_start:rng.text_end] == "released in 2007"
    for t in c.timeline:
        src = c.source_by_id[t.source_id]
        assert src.text[t.text_start:t.text_end] == t.text
        assert find_verbatim(src.text, t.date_text) is not None


def test_source_without_headings_and_leading_blank_text(tmp_path):
    body = "\n  \n## Only\nHello.\n## Empty\n"
    root = make_corpus(tmp_path, {"gamma": source(body=body)}, timeline=None, entities=None)
    (s,) = load_corpus(root).sources
    assert [x.title for x in s.sections] == ["Only", "Empty"]  # whitespace-only intro dropped
    assert s.text[s.sections[0].start:s.sections[0].end] == "Hello.\n"
    assert s.text[s.sections[1].start:s.sections[1].end] == ""
    assert s.sections[0].attribution == "T (P)"


def test_heading_at_end_without_newline(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source(body="Text.\n## Last")}, None, None)
    (s,) = load_corpus(root).sources
    assert s.sections[-1].title == "Last"
    assert s.sections[-1].start == s.sections[-1].end == len(s.text)


def test_missing_timeline_and_entities_are_empty(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source()}, timeline=None, entities=None)
    c = load_corpus(root, max_source_bytes=None)
    assert c.timeline == () and c.entities == ()
    assert [s.id for s in c.sources] == ["gamma"]


def test_empty_yaml_files_are_empty_lists(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source()}, timeline="", entities="# nothing yet\n")
    c = load_corpus(root, max_source_bytes=None)
    assert c.timeline == () and c.entities == ()


def test_bom_and_crlf_load_like_lf(tmp_path):
    lf = load_corpus(make_corpus(tmp_path / "lf"))
    variants = {
        "crlf": lambda s: s.replace("\n", "\r\n").encode(),
        "cr": lambda s: s.replace("\n", "\r").encode(),
        "bom": lambda s: b"\xef\xbb\xbf" + s.encode(),
        "bom-crlf": lambda s: b"\xef\xbb\xbf" + s.replace("\n", "\r\n").encode(),
    }
    for name, enc in variants.items():
        root = make_corpus(tmp_path / name, {"alpha": enc(ALPHA), "beta": enc(BETA)},
                           timeline=enc(TIMELINE), entities=enc(ENTITIES))
        c = load_corpus(root, max_source_bytes=None)
        assert [s.text for s in c.sources] == [s.text for s in lf.sources], name
        assert [s.sections for s in c.sources] == [s.sections for s in lf.sources], name
        assert [s.body_line for s in c.sources] == [s.body_line for s in lf.sources], name
        assert c.timeline == lf.timeline, name
        assert c.entities == lf.entities, name
        assert "\r" not in "".join(s.text for s in c.sources)
        assert "\ufeff" not in "".join(s.text for s in c.sources)
        assert c.content_hash != lf.content_hash  # the bytes differ


def test_hidden_and_non_md_files_are_ignored(tmp_path):
    root = make_corpus(tmp_path)
    write(root, "sources/notes.txt", "not a source")
    write(root, "sources/.#alpha.md", "editor lock file")
    (root / "sources" / "sub").mkdir()
    write(root, "sources/sub/delta.md", "nested files are not read")
    write(root, "README.md", "# readme")
    assert [s.id for s in load_corpus(root).sources] == ["alpha", "beta"]


# --------------------------------------------------------------------------- content hash


def test_content_hash_is_stable_and_changes_with_any_byte(tmp_path):
    root = make_corpus(tmp_path)
    h1 = load_corpus(root).content_hash
    assert load_corpus(root).content_hash == h1
    path = root / "sources" / "beta.md"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"documentary", b"documentarY"))
    h2 = load_corpus(root).content_hash
    assert h2 != h1
    path.write_bytes(data)
    assert load_corpus(root).content_hash == h1
    tl = root / "timeline.yaml"
    tl.write_bytes(tl.read_bytes() + b"\n")
    assert load_corpus(root).content_hash != h1


def test_content_hash_covers_file_names(tmp_path):
    a = make_corpus(tmp_path / "a", {"gamma": source("gamma")}, None, None)
    b = make_corpus(tmp_path / "b", {"gamma": source("gamma")}, None, None)
    assert load_corpus(a).content_hash == load_corpus(b).content_hash  # root location does not matter
    write(b, "entities.yaml", "")
    assert load_corpus(b).content_hash != load_corpus(a).content_hash


# --------------------------------------------------------------------------- root and files


def test_missing_root(tmp_path):
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path / "corpus")
    (issue,) = info.value.issues
    assert str(issue).startswith("corpus:0: ") and "not found" in str(issue)


def test_root_is_a_file(tmp_path):
    (tmp_path / "corpus").write_text("x")
    with pytest.raises(CorpusError) as info:
        load_corpus(str(tmp_path / "corpus"))
    assert str(info.value.issues[0]).startswith("corpus:0: ")
    assert "not a folder" in str(info.value)


def test_no_sources_is_an_error(tmp_path):
    root = make_corpus(tmp_path, {}, timeline=None, entities=None)
    assert issues(root) == ["corpus:0: corpus has no sources (no sources/*.md files)"]
    shutil.rmtree(root / "sources")
    assert_issue(root, "corpus:0", "corpus has no sources")


def test_root_vanishing_mid_load_is_a_corpus_error(tmp_path, monkeypatch):
    root = make_corpus(tmp_path)
    real_read = corpus_mod.read_file
    calls = []

    def vanishing_read(path):
        calls.append(path)
        if len(calls) == 1:
            shutil.rmtree(root)
        return real_read(path)

    monkeypatch.setattr(corpus_mod, "read_file", vanishing_read)
    found = issues(root)
    assert any(m.startswith("corpus/sources/alpha.md:0: cannot read file") for m in found), found
    assert any("disappeared" in m for m in found), found


def test_root_vanishing_after_reading_sources_is_not_a_silent_empty_timeline(tmp_path, monkeypatch):
    root = make_corpus(tmp_path)
    real_read = corpus_mod.read_file

    def read_then_vanish(path):
        data = real_read(path)
        if path.name == "beta.md":
            shutil.rmtree(root)
        return data

    monkeypatch.setattr(corpus_mod, "read_file", read_then_vanish)
    assert_issue(root, "corpus:0", "disappeared while loading")


def test_symlink_loops_do_not_hang(tmp_path):
    root = make_corpus(tmp_path)
    src = root / "sources"
    os.symlink(src, src / "loop")              # a directory loop: ignored (not *.md)
    os.symlink(src, src / "loopdir.md")        # a directory named *.md: not a regular file
    os.symlink(src / "self.md", src / "self.md")  # a looping symlink
    os.symlink(src / "nowhere", src / "broken.md")  # a broken symlink
    found = issues(root)
    assert sorted(m for m in found) == sorted([
        next(m for m in found if m.startswith("corpus/sources/broken.md:0: cannot read file")),
        "corpus/sources/loopdir.md:0: not a regular file",
        next(m for m in found if m.startswith("corpus/sources/self.md:0: cannot read file")),
    ])


def test_symlinked_regular_file_inside_the_corpus_is_read(tmp_path):
    root = make_corpus(tmp_path, {"alpha": ALPHA}, timeline=None)
    (root / "drafts").mkdir()
    target = root / "drafts" / "elsewhere.md"   # outside the folder: tests/index/test_corpus_disk.py
    target.write_text(source("gamma"))
    os.symlink(target, root / "sources" / "gamma.md")
    assert [s.id for s in load_corpus(root).sources] == ["alpha", "gamma"]


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    root = make_corpus(tmp_path, {
        "alpha": ALPHA.replace("title: Alpha Page\n", ""),
        "beta": BETA.replace("kind: film-website", "kind: film-website\ncolour: blue"),
        "gamma": b"---\nid: gamma\ntitle: caf\xe9\n---\nx\n",
    }, timeline=TIMELINE.replace("t-range", "t-fall"),
        entities=ENTITIES.replace("kind: film", "kind: film\n  colour: red"))
    found = issues(root)
    assert [m.split(": ")[0] for m in found] == [
        "corpus/entities.yaml:8",
        "corpus/sources/alpha.md:1",
        "corpus/sources/beta.md:5",
        "corpus/sources/gamma.md:3",
        "corpus/timeline.yaml:13",
    ], found


# --------------------------------------------------------------------------- decoding


def test_non_utf8_source(tmp_path):
    bad = source(body="Line one.\nCaf\xe9 au lait.\n").encode("latin-1")
    root = make_corpus(tmp_path, {"alpha": ALPHA, "gamma": bad}, timeline=None)
    found = issues(root)
    assert found == ["corpus/sources/gamma.md:9: not valid UTF-8 (byte 0xe9 at column 4)"]


def test_non_utf8_with_crlf_and_bom_counts_lines_right(tmp_path):
    bad = b"\xef\xbb\xbf" + source(body="x\ny\n").replace("\n", "\r\n").encode() + b"\xe9\r\n"
    root = make_corpus(tmp_path, {"gamma": bad}, timeline=None, entities=None)
    assert issues(root) == ["corpus/sources/gamma.md:10: not valid UTF-8 (byte 0xe9 at column 1)"]
    bad_first = b"\xef\xbb\xbf--\xff-\n"
    root2 = make_corpus(tmp_path / "2", {"gamma": bad_first}, timeline=None, entities=None)
    assert issues(root2) == ["corpus/sources/gamma.md:1: not valid UTF-8 (byte 0xff at column 3)"]


def test_non_utf8_timeline_and_entities(tmp_path):
    root = make_corpus(tmp_path, timeline=TIMELINE.encode() + b"# caf\xe9\n",
                       entities=b"- id: x\n  name: Z\xfcrich\n  kind: place\n")
    found = issues(root)
    assert "corpus/timeline.yaml:18: not valid UTF-8 (byte 0xe9 at column 6)" in found
    assert "corpus/entities.yaml:2: not valid UTF-8 (byte 0xfc at column 10)" in found


# --------------------------------------------------------------------------- front matter


def test_missing_front_matter(tmp_path):
    root = make_corpus(tmp_path, {"gamma": "Just text.\n"}, timeline=None, entities=None)
    assert_issue(root, "corpus/sources/gamma.md:1", "missing front matter")


def test_front_matter_not_at_first_line(tmp_path):
    root = make_corpus(tmp_path, {"gamma": "\n" + source()}, timeline=None, entities=None)
    assert_issue(root, "corpus/sources/gamma.md:1", "missing front matter")


def test_unclosed_front_matter(tmp_path):
    text = "---\nid: gamma\ntitle: T\nkind: article\n"
    root = make_corpus(tmp_path, {"gamma": text}, timeline=None, entities=None)
    assert_issue(root, "corpus/sources/gamma.md:4", "front matter is not closed")


def test_truncated_file_only_opening_line(tmp_path):
    root = make_corpus(tmp_path, {"gamma": "---"}, timeline=None, entities=None)
    assert_issue(root, "corpus/sources/gamma.md:1", "front matter is not closed")


def test_front_matter_must_be_a_mapping(tmp_path):
    root = make_corpus(tmp_path, {"gamma": "---\n- a\n- b\n---\ntext\n"}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:2", "front matter must be a YAML mapping")
    root2 = make_corpus(tmp_path / "2", {"gamma": "---\n---\ntext\n"}, None, None)
    assert_issue(root2, "corpus/sources/gamma.md:1", "front matter must be a YAML mapping", "empty")


def test_front_matter_tab_indentation_is_a_yaml_error(tmp_path):
    text = source(extra="about:\n\t- nanking\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, ENTITIES)
    assert_issue(root, "corpus/sources/gamma.md:8",
                 "YAML error: found character '\\t' that cannot start any token")


def test_front_matter_yaml_syntax_error_line(tmp_path):
    text = source(extra="context: [unclosed\nurl: x\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, None)
    found = issues(root)
    assert len(found) == 1 and found[0].startswith("corpus/sources/gamma.md:8: YAML error:"), found


def test_unknown_key(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source(extra="author: Someone\n")}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:7", "unknown key 'author'")


def test_duplicate_key(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source(extra="title: Again\n")}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:7", "duplicate key 'title'", "line 3")


def test_missing_required_key(tmp_path):
    text = "---\nid: gamma\ntitle: T\nkind: article\npublisher: P\n---\nbody\n"
    root = make_corpus(tmp_path, {"gamma": text}, None, None)
    assert issues(root) == ["corpus/sources/gamma.md:1: missing required key 'seed' in front matter"]


@pytest.mark.parametrize("line", ["url:", "url: ''", "url: '   '", "context: ~"])
def test_empty_value(tmp_path, line):
    root = make_corpus(tmp_path, {"gamma": source(extra=line + "\n")}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:7", "empty value for")


@pytest.mark.parametrize("extra, fragment", [
    ("title: 1937\n", "'title' in front matter must be a string, not a number (put it in quotes)"),
    ("url: [a, b]\n", "'url' in front matter must be a string, not a list"),
    ("about: nanking\n", "'about' in front matter must be a list of strings"),
    ("about: {a: b}\n", "'about' in front matter must be a list of strings, not a mapping"),
    ("sections: Comment 1\n", "'sections' must be a list of mappings"),
])
def test_wrong_types(tmp_path, extra, fragment):
    # "title" is already on line 3; a second one is a duplicate -- so replace it
    text = source(extra=extra)
    if extra.startswith("title"):
        text = text.replace("title: T\n", "")
        line = 6
    else:
        line = 7
    root = make_corpus(tmp_path, {"gamma": text}, None, ENTITIES)
    assert_issue(root, f"corpus/sources/gamma.md:{line}", fragment)


def test_about_items_must_be_strings(tmp_path):
    text = source(extra="about:\n  - nanking\n  - 42\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, ENTITIES)
    assert_issue(root, "corpus/sources/gamma.md:9", "'about'", "item 2 is a number")


def test_about_unknown_entity(tmp_path):
    text = source(extra="about:\n  - nanking\n  - rabe\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, ENTITIES)
    assert issues(root) == ["corpus/sources/gamma.md:9: unknown entity 'rabe' in 'about' "
                            "(not in entities.yaml)"]


def test_about_without_entities_file(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source(extra="about: [nanking]\n")}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:7", "unknown entity 'nanking'")


@pytest.mark.parametrize("entry, line, fragment", [
    ("  - Comment 1\n", 8, "sections entry 1 must be a mapping"),
    ("  - heading: C\n    by: me\n", 9, "unknown key 'by' in sections entry 1"),
    ("  - attribution: x\n", 8, "missing required key 'heading' in sections entry 1"),
    ("  - heading: C\n    kind: comments\n", 9, "bad section kind 'comments'"),
    ("  - heading: C\n    context: ''\n", 9, "empty value for 'context'"),
    ("  - heading: C\n  - heading: C\n", 9, "duplicate sections entry for heading 'C'"),
    ("  - heading: Nope\n", 8, "sections heading 'Nope' not found in the body"),
])
def test_bad_sections_entries(tmp_path, entry, line, fragment):
    text = source(extra="sections:\n" + entry, body="Intro.\n## C\nText.\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, None)
    assert_issue(root, f"corpus/sources/gamma.md:{line}", fragment)


def test_duplicate_headings_in_body(tmp_path):
    body = "Intro.\n## Comment\nOne.\n## Other\nx\n## Comment\nTwo.\n"
    root = make_corpus(tmp_path, {"gamma": source(body=body)}, None, None)
    # front matter is lines 1-7, body starts on line 8
    assert issues(root) == ["corpus/sources/gamma.md:13: duplicate section heading 'Comment' "
                            "(first on line 9)"]


def test_empty_heading_and_non_headings(tmp_path):
    body = "Intro.\n##\n### Sub\n #### x\n##no-space\n## \nText.\n"
    root = make_corpus(tmp_path, {"gamma": source(body=body)}, None, None)
    assert issues(root) == ["corpus/sources/gamma.md:13: empty section heading ('## ' with no title)"]
    ok = make_corpus(tmp_path / "ok", {"gamma": source(body=body.replace("## \n", ""))}, None, None)
    (s,) = load_corpus(ok).sources
    assert [x.title for x in s.sections] == [None]


def test_section_heading_matching_is_whitespace_normalized(tmp_path):
    text = source(extra="sections:\n  - heading: Comment   3\n    attribution: Reader\n",
                  body="## Comment 3\nHi.\n")
    root = make_corpus(tmp_path, {"gamma": text}, None, None)
    (s,) = load_corpus(root).sources
    assert s.sections[0].attribution == "Reader"


def test_empty_body(tmp_path):
    root = make_corpus(tmp_path, {"gamma": source(body="\n  \n")}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:8", "no text after the front matter")


@pytest.mark.parametrize("sid, fragment", [
    ("Gamma", "bad id 'Gamma'"),
    ("-gamma", "bad id '-gamma'"),
    ("gam_ma", "bad id 'gam_ma'"),
    ("delta", "id 'delta' does not match the file name 'gamma.md'"),
])
def test_bad_source_id(tmp_path, sid, fragment):
    root = make_corpus(tmp_path, {"gamma": source(sid)}, None, None)
    assert_issue(root, "corpus/sources/gamma.md:2", fragment)


def test_duplicate_source_id_across_files(tmp_path):
    root = make_corpus(tmp_path, {"a-one": source("b-two"), "b-two": source("b-two")}, None, None)
    found = issues(root)
    assert "corpus/sources/b-two.md:2: duplicate source id 'b-two' (already used by " \
           "corpus/sources/a-one.md)" in found
    assert any(m.startswith("corpus/sources/a-one.md:2: id 'b-two' does not match") for m in found)


def test_broken_source_does_not_cascade_into_timeline_errors(tmp_path):
    root = make_corpus(tmp_path, {"alpha": ALPHA.replace("seed:", "seed: [oops"), "beta": BETA})
    found = issues(root)
    assert all(m.startswith("corpus/sources/alpha.md:") for m in found), found


# --------------------------------------------------------------------------- timeline.yaml

TL_HEAD = "- id: t1\n  source: beta\n"


def tl_corpus(tmp_path, timeline: str) -> Path:
    return make_corpus(tmp_path, {"beta": BETA}, timeline=timeline, entities=None)


def test_timeline_must_be_a_list(tmp_path):
    root = tl_corpus(tmp_path, "id: t1\nsource: beta\n")
    assert_issue(root, "corpus/timeline.yaml:1", "must be a YAML list of entries")


def test_timeline_entry_must_be_a_mapping(tmp_path):
    root = tl_corpus(tmp_path, "- just a string\n")
    assert_issue(root, "corpus/timeline.yaml:1", "timeline entry 1 must be a mapping")


def test_timeline_yaml_tab_error(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + "\tdate: '2007'\n")
    assert_issue(root, "corpus/timeline.yaml:3", "YAML error: found character '\\t'")


def test_timeline_unknown_and_missing_keys(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + "  date_text: '2007'\n  date: '2007'\n"
                                         "  event: released\n")
    found = assert_issue(root, "corpus/timeline.yaml:5", "unknown key 'event' in timeline entry 't1'")
    assert "corpus/timeline.yaml:1: missing required key 'text' in timeline entry 't1'" in found


ENTRY = "  date_text: '2007'\n  date: '2007'\n  text: released in 2007\n"


def test_timeline_duplicate_ids(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY + TL_HEAD + ENTRY)
    assert issues(root) == ["corpus/timeline.yaml:6: duplicate timeline id 't1' (first on line 1)"]


def test_timeline_unknown_source(tmp_path):
    root = tl_corpus(tmp_path, "- id: t1\n  source: gamma\n" + ENTRY)
    assert issues(root) == ["corpus/timeline.yaml:2: unknown source 'gamma' in timeline entry "
                            "'t1' (no sources/gamma.md)"]


def test_timeline_date_text_not_in_source(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY.replace("date_text: '2007'", "date_text: June 2007"))
    assert issues(root) == ["corpus/timeline.yaml:3: date_text 'June 2007' of timeline entry 't1' "
                            "not found in source 'beta'"]


def test_timeline_text_not_in_source(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY.replace("released in", "released early in"))
    assert issues(root) == ["corpus/timeline.yaml:5: text of timeline entry 't1' not found "
                            "verbatim in source 'beta': 'released early in 2007'"]


def test_timeline_text_multiline_yaml_matches(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + "  date_text: '2007'\n  date: '2007'\n"
                                         "  text: >-\n    Beta is a documentary.\n"
                                         "    It was released\n")
    (t,) = load_corpus(root).timeline
    assert t.text == "Beta is a documentary.\nIt was released"


@pytest.mark.parametrize("date, fragment", [
    ("'1937-02-30'", "impossible date '1937-02-30'"),
    ("1937-02-30", "impossible date '1937-02-30'"),           # unquoted: YAML can't build it
    ("'1937-13'", "impossible date '1937-13': there is no month 13"),
    ("'1937-00-05'", "impossible date '1937-00-05'"),
    ("'Dec 1937'", "bad date 'Dec 1937'"),
    ("'1937-12-1'", "bad date '1937-12-1'"),
    ("'37'", "bad date '37'"),
    ("'1937-12-13/1937-12-01'", "ends before it starts"),
    ("'1938/1937'", "ends before it starts"),
    ("'1937/1938/1939'", "bad date range"),
    ("'1937-12-13/'", "bad date ''"),
    ("1937-12-13 10:00:00", "not a date and time"),
    ("[1937]", "must be a string"),
    ("", "must be a string"),
])
def test_timeline_bad_dates(tmp_path, date, fragment):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY.replace("date: '2007'", f"date: {date}"))
    assert_issue(root, "corpus/timeline.yaml:4", fragment)


@pytest.mark.parametrize("value, expected", [
    ("1937", ("1937", "year")),
    (1937, ("1937", "year")),
    ("1937-12", ("1937-12", "month")),
    ("1937-12-13", ("1937-12-13", "day")),
    (dt.date(1937, 12, 13), ("1937-12-13", "day")),
    ("1937-12-13/1938-01", ("1937-12-13/1938-01", "day")),
    ("1937-12/1938", ("1937-12/1938", "month")),
    ("1937-12-13/1937-12", ("1937-12-13/1937-12", "day")),  # ends within December
    ("1937 / 1938", ("1937/1938", "year")),
    ("1937-12-13/1937-12-13", ("1937-12-13/1937-12-13", "day")),
    ("1936-02-29", ("1936-02-29", "day")),  # a leap year
])
def test_corpus_dates_read(value, expected):
    text, span = read_iso(value)
    assert (text, span.precision) == expected


def test_timeline_unquoted_dates_are_normalized(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY.replace("date: '2007'", "date: 2007") +
                     "- id: t2\n  source: beta\n" + ENTRY.replace("date: '2007'", "date: 2007-06-01"))
    t1, t2 = load_corpus(root).timeline
    assert (t1.date, t1.precision) == ("2007", "year")
    assert (t2.date, t2.precision) == ("2007-06-01", "day")


def test_timeline_year_inferred_must_be_bool(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + ENTRY + "  year_inferred: maybe\n")
    assert_issue(root, "corpus/timeline.yaml:6", "'year_inferred'", "must be true or false")


def test_timeline_empty_and_non_string_fields(tmp_path):
    root = tl_corpus(tmp_path, TL_HEAD + "  date_text: 2007\n  date: '2007'\n  text: ''\n")
    found = assert_issue(root, "corpus/timeline.yaml:3", "'date_text'", "must be a string",
                         "put it in quotes")
    assert any(m.startswith("corpus/timeline.yaml:5: empty value for 'text'") for m in found)


# --------------------------------------------------------------------------- entities.yaml


def ent_corpus(tmp_path, entities: str) -> Path:
    return make_corpus(tmp_path, {"beta": BETA}, timeline=None, entities=entities)


def test_entities_must_be_a_list(tmp_path):
    root = ent_corpus(tmp_path, "nanking: {name: Nanking}\n")
    assert_issue(root, "corpus/entities.yaml:1", "must be a YAML list of entities")


def test_entity_unknown_and_missing_keys(tmp_path):
    root = ent_corpus(tmp_path, "- id: rabe\n  name: John Rabe\n  born: 1882\n")
    found = assert_issue(root, "corpus/entities.yaml:3", "unknown key 'born' in entity 'rabe'")
    assert "corpus/entities.yaml:1: missing required key 'kind' in entity 'rabe'" in found


def test_entity_aliases_must_be_strings(tmp_path):
    root = ent_corpus(tmp_path, "- id: rabe\n  name: John Rabe\n  kind: person\n"
                                "  aliases:\n    - Rabe\n    - [x]\n")
    assert_issue(root, "corpus/entities.yaml:6", "'aliases'", "item 2 is a list")


def test_entity_gender_is_female_or_male(tmp_path):
    root = ent_corpus(tmp_path, "- id: rabe\n  name: John Rabe\n  kind: person\n  gender: m\n")
    assert issues(root) == ["corpus/entities.yaml:4: bad gender 'm' in entity 'rabe': use female or male"]
    root = ent_corpus(tmp_path / "ok", "- id: rabe\n  name: John Rabe\n  kind: person\n  gender: male\n")
    assert [e.gender for e in load_corpus(root).entities] == ["male"]


def test_a_place_may_lie_within_other_places(tmp_path):
    root = ent_corpus(tmp_path, "- id: china\n  name: China\n  kind: place\n"
                                "- id: nanking\n  name: Nanking\n  kind: place\n  within: [china]\n")
    assert [e.within for e in load_corpus(root).entities] == [(), ("china",)]


def test_a_place_lies_within_the_places_around_the_one_it_lies_in(tmp_path):
    """Through any number of places; a file that puts Asia within Nanking is read, not looped on."""
    root = ent_corpus(tmp_path, "- id: asia\n  name: Asia\n  kind: place\n  within: [nanking]\n"
                                "- id: china\n  name: China\n  kind: place\n  within: [asia]\n"
                                "- id: nanking\n  name: Nanking\n  kind: place\n  within: [china]\n")
    regions = load_corpus(root).regions
    assert regions["nanking"] == {"china", "asia"} and regions["asia"] == {"nanking", "china"}


def test_a_place_lies_within_places_of_the_file_and_only_a_place_lies_within(tmp_path):
    root = ent_corpus(tmp_path, "- id: rabe\n  name: John Rabe\n  kind: person\n  within: [china]\n"
                                "- id: china\n  name: China\n  kind: place\n"
                                "- id: nanking\n  name: Nanking\n  kind: place\n  within: [china, rabe, asia]\n")
    assert issues(root) == [
        "corpus/entities.yaml:4: entity 'rabe' is a person: only a place lies within another",
        "corpus/entities.yaml:11: entity 'nanking' is within 'rabe', which is no place of this file",
        "corpus/entities.yaml:11: entity 'nanking' is within 'asia', which is no place of this file",
    ]


def test_entity_duplicate_ids(tmp_path):
    root = ent_corpus(tmp_path, "- id: rabe\n  name: John Rabe\n  kind: person\n"
                                "- id: rabe\n  name: Rabe\n  kind: person\n")
    assert issues(root) == ["corpus/entities.yaml:4: duplicate entity id 'rabe' (first on line 1)"]


def test_entity_alias_claimed_twice(tmp_path):
    root = ent_corpus(tmp_path, "- id: imtfe\n  name: IMTFE\n  kind: event\n"
                                "  aliases: [Tokyo Trials]\n"
                                "- id: tokyo\n  name: Tokyo\n  kind: place\n"
                                "  aliases:\n    - tokyo   trials\n")
    assert issues(root) == ["corpus/entities.yaml:9: alias 'tokyo   trials' of entity 'tokyo' is "
                            "also an alias of entity 'imtfe' (line 4)"]


def test_entity_alias_equals_other_name(tmp_path):
    root = ent_corpus(tmp_path, "- id: vautrin\n  name: Minnie Vautrin\n  kind: person\n"
                                "  aliases: [Minni Vautrin, NANKING]\n"
                                "- id: nanking\n  name: Nanking\n  kind: place\n")
    assert issues(root) == ["corpus/entities.yaml:4: alias 'NANKING' of entity 'vautrin' is the "
                            "name of entity 'nanking' (line 6)"]


def test_entity_alias_equal_to_own_name_is_fine(tmp_path):
    root = ent_corpus(tmp_path, "- id: nanking\n  name: Nanking\n  kind: place\n"
                                "  aliases: [nanking, Nanjing, Nanjing]\n")
    assert load_corpus(root).entities[0].aliases == ("nanking", "Nanjing", "Nanjing")


# --------------------------------------------------------------------------- robustness

_FUZZ_PIECES = st.sampled_from([
    "---\n", "id: gamma\n", "title: T\n", "kind: k\n", "publisher: P\n", "seed: s\n",
    "about: [nanking]\n", "sections:\n", "  - heading: A\n", "    kind: timeline\n", "## A\n",
    "\t", "  ", ": ", "- ", "[", "]", "{", "}", "&a ", "*a ", "!!int ", "!!binary ", "? ", "|\n",
    "1937-02-30", "\r\n", "\r", "\ufeff", "\x00", "\x01", "é", "\xa0", "text ", "\n", "'", '"',
    "<<: *a\n", "%YAML 1.1\n", "...\n", "#", "\\",
])
_FUZZ_TEXT = st.lists(_FUZZ_PIECES, max_size=40).map("".join)
_FUZZ_FILE = st.one_of(_FUZZ_TEXT.map(lambda s: s.encode("utf-8")),
                       st.binary(max_size=60),
                       _FUZZ_TEXT.map(lambda s: s.encode("utf-8") + b"\xe9"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(src=_FUZZ_FILE, tl=st.one_of(st.none(), _FUZZ_FILE), ents=st.one_of(st.none(), _FUZZ_FILE))
@example(src=b"", tl=None, ents=b"!!int")  # PyYAML raised a bare IndexError here
def test_fuzzed_files_give_corpus_errors_or_a_corpus(src, tl, ents):
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp), {"gamma": src}, timeline=tl, entities=ents)
        try:
            c = load_corpus(root, max_source_bytes=None)
        except CorpusError as exc:
            assert exc.issues
            for issue in exc.issues:
                assert isinstance(issue.line, int) and issue.line >= 0
                assert str(issue).startswith("corpus")
        else:
            for s in c.sources:
                for sec in s.sections:
                    assert 0 <= sec.start <= sec.end <= len(s.text)


# --------------------------------------------------------------------------- cost


def test_large_source_loads_in_linear_time(tmp_path):
    para = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
            "tempor incididunt ut labore et dolore magna aliqua.\n\n")
    n = 50_000_000 // len(para)
    body = "Intro.\n" + "".join(f"## Part {i}\n{para * (n // 1000)}" for i in range(1000))
    root = make_corpus(tmp_path, {"big": source("big", body=body)},
                       timeline="- id: t\n  source: big\n  date_text: Part 999\n  date: '1937'\n"
                                "  text: Lorem ipsum  dolor\n", entities=None)
    t0 = time.perf_counter()
    c = load_corpus(root, max_source_bytes=None)
    elapsed = time.perf_counter() - t0
    (s,) = c.sources
    assert len(s.text) > 45_000_000 and len(s.sections) == 1001
    assert elapsed < 20, elapsed


def test_many_small_sources(tmp_path):
    root = make_corpus(tmp_path, {}, timeline=None, entities=None)
    for i in range(10_000):
        write(root, f"sources/s{i:05d}.md", source(f"s{i:05d}", body=f"Text number {i}.\n"))
    t0 = time.perf_counter()
    c = load_corpus(root, max_source_bytes=None)
    elapsed = time.perf_counter() - t0
    assert len(c.sources) == 10_000
    assert elapsed < 60, elapsed


# --------------------------------------------------------------------------- the real corpus


@pytest.mark.skipif(not (REAL_CORPUS / "sources").is_dir(), reason="corpus/sources not present")
def test_real_corpus_loads():
    try:
        c = load_corpus(REAL_CORPUS)
    except CorpusError as exc:
        pytest.fail("the real corpus has errors:\n" + str(exc))
    assert c.sources
    for t in c.timeline:
        src = c.source_by_id[t.source_id]
        assert src.text[t.text_start:t.text_end] == t.text
        assert normalize_ws(t.text)


def test_a_plot_section_is_quoted_as_prose_and_keeps_its_kind(tmp_path):
    from index.passages import source_passages

    text = source(extra="sections:\n  - heading: Plot Summary\n    kind: plot\n",
                  body="About the film.\n## Plot Summary\nThe hero escapes the city at night.\n")
    (s,) = load_corpus(make_corpus(tmp_path, {"gamma": text}, None, None)).sources
    assert [(x.title, x.kind) for x in s.sections] == [(None, "prose"), ("Plot Summary", "plot")]
    assert [p.text for p in source_passages(s)] == ["About the film.", "The hero escapes the city at night."]
