from pathlib import Path

from index.corpus.model import Section, Source, TimelineEntry
from index.passages import MAX_WORDS, sentences, source_passages, timeline_passage


def make_source(text, sections=None):
    sections = sections or (Section(None, 0, len(text), "A Site (Publisher)"),)
    return Source("s", "A Site", "film-page", "Publisher", "seed.txt", text, tuple(sections), Path("s.md"))


def test_paragraphs_become_passages_with_exact_spans():
    text = ("The first paragraph is here and it has a few words.\n\n"
            "The second one is longer than the first one, much longer.\n")
    src = make_source(text)
    ps = source_passages(src)
    assert [p.text for p in ps] == ["The first paragraph is here and it has a few words.",
                                     "The second one is longer than the first one, much longer."]
    for p in ps:
        assert text[p.start:p.end] == p.text
        assert p.attribution == "A Site (Publisher)"


def test_long_paragraph_cut_at_sentence_boundaries():
    sentence = "Word " * 29 + "end."
    text = " ".join([sentence] * 10)  # 300 words, one paragraph
    ps = source_passages(make_source(text))
    assert len(ps) > 1
    for p in ps:
        assert p.text.endswith("end.")
        assert len(p.text.split()) <= MAX_WORDS
    assert " ".join(p.text for p in ps) == text


def test_short_paragraphs_stay_separate():
    text = "IMDb 7.7 /10 IMDb Rating\n\nTMDB 74 % User Score"
    assert [p.text for p in source_passages(make_source(text))] == ["IMDb 7.7 /10 IMDb Rating", "TMDB 74 % User Score"]


def test_sections_carry_their_attribution_and_timeline_sections_are_skipped():
    text = "Post text.\n\n## Comment 1\nA reader says this.\n\n## Timeline\nAugust 13\n\nJapanese attack Shanghai\n"
    c1 = text.index("A reader")
    tl = text.index("August 13")
    sections = (
        Section(None, 0, text.index("## Comment"), "The Post (Blog)"),
        Section("Comment 1", c1, text.index("## Timeline"), "Reader comment 1 on the post"),
        Section("Timeline", tl, len(text), "The Post (Blog)", kind="timeline"),
    )
    ps = source_passages(make_source(text, sections))
    assert [(p.text, p.section, p.attribution) for p in ps] == [
        ("Post text.", None, "The Post (Blog)"),
        ("A reader says this.", "Comment 1", "Reader comment 1 on the post"),
    ]


def test_timeline_passage_keeps_its_date():
    text = "## Timeline\nAugust 13\n\nJapanese attack Shanghai\n"
    start = text.index("Japanese")
    src = make_source(text, (Section("Timeline", 12, len(text), "Site", kind="timeline"),))
    entry = TimelineEntry("t1", "August 13", "1937-08-13", "day", True, "Japanese attack Shanghai",
                          "s", start, start + len("Japanese attack Shanghai"))
    p = timeline_passage(src, entry)
    assert p.text == "Japanese attack Shanghai" and p.date_text == "August 13" and p.is_timeline
    assert p.date == "1937-08-13" and p.year_inferred


def test_sentences_respect_abbreviations():
    text = "As the credits roll, we learn that Mrs. Tang lived to an old age. Jan. 28 was later. Done!"
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "As the credits roll, we learn that Mrs. Tang lived to an old age.",
        "Jan. 28 was later.",
        "Done!",
    ]


def test_sentences_with_closing_quotes():
    text = 'He said “stop.” Then he left.'
    assert [text[s:e] for s, e in sentences(text)] == ["He said “stop.”", "Then he left."]


# -- hard bounds (issue 13) ---------------------------------------------------------------
from index.passages import MAX_CHARS  # noqa: E402


def _assert_bounded_cover(text, ps):
    covered = [False] * len(text)
    for p in ps:
        assert text[p.start:p.end] == p.text
        assert len(p.text) <= MAX_CHARS and len(p.text.split()) <= MAX_WORDS, (len(p.text), len(p.text.split()))
        for i in range(p.start, p.end):
            covered[i] = True
    assert all(covered[i] for i, c in enumerate(text) if not c.isspace())  # nothing is dropped


def test_a_paragraph_without_sentence_ends_is_cut_into_word_windows():
    text = " ".join(f"word{i % 97}" for i in range(20_000))  # one line, no . ! ? …
    ps = source_passages(make_source(text))
    assert len(ps) > 100
    _assert_bounded_cover(text, ps)
    assert all(not p.text[0].isspace() and not p.text[-1].isspace() for p in ps)


def test_cjk_sentences_end_at_their_own_marks():
    sentence = "南京大屠杀发生在一九三七年十二月。"
    text = sentence * 200 + "拉贝先生保护了难民！" + "这是真的吗？"
    ps = source_passages(make_source(text))
    _assert_bounded_cover(text, ps)
    assert all(p.text.endswith(("。", "！", "？")) for p in ps)
    assert sentences(text)[:2] == [(0, len(sentence)), (len(sentence), 2 * len(sentence))]


def test_text_without_spaces_or_sentence_ends_is_cut_into_character_windows():
    text = "南京" * 300_000   # a 600,000-character "word"
    ps = source_passages(make_source(text))
    _assert_bounded_cover(text, ps)
    assert len(ps) == -(-len(text) // MAX_CHARS)


def test_very_long_words_among_short_ones_stay_bounded():
    text = "short words here " + "x" * 5000 + " and more words. " + "Another sentence. " * 300
    _assert_bounded_cover(text, source_passages(make_source(text)))
