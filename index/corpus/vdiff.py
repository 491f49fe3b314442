"""What a corpus version changed, as passages: the paragraphs removed and added in each file."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.corpus.versions import CorpusRepo, Version

__all__ = ["FileChange", "version_diff", "render_diff"]


@dataclass
class FileChange:
    path: str
    status: str                      # added / removed / changed
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def _paragraphs(path: str, data: bytes | None) -> list[str]:
    """A source: its front matter as one block, then its paragraphs; a YAML list: its items."""
    if data is None:
        return []
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    blocks: list[str] = []
    if path.endswith(".yaml"):
        for line in text.split("\n"):
            if line.startswith("- ") or not blocks:
                blocks.append(line)
            else:
                blocks[-1] += "\n" + line
        return [b.strip() for b in blocks if b.strip() and not b.lstrip().startswith("#")]
    if text.startswith("---\n") and "\n---\n" in text[3:]:
        end = text.index("\n---\n", 3)
        blocks.append(text[: end + 4])
        text = text[end + 5:]
    return blocks + [p.strip() for p in text.split("\n\n") if p.strip()]


def version_diff(repo: CorpusRepo, version: Version) -> list[FileChange]:
    """The changes ``version`` made to the version before it (all files for the first one)."""
    parent = repo.parent(version)
    old = repo.files(parent) if parent else {}
    new = repo.files(version.id)
    changes = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) == new.get(path):
            continue
        before, after = _paragraphs(path, old.get(path)), _paragraphs(path, new.get(path))
        status = "added" if path not in old else "removed" if path not in new else "changed"
        kept_before, kept_after = set(before), set(after)
        changes.append(FileChange(path, status, [p for p in before if p not in kept_after],
                                  [p for p in after if p not in kept_before]))
    return changes


def render_diff(version: Version, changes: list[FileChange]) -> str:
    """Plain text: one block per file, ``-`` before removed and ``+`` before added paragraphs."""
    lines = [f"version {version.short} by {version.author} ({version.when}): {version.summary}"]
    if not changes:
        lines.append("(no change to the corpus files)")
    for change in changes:
        lines.append(f"\n=== {change.path} ({change.status}: -{len(change.removed)} +{len(change.added)} passages)")
        lines += ["- " + p.replace("\n", "\n  ") for p in change.removed]
        lines += ["+ " + p.replace("\n", "\n  ") for p in change.added]
    return "\n".join(lines) + "\n"
