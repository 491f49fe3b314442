"""Sources validated before are taken from their records, their text read from the file when
used and served only while the file has the bytes they were validated from."""
import shutil

import pytest

from index.corpus import records
from index.corpus.loader import load_corpus
from index.corpus.records import SourceChanged, StoredSource
from tests.conftest import CORPUS


def test_a_known_source_is_equal_to_the_parsed_one_and_reads_its_text_when_used(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    parsed = load_corpus(root)
    known = {(f"sources/{s.path.name}", parsed.source_hashes[s.id]): records.record_of(s) for s in parsed.sources}
    small = load_corpus(root, known=known)   # a small corpus keeps its text in memory
    assert small == parsed and not any(isinstance(s, StoredSource) for s in small.sources)
    again = load_corpus(root, known=known, lazy=True)
    assert all(isinstance(s, StoredSource) for s in again.sources)
    assert again == parsed and again.content_hash == parsed.content_hash
    assert [s.text for s in again.sources] == [s.text for s in parsed.sources]
    # an edit in place after the load: the stored source refuses to serve bytes it never checked
    source = again.sources[0]
    records._text.cache_clear()
    source.path.write_text(source.path.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    with pytest.raises(SourceChanged, match="changed since the index was built"):
        _ = source.text
    # and the next load parses the changed file again
    fresh = load_corpus(root, known=known)
    assert not isinstance(fresh.source_by_id[source.id], StoredSource)
    assert fresh.source_by_id[source.id].text.endswith("more\n")


def test_a_record_is_not_used_when_its_entities_are_gone(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    parsed = load_corpus(root)
    with_about = next(s for s in parsed.sources if s.about)
    known = {(f"sources/{s.path.name}", parsed.source_hashes[s.id]): records.record_of(s) for s in parsed.sources}
    record = known[(f"sources/{with_about.path.name}", parsed.source_hashes[with_about.id])]
    record["about"] = ["no-such-entity"]
    again = load_corpus(root, known=known)
    assert not isinstance(again.source_by_id[with_about.id], StoredSource)


def test_a_lazy_load_finds_the_same_corpus_and_the_same_issues(tmp_path):
    from index.corpus.errors import CorpusError

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    assert load_corpus(root, lazy=True) == load_corpus(root)
    first = sorted((root / "sources").glob("*.md"))[0]
    (root / "sources" / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    first.write_text(first.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    issues = []
    for lazy in (False, True):
        with pytest.raises(CorpusError) as caught:
            load_corpus(root, lazy=lazy)
        issues.append([str(i) for i in caught.value.issues])
    assert issues[0] == issues[1] and len(issues[0]) >= 2


def test_a_question_skips_a_passage_whose_bytes_changed_on_disk_and_answers_from_the_others(tmp_path, caplog):
    from bot.answering.answers import build_answer
    from index.engine import Index

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    index = Index(load_corpus(root, lazy=True), semantic=False)
    before = build_answer(index, "who was John Rabe")
    quoted = before.quotes[0]
    changed = index.corpus.source_by_id[quoted.source_id]
    records._text.cache_clear()
    data = changed.path.read_bytes()
    assert quoted.text.encode() in data
    changed.path.write_bytes(data.replace(quoted.text.encode(), quoted.text.swapcase().encode(), 1))
    after = build_answer(index, "who was John Rabe")   # no exception reaches the user
    assert after.quotes and all(q.passage_id != quoted.passage_id for q in after.quotes)
    assert all(quoted.text.swapcase() not in q.text for q in after.quotes)   # the edit is never quoted
    assert caplog.text.count("changed since the index was built") == 1   # once per edit, not per question
    build_answer(index, "John Rabe")
    assert caplog.text.count("changed since the index was built") == 1


def test_a_source_whose_text_moved_on_disk_serves_none_of_its_passages(tmp_path):
    from bot.answering.answers import build_answer
    from index.engine import Index

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    index = Index(load_corpus(root, lazy=True), semantic=False)
    quoted = build_answer(index, "who was John Rabe").quotes[0]
    changed = index.corpus.source_by_id[quoted.source_id]
    body = changed.text.encode()
    data = changed.path.read_bytes()
    changed.path.write_bytes(data[:len(data) - len(body)] + b"An added first line.\n" + body)
    records._text.cache_clear()
    after = build_answer(index, "who was John Rabe")
    assert after.quotes   # answered from the other sources
    assert all(q.source_id != changed.id or "@" in q.passage_id for q in after.quotes)


def test_a_stored_source_is_quoted_from_its_passages_bytes_alone(tmp_path, monkeypatch):
    """A question reads its candidates' passages, a few hundred bytes each, never a whole source
    file, and quotes exactly what the in-memory corpus quotes."""
    from bot.answering.answers import build_answer
    from index.engine import Index

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    in_memory = Index(load_corpus(root), semantic=False)
    stored = Index(load_corpus(root, lazy=True), semantic=False)
    whole_reads = []
    monkeypatch.setattr(records, "read_bytes", lambda path: whole_reads.append(path) or b"")
    records._text.cache_clear()
    for question in ("who was John Rabe", "how long did the massacre last", "who plays Kadokawa",
                     "what did the blog author say about the film", "when did Nanjing fall"):
        a, b = build_answer(in_memory, question), build_answer(stored, question)
        assert [(q.passage_id, q.text, q.start, q.end) for q in a.quotes] == \
               [(q.passage_id, q.text, q.start, q.end) for q in b.quotes]
        assert b.quotes or not b.answered
    assert whole_reads == []


def _source_gone(tmp_path):
    """An index over stored sources, and the source of its first quote for "who was John Rabe",
    whose file is then deleted (nothing read of it is cached)."""
    from bot.answering.answers import build_answer
    from index.engine import Index

    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    index = Index(load_corpus(root, lazy=True), semantic=False)
    gone = index.corpus.source_by_id[build_answer(index, "who was John Rabe").quotes[0].source_id]
    gone.path.unlink()
    records._text.cache_clear()
    return index, gone


def test_a_question_skips_a_source_file_deleted_since_the_load(tmp_path, caplog):
    from bot.answering.answers import build_answer

    index, gone = _source_gone(tmp_path)
    after = build_answer(index, "who was John Rabe")   # no exception reaches the user
    assert all(q.source_id != gone.id or "@" in q.passage_id for q in after.quotes)
    assert "cannot be read since the index was built" in caplog.text


def test_a_question_skips_a_source_file_replaced_by_a_fifo_without_waiting_for_a_writer(tmp_path, caplog):
    import os
    import threading

    from bot.answering.answers import build_answer

    index, gone = _source_gone(tmp_path)
    os.mkfifo(gone.path)
    answers = []
    asker = threading.Thread(target=lambda: answers.append(build_answer(index, "who was John Rabe")), daemon=True)
    asker.start()
    asker.join(60)   # opening a FIFO to read it waits for a writer, forever unless told not to block
    assert answers, "the question is waiting on a FIFO"
    assert all(q.source_id != gone.id or "@" in q.passage_id for q in answers[0].quotes)
    assert "cannot be read since the index was built" in caplog.text and "not a regular file" in caplog.text
