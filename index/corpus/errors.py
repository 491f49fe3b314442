"""Corpus errors that point at a file and line."""
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
