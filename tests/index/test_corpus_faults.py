"""Corpus faults on a copy of the real corpus, through both ways a maintainer meets them:
``python -m bot check`` (exit 1, ``file:line: message`` on stderr) and a live reload (refused
with the same message, the previous snapshot still serving). A BOM and CRLF line endings must
simply work. Big corpora (one 50 MB source, 10,000 small ones) cost bounded time and memory:
memory is asserted (tracemalloc peaks, which do not depend on the machine), times are only
reported (``-s`` prints them).

``FAULTS`` is shared with ``tests/discord/test_faults.py``, which sends the same broken corpora
to the bot's ``/reload`` through the fake Discord.

The loader's own unit tests (toy corpora, every message) are in ``test_corpus.py``.
"""
from __future__ import annotations

import gc
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import index.corpus.loader as corpus_mod
from bot.answering.answers import build_answer
from bot.cli import main as cli_main
from index.engine import Index
from index.live import LiveIndex

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
BLOG = "sources/blog-truth-about-nanking.md"
FILM = "sources/film-city-of-life-and-death.md"
DOC = "sources/documentary-nanking.md"


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` that contains ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def _timeline_entry(root: Path, entry: str) -> int:
    """Append a timeline entry; returns the line its first key is on."""
    tl = root / "timeline.yaml"
    text = tl.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    first = text.count("\n") + 1
    tl.write_text(text + entry, encoding="utf-8")
    return first


@dataclass(frozen=True)
class Fault:
    """A change to a corpus copy; ``apply`` returns the expected ``file:line`` (None: it must work)
    and ``fragment``, a piece of the message."""

    name: str
    apply: Callable[[Path], tuple[str | None, str]]


def truncated_file(root: Path):
    path = root / FILM
    path.write_text("---\nid: film-city-of-life-and-death\ntitle: City of Life and Death\nkind: film-pa",
                    encoding="utf-8")
    return f"corpus/{FILM}:4", "front matter is not closed"


def truncated_yaml(root: Path):
    path = root / FILM
    text = path.read_text(encoding="utf-8")
    line = line_of(path, "attribution:")
    path.write_text(text.replace("“City of Life and Death”\"", "“City of Life and", 1), encoding="utf-8")
    return f"corpus/{FILM}:{line}", "YAML error: found unexpected end of stream (while scanning a quoted scalar)"


def tab_yaml(root: Path):
    path = root / BLOG
    line = line_of(path, "  - heading: Comment 1")
    path.write_text(path.read_text(encoding="utf-8").replace("\n  - heading: Comment 1", "\n\t- heading: Comment 1", 1),
                    encoding="utf-8")
    return f"corpus/{BLOG}:{line}", "YAML error: found character '\\t' that cannot start any token"


def bom(root: Path):
    for path in _files(root):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return None, ""


def crlf(root: Path):
    for path in _files(root):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return None, ""


def bom_and_crlf(root: Path):
    bom(root)
    return crlf(root)


def latin1_new_file(root: Path):
    (root / "sources" / "rabe-diary.md").write_bytes(
        "---\nid: rabe-diary\ntitle: A diary\nkind: book\npublisher: P\nseed: s.txt\n---\n"
        "John Rabe kept a diary in Nanking.\nHe signed it: Grüße, Rabe.\n".encode("latin-1"))
    return "corpus/sources/rabe-diary.md:9", "not valid UTF-8 (byte 0xfc at column 17)"


def cp1252_resaved(root: Path):
    path = root / FILM
    text = path.read_text(encoding="utf-8")
    line = line_of(path, "“")
    column = text.splitlines()[line - 1].index("“") + 1
    path.write_bytes(text.encode("cp1252"))  # what a Windows editor's "ANSI" does
    return f"corpus/{FILM}:{line}", f"not valid UTF-8 (byte 0x93 at column {column})"


def duplicate_id(root: Path):
    shutil.copy(root / DOC, root / "sources" / "documentary-nanking-copy.md")
    return "corpus/sources/documentary-nanking-copy.md:2", "id 'documentary-nanking' does not match the file name"


def timeline_missing_source(root: Path):
    line = _timeline_entry(root, "- id: t-zz\n  source: no-such-source\n  date_text: \"1937\"\n  date: \"1937\"\n"
                                 "  text: Something happened\n")
    return f"corpus/timeline.yaml:{line + 1}", "unknown source 'no-such-source' in timeline entry 't-zz'"


def timeline_text_not_in_source(root: Path):
    line = _timeline_entry(root, "- id: t-zz\n  source: documentary-nanking\n  date_text: August 13\n"
                                 "  date: \"1937-08-13\"\n  text: Japanese attack Shanghai by sea\n")
    return (f"corpus/timeline.yaml:{line + 4}",
            "text of timeline entry 't-zz' not found verbatim in source 'documentary-nanking'")


def impossible_date(root: Path):
    line = _timeline_entry(root, "- id: t-zz\n  source: documentary-nanking\n  date_text: August 13\n"
                                 "  date: 1937-02-30\n  text: Japanese attack Shanghai\n")
    return f"corpus/timeline.yaml:{line + 3}", "impossible date '1937-02-30'"


def empty_folder(root: Path):
    shutil.rmtree(root)
    root.mkdir()
    return "corpus:0", "corpus has no sources"


def file_symlink_loop(root: Path):
    os.symlink(root / "sources" / "loop.md", root / "sources" / "loop.md")
    return "corpus/sources/loop.md:0", "cannot read file: Too many levels of symbolic links"


def folder_symlink_loop(root: Path):
    shutil.rmtree(root)
    os.symlink(root, root)   # the corpus folder is a link to itself
    return "corpus:0", "Too many levels of symbolic links"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".md", ".yaml"))


FAULTS = [Fault(f.__name__.replace("_", " "), f) for f in (
    truncated_file, truncated_yaml, tab_yaml, bom, crlf, bom_and_crlf, latin1_new_file, cp1252_resaved,
    duplicate_id, timeline_missing_source, timeline_text_not_in_source, impossible_date, empty_folder,
    file_symlink_loop, folder_symlink_loop,
)]


def fresh_copy(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


def run_check(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(["check", "--corpus", str(root)], out, err)
    return code, out.getvalue(), err.getvalue()


def rabe(index: Index) -> list[tuple[str, str]]:
    answer = build_answer(index, "Who was John Rabe?", k=9)
    assert answer.answered
    return [(q.source_id, q.text) for q in answer.quotes]


# --------------------------------------------------------------------------- each fault


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_check_and_reload_report_the_fault_and_keep_the_old_snapshot(tmp_path, fault):
    root = fresh_copy(tmp_path)
    live = LiveIndex(root)
    before = live.load()
    expected = rabe(before)
    where, fragment = fault.apply(root)

    code, out, err = run_check(root)
    report = live.reload()
    if where is None:  # BOM, CRLF: simply work, and answer exactly the same
        assert code == 0 and err == "" and out.startswith("ok: 3 sources"), (out, err)
        assert report.ok and report.after == report.before, report
        assert live.current is not before and rabe(live.current) == expected
        return
    # check: exit 1, the issue as file:line: message
    assert code == 1 and out == ""
    assert any(line.startswith(f"{where}: ") and fragment in line for line in err.splitlines()), err
    # reload: refused with the same message; the snapshot being served is untouched
    assert not report.ok and report.after == {}
    assert any(e.startswith(f"{where}: ") and fragment in e for e in report.errors), report.errors
    assert live.current is before and rabe(live.current) == expected


def test_folder_vanishing_during_check_and_reload(tmp_path, monkeypatch):
    root = fresh_copy(tmp_path)
    live = LiveIndex(root)
    before = live.load()
    real_read = corpus_mod.read_file

    def vanish_after_first_read(path):
        data = real_read(path)
        if root.exists():
            shutil.rmtree(root)  # a deploy script replacing the folder while the bot reads it
        return data

    monkeypatch.setattr(corpus_mod, "read_file", vanish_after_first_read)
    report = live.reload()
    assert not report.ok and live.current is before
    assert any(e.startswith("corpus:0: ") and "disappeared while loading" in e for e in report.errors), report.errors
    assert rabe(live.current)

    shutil.copytree(CORPUS, root)
    code, _, err = run_check(root)
    assert code == 1 and any(line.startswith("corpus:0: ") and "disappeared" in line for line in err.splitlines()), err


def test_every_fault_at_once_is_reported_in_file_order(tmp_path):
    root = fresh_copy(tmp_path)
    wanted = [f.apply(root) for f in FAULTS if f.name in (
        "tab yaml", "latin1 new file", "duplicate id", "timeline missing source", "impossible date")]
    code, _, err = run_check(root)
    assert code == 1
    lines = err.splitlines()
    for where, fragment in wanted:
        assert any(line.startswith(f"{where}: ") and fragment in line for line in lines), (where, err)
    issues = [line for line in lines if ": " in line and not line.endswith("error(s) in the corpus.")]
    assert issues == sorted(issues, key=lambda issue: (issue.split(":")[0], int(issue.split(":")[1]))), issues


# --------------------------------------------------------------------------- size


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
         "ut labore et dolore magna aliqua.\n\n")


def big_source(size: int, tail: bytes = b"") -> bytes:
    n = size // len(LOREM)
    body = "".join(f"## Part {i}\n{LOREM * (n // 500)}" for i in range(500))
    return ("---\nid: big\ntitle: Big\nkind: dump\npublisher: P\nseed: big.txt\n---\n" + body).encode() + tail


def traced(fn):
    """(result, seconds, peak bytes allocated while fn ran)."""
    gc.collect()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


MB = 1_000_000


def test_50_mb_source_loads_in_bounded_memory_and_a_broken_one_is_refused(tmp_path):
    root = fresh_copy(tmp_path)
    data = big_source(50 * MB)
    (root / "sources" / "big.md").write_bytes(data)
    corpus, seconds, peak = traced(lambda: corpus_mod.load_corpus(root, max_source_bytes=None))
    assert len(corpus.source_by_id["big"].text) > 49 * MB
    print(f"\n50 MB source: load {seconds:.2f} s, tracemalloc peak {peak / MB:.0f} MB "
          f"({peak / len(data):.1f}x the file)")
    assert peak < 4 * len(data), peak   # the bytes, the text and the body, nothing per word
    del corpus

    # the same file with one Latin-1 byte at its end: refused by check and reload, old snapshot kept
    live = LiveIndex(root, max_source_bytes=None)
    (root / "sources" / "big.md").unlink()
    before = live.load()
    (root / "sources" / "big.md").write_bytes(data + b"Gr\xfc\xdfe\n")
    report, seconds, peak = traced(live.reload)
    last_line = data.count(b"\n") + 1
    assert not report.ok and live.current is before
    expected = f"corpus/sources/big.md:{last_line}: not valid UTF-8 (byte 0xfc at column 3)"
    assert report.errors == (expected,), report.errors
    print(f"broken 50 MB source: reload refused in {seconds:.2f} s, tracemalloc peak {peak / MB:.0f} MB")
    assert peak < 4 * len(data), peak


def test_big_source_index_memory_grows_linearly(tmp_path):
    """Building the index (what check and reload do after loading) of a 2 MB source: the peak per
    source byte, which stays the same at 50 MB (measured when written: about 10 bytes per byte,
    a 50 MB source reloading in about 10 s with 500 MB more RSS; ``python -m
    benchmarks.bench_load --big-reloads`` reloads one while users ask)."""
    root = fresh_copy(tmp_path)
    data = big_source(2 * MB)
    (root / "sources" / "big.md").write_bytes(data)
    live = LiveIndex(root)
    live.load()
    report, seconds, peak = traced(live.reload)
    assert report.ok and report.after["passages"] > 10_000
    print(f"\n2 MB source: reload {seconds:.2f} s (traced), {report.after['passages']} passages, "
          f"tracemalloc peak {peak / MB:.0f} MB ({peak / len(data):.0f} bytes per source byte)")
    assert peak < 30 * len(data), peak


_MANY = r"""
import json, resource, sys, time
from pathlib import Path
from index.live import LiveIndex

def reset_peak():
    try:  # Linux: "5" resets the peak resident set size (VmHWM) to the current one
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass

def rss():  # (current, peak) resident set size of this process, bytes
    try:
        status = dict(l.split(":", 1) for l in Path("/proc/self/status").read_text().splitlines() if ":" in l)
        return int(status["VmRSS"].split()[0]) * 1024, int(status["VmHWM"].split()[0]) * 1024
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return peak, peak

root = Path(sys.argv[1])
live = LiveIndex(root)
live.load()
for i in range(10_000):
    (root / "sources" / f"note-{i:05d}.md").write_text(
        f"---\nid: note-{i:05d}\ntitle: Note {i}\nkind: note\npublisher: P\nseed: s.txt\n---\n"
        f"Note {i} mentions the Safety Zone and the number {i * 7}.\n", encoding="utf-8")
reset_peak()
base = rss()[0]
started = time.perf_counter()
ok = live.reload()
seconds = time.perf_counter() - started
grown = rss()[1] - base
serving = live.current
(root / "sources" / "note-04242.md").write_text("---\nid: note-04242\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
started = time.perf_counter()
broken = live.reload()
print(json.dumps({"ok": ok.ok, "after": ok.after, "seconds": seconds, "rss_growth": grown,
                  "broken_ok": broken.ok, "broken_errors": list(broken.errors), "kept": live.current is serving,
                  "broken_seconds": time.perf_counter() - started}))
"""


def test_10000_small_sources(tmp_path):
    """Reload 3 -> 10,003 sources, then a reload with one of them broken; in a fresh process, so
    its peak RSS is this reload's."""
    root = fresh_copy(tmp_path)
    done = subprocess.run([sys.executable, "-c", _MANY, str(root)], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n10,000 small sources: reload {r['seconds']:.2f} s, peak RSS grew {r['rss_growth'] / MB:.0f} MB; "
          f"with one broken: refused in {r['broken_seconds']:.2f} s")
    assert r["ok"] and r["after"]["sources"] == 10_003 and r["after"]["passages"] > 10_000
    assert r["rss_growth"] < 150 * MB, r
    assert not r["broken_ok"] and r["kept"]
    assert r["broken_errors"][0].startswith("corpus/sources/note-04242.md:3: YAML error: expected ',' or ']'"), r
