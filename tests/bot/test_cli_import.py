"""python -m bot import: a page -> a draft source (printed, or written with --out)."""
from __future__ import annotations

import io

from bot.cli import main
from index.corpus.loader import load_corpus

PAGE = ("MENU   ABOUT   FILMS   CONTACT\n\nThe Nanking Safety Zone sheltered refugees in December 1937.\n\n"
        "Share on Facebook\n")


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    return main(argv, out, err), out.getvalue(), err.getvalue()


def test_import_prints_the_draft_and_lists_clutter(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, out, err = run(["import", str(page), "--id", "zone-page", "--title", "Zone", "--publisher", "a site"])
    assert code == 0
    assert out.startswith("---\nid: zone-page\ntitle: Zone\nkind: web-page\npublisher: a site\nseed: page.txt\n---\n")
    assert "The Nanking Safety Zone sheltered refugees in December 1937." in out
    assert "proposed timeline.yaml entries" in out and "date: 1937-12" in out
    assert "MENU" not in out and "[navigation menu] MENU   ABOUT" in err and "[interface text] Share on Facebook" in err


def test_import_out_writes_files_that_load(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h2>Zone</h2><p>The Safety Zone opened in November 1937.</p></body></html>",
                    encoding="utf-8")
    out_dir = tmp_path / "corpus"
    code, out, _ = run(["import", str(page), "--id", "zone", "--title", "Zone", "--publisher", "a site",
                        "--kind", "article", "--out", str(out_dir)])
    assert code == 0 and "zone.timeline.yaml (1 entries)" in out
    (out_dir / "sources").mkdir()
    (out_dir / "zone.md").rename(out_dir / "sources" / "zone.md")
    (out_dir / "zone.timeline.yaml").rename(out_dir / "timeline.yaml")
    corpus = load_corpus(out_dir)
    assert corpus.sources[0].kind == "article" and corpus.timeline[0].date == "1937-11"


def test_import_refuses_bad_ids_and_binary_files(tmp_path):
    code, _, err = run(["import", str(tmp_path / "x"), "--id", "../etc", "--title", "t", "--publisher", "p"])
    assert code == 2 and "lowercase letters" in err
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x89PNG\x00\x00")
    code, _, err = run(["import", str(binary), "--id", "x", "--title", "t", "--publisher", "p"])
    assert code == 1 and "not a text file" in err
    latin = tmp_path / "l.txt"
    latin.write_bytes(b"ok\ncaf\xe9\n")
    code, _, err = run(["import", str(latin), "--id", "x", "--title", "t", "--publisher", "p"])
    assert code == 1 and "l.txt:2: not valid UTF-8" in err
