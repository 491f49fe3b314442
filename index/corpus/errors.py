"""Corpus errors that point at a file and line, and the log that collects them during a load."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorpusIssue:
    """One problem found in the corpus: ``file:line: message`` (line 0 = whole file)."""

    path: Path | str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{printable(str(self.path))}:{self.line}: {self.message}"


def printable(text: str) -> str:
    """``text`` with control and format characters (a newline in a file name, a right-to-left
    override) written as escapes, so one issue stays one line that reads as it is."""
    return "".join(c if c.isprintable() and unicodedata.category(c) != "Cf" else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") for c in text)


class CorpusError(Exception):
    """The corpus is invalid; ``issues`` lists every problem found, in file order."""

    def __init__(self, issues: list[CorpusIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues) or "invalid corpus")


class IssueLog:
    """The issues of one load. File names are shown under ``label`` (the root's name)."""

    def __init__(self, label: str):
        self.label = label
        self.issues: list[CorpusIssue] = []

    def __len__(self) -> int:
        return len(self.issues)

    def where(self, rel: str | None) -> str:
        return self.label if rel is None else f"{self.label}/{rel}"

    def err(self, rel: str | None, line: int, message: str) -> None:
        self.issues.append(CorpusIssue(self.where(rel), line, message))

    def sorted(self) -> list[CorpusIssue]:
        # root-level issues first, then by file name and line (stable within a line)
        return sorted(self.issues, key=lambda i: (i.path != self.label, str(i.path), i.line))
