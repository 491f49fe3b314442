"""Corpus errors that point at a file and line."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CorpusIssue:
    """One problem found in the corpus: ``file:line: message`` (line 0 = whole file)."""

    path: Path | str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CorpusError(Exception):
    """The corpus is invalid; ``issues`` lists every problem found, in file order."""

    def __init__(self, issues: list[CorpusIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues) or "invalid corpus")
