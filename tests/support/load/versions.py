"""The corpus versions a load run reloads, each tagged so an answer shows which one it came from.

Every version is the real corpus with a version tag (``SNAP00``, ``SNAP01``...) put in front of
every source's title, attribution and context note (metadata only: the quoted text and the
search are unchanged); every other valid version also holds an extra source with a marker word
(``MARKER_WORD``). Version 0 is served at the start; then odd reloads are valid and even ones
broken in one of the ``FAULTS`` ways (built from the next tag, so if a broken one were ever
swapped in, answers would carry a tag that was never valid). ``point`` switches the folder the
bot reloads from.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.support.fake_discord.payloads import snowflake

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
TAG_RE = re.compile(r"SNAP(\d\d)")
MARKER_WORD = "zephyrquartz"
MARKER_ID = "load-marker"
MARKER_TEXT = f"The {MARKER_WORD} ledger is kept by the load test; it records nothing about history.\n"
MARKER_QUESTION = f"What does the {MARKER_WORD} ledger record?"


def _split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n"), "a source starts with its front matter"
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + len("\n---\n"):]


def _join_front_matter(fm: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + body


def tag_source(text: str, tag: str) -> str:
    """The source with ``tag`` in front of its title, attributions and context notes."""
    fm, body = _split_front_matter(text)
    default = f"{fm['title']} ({fm['publisher']})"   # the loader's default attribution
    fm["attribution"] = f"{tag} {fm.get('attribution') or default}"
    fm["title"] = f"{tag} {fm['title']}"
    if fm.get("context"):
        fm["context"] = f"{tag} {fm['context']}"
    for section in fm.get("sections") or []:
        for key in ("attribution", "context"):
            if section.get(key):
                section[key] = f"{tag} {section[key]}"
    return _join_front_matter(fm, body)


def marker_source(tag: str) -> str:
    fm = {"id": MARKER_ID, "title": f"{tag} Load-test ledger", "kind": "test", "publisher": "the load test",
          "seed": "none.txt", "context": f"{tag} A source that exists only in some corpus versions."}
    return _join_front_matter(fm, MARKER_TEXT)


def _fault_latin1(d: Path) -> None:
    (d / "sources" / "zz-latin1.md").write_bytes(
        b"---\nid: zz-latin1\ntitle: T\nkind: k\npublisher: P\nseed: s\n---\nCaf\xe9 au lait.\n")


def _fault_tab(d: Path) -> None:
    (d / "sources" / "zz-tab.md").write_text(
        "---\nid: zz-tab\ntitle: T\nkind: k\npublisher: P\nseed: s\nsections:\n\t- heading: A\n---\n## A\nText.\n",
        encoding="utf-8")


def _fault_timeline_source(d: Path) -> None:
    with open(d / "timeline.yaml", "a", encoding="utf-8") as f:
        f.write("\n- id: t-zz-missing\n  source: no-such-source\n  date_text: \"1937\"\n  date: \"1937\"\n"
                "  text: Something happened\n")


def _fault_date(d: Path) -> None:
    with open(d / "timeline.yaml", "a", encoding="utf-8") as f:
        f.write("\n- id: t-zz-date\n  source: documentary-nanking\n  date_text: August 13\n  date: 1937-02-30\n"
                "  text: Japanese attack Shanghai\n")


def _fault_truncated(d: Path) -> None:
    (d / "sources" / "zz-truncated.md").write_text("---\nid: zz-truncated\ntitle: The Tr", encoding="utf-8")


def _fault_duplicate(d: Path) -> None:
    text = (d / "sources" / "documentary-nanking.md").read_text(encoding="utf-8")
    (d / "sources" / "zz-copy.md").write_text(text, encoding="utf-8")


def _fault_empty(d: Path) -> None:
    shutil.rmtree(d)
    d.mkdir()


def _fault_vanished(d: Path) -> None:
    shutil.rmtree(d)


FAULTS: dict[str, Callable[[Path], None]] = {
    "latin-1 bytes": _fault_latin1,
    "tab-indented YAML": _fault_tab,
    "timeline entry with a missing source": _fault_timeline_source,
    "impossible date 1937-02-30": _fault_date,
    "truncated front matter": _fault_truncated,
    "duplicate source id": _fault_duplicate,
    "empty corpus folder": _fault_empty,
    "corpus folder gone": _fault_vanished,
}


@dataclass
class Version:
    number: int
    tag: str
    path: Path
    fault: str | None = None           # None: a valid corpus
    marker: bool = False
    titles: tuple[str, ...] = ()           # the source titles, as a "not in my sources" reply lists them
    note: str | None = None             # a big corpus: what is big about it


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
         "ut labore et dolore magna aliqua.\n\n")


def _big_source(d: Path, tag: str) -> dict[str, str]:
    n = 50_000_000 // len(LOREM)
    body = "".join(f"## Part {i}\n{LOREM * (n // 500)}" for i in range(500))
    title = f"{tag} A 50 MB dump"
    (d / "sources" / "zz-big.md").write_text(_join_front_matter(
        {"id": "zz-big", "title": title, "kind": "dump", "publisher": "the load test", "seed": "none.txt"}, body),
        encoding="utf-8")
    return {"zz-big": title}


def _many_sources(d: Path, tag: str) -> dict[str, str]:
    titles = {}
    for i in range(10_000):
        sid, title = f"zz-note-{i:05d}", f"{tag} Note {i}"
        (d / "sources" / f"{sid}.md").write_text(_join_front_matter(
            {"id": sid, "title": title, "kind": "note", "publisher": "the load test", "seed": "none.txt"},
            f"Note {i} of the load test, number {i * 7}.\n"), encoding="utf-8")
        titles[sid] = title
    return titles


BIG = {"a 50 MB source": _big_source, "10,000 small sources": _many_sources}


def build_versions(base: Path, reloads: int, big: bool = False) -> list[Version]:
    """Version 0 (served at start), then one per reload: odd reloads valid, even ones broken;
    with ``big``, two more valid ones: one with a 50 MB source, one with 10,000 small sources."""
    versions = []
    sources = sorted((CORPUS / "sources").glob("*.md"))
    extra = list(BIG) if big else []
    for n in range(reloads + 1 + len(extra)):
        tag = f"SNAP{n:02d}"
        d = base / f"v{n:02d}"
        (d / "sources").mkdir(parents=True)
        titles: dict[str, str] = {}
        for src in sources:
            text = tag_source(src.read_text(encoding="utf-8"), tag)
            (d / "sources" / src.name).write_text(text, encoding="utf-8")
            titles[src.stem] = _split_front_matter(text)[0]["title"]
        for name in ("timeline.yaml", "entities.yaml"):
            shutil.copy(CORPUS / name, d / name)
        note = extra[n - reloads - 1] if n > reloads else None
        fault = None if note or n == 0 or n % 2 == 1 else list(FAULTS)[(n // 2 - 1) % len(FAULTS)]
        marker = fault is None and not note and n % 4 == 1
        if marker:
            (d / "sources" / f"{MARKER_ID}.md").write_text(marker_source(tag), encoding="utf-8")
            titles[MARKER_ID] = f"{tag} Load-test ledger"
        if note:
            titles.update(BIG[note](d, tag))
        if fault:
            FAULTS[fault](d)
        # "not in my sources" lists the titles in the corpus' order (by source id)
        versions.append(Version(n, tag, d, fault, marker, tuple(titles[k] for k in sorted(titles)), note))
    return versions


def point(link: Path, target: Path) -> None:
    """Atomically make ``link`` a symlink to ``target`` (the folder the bot reloads from)."""
    tmp = link.with_name(link.name + f".tmp{snowflake()}")
    os.symlink(target, tmp)
    os.replace(tmp, link)
