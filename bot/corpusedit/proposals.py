"""Proposed corpus changes: built and validated on a staged copy, shown as a preview, then written.

A :class:`Proposal` holds the files to write, the version it is based on, the counts before and
after, the first passages of a new source, the proposed timeline entries and the warnings (clutter
removed, passages that duplicate existing ones, timeline entries dropped with a removed source).
``rebuild`` makes the same proposal again on the current version (for a fresh preview when another
moderator got there first). Invalid results raise ``CorpusError`` (``file:line: message``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.corpusedit.uploads import SourceUpload, UploadError
from index.corpus.model import Corpus
from index.corpus.versions import CorpusRepo, Version
from index.corpus.yamlsafe import YamlError, load_yaml
from index.importer.draft import Removed
from index.importer.page import PageError, read_page
from index.passages import build_passages
from index.text.cut import cut
from index.text.verbatim import normalize_ws

__all__ = ["Proposal", "propose_source", "propose_removal", "propose_file", "propose_rollback", "drop_entries"]


@dataclass
class Proposal:
    title: str                              # "add source `x`"
    summary: str                            # the version's summary
    changes: dict[str, bytes | None]
    base: Version
    before: dict[str, int]
    after: dict[str, int]
    first_passages: list[str] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rebuild: Callable[[], Proposal] | None = None


def counts(corpus: Corpus) -> tuple[dict[str, int], list]:
    passages = build_passages(corpus)
    return {"sources": len(corpus.sources), "passages": len(passages), "timeline": len(corpus.timeline),
            "entities": len(corpus.entities)}, passages


def _norm(text: str) -> str:
    return normalize_ws(text).casefold()


def _prepare(repo: CorpusRepo, before: dict[str, int], title: str, summary: str,
             changes: dict[str, bytes | None], source_id: str | None = None) -> Proposal:
    base, corpus = repo.prepare(changes)
    after, passages = counts(corpus)
    proposal = Proposal(title, summary, changes, base, before, after)
    if source_id is not None:
        mine = [p for p in passages if p.source_id == source_id and not p.is_timeline]
        proposal.first_passages = [p.text for p in mine[:3]]
        others = {_norm(p.text): p.source_id for p in passages if p.source_id != source_id and not p.is_timeline}
        for p in mine:
            if _norm(p.text) in others:
                proposal.warnings.append(f"a passage duplicates one in `{others[_norm(p.text)]}`: "
                                         f"“{cut(normalize_ws(p.text), 120)}”")
    return proposal


def drop_entries(text: str, source_id: str) -> tuple[str, int]:
    """``timeline.yaml`` without the entries of ``source_id`` (comments and layout kept)."""
    try:
        items = load_yaml(text)
    except YamlError as exc:
        raise UploadError(f"timeline.yaml:{exc.line}: {exc.message}") from None
    if not items:
        return text, 0
    lines = text.split("\n")
    starts = list(items.item_lines) + [len(lines) + 1]
    cut: set[int] = set()
    for k, item in enumerate(items):
        if isinstance(item, dict) and item.get("source") == source_id:
            end = starts[k + 1]  # 1-based, exclusive: the lines of this item...
            while end > starts[k] and (not lines[end - 2].strip() or lines[end - 2].lstrip().startswith("#")):
                end -= 1             # ...but not the comments and blank lines before the next one
            cut.update(range(starts[k], end))
    kept = [line for n, line in enumerate(lines, start=1) if n not in cut]
    return "\n".join(kept), sum(1 for i in items if isinstance(i, dict) and i.get("source") == source_id)


def _timeline_text(repo: CorpusRepo) -> str:
    path = repo.root / "timeline.yaml"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def propose_source(repo: CorpusRepo, before: dict[str, int], upload: SourceUpload, replace: bool) -> Proposal:
    rel = f"sources/{upload.source_id}.md"
    exists = (repo.root / rel).exists()
    if exists and not replace:
        raise UploadError(f"a source with id `{upload.source_id}` exists already: use /corpus replace, or another id")
    if replace and not exists:
        raise UploadError(f"there is no source `{upload.source_id}` to replace: use /corpus add")
    changes: dict[str, bytes | None] = {rel: upload.data}
    dropped = 0
    if upload.draft is not None and upload.draft.timeline:
        timeline = _timeline_text(repo)
        if replace:
            timeline, dropped = drop_entries(timeline, upload.source_id)
        changes["timeline.yaml"] = (timeline.rstrip("\n") + "\n\n" + upload.draft.timeline_yaml()).encode("utf-8")
    verb = "replace" if replace else "add"
    proposal = _prepare(repo, before, f"{verb} source `{upload.source_id}`", f"{verb} source {upload.source_id}",
                        changes, upload.source_id)
    if upload.draft is not None:
        proposal.timeline = upload.draft.timeline_entries()
        proposal.removed = upload.draft.removed
    if dropped:
        proposal.warnings.append(f"{dropped} timeline entries of the old `{upload.source_id}` are replaced by the "
                                 "new proposals")
    proposal.rebuild = lambda: propose_source(repo, before, upload, replace)
    return proposal


def propose_removal(repo: CorpusRepo, before: dict[str, int], source_id: str) -> Proposal:
    rel = f"sources/{source_id}.md"
    if not (repo.root / rel).exists():
        raise UploadError(f"there is no source `{source_id}`")
    changes: dict[str, bytes | None] = {rel: None}
    timeline, dropped = drop_entries(_timeline_text(repo), source_id)
    if dropped:
        changes["timeline.yaml"] = timeline.encode("utf-8")
    proposal = _prepare(repo, before, f"remove source `{source_id}`", f"remove source {source_id}", changes)
    if dropped:
        proposal.warnings.append(f"its {dropped} timeline entries are removed with it")
    proposal.rebuild = lambda: propose_removal(repo, before, source_id)
    return proposal


def propose_file(repo: CorpusRepo, before: dict[str, int], name: str, data: bytes) -> Proposal:
    if name not in ("timeline.yaml", "entities.yaml"):
        raise UploadError(f"`{name}` is not timeline.yaml or entities.yaml")
    try:
        read_page(data, name)
    except PageError as exc:
        raise UploadError(str(exc)) from None
    proposal = _prepare(repo, before, f"replace `{name}`", f"replace {name}", {name: data})
    proposal.rebuild = lambda: propose_file(repo, before, name, data)
    return proposal


def propose_rollback(repo: CorpusRepo, before: dict[str, int], version: Version) -> Proposal:
    changes = repo.rollback_changes(version)
    if not changes:
        raise UploadError(f"the corpus files are already those of version {version.short}")
    proposal = _prepare(repo, before, f"roll back to version `{version.short}` ({version.summary})",
                        cut(f"rollback to {version.short}: {version.summary}", 200), changes)
    proposal.warnings.append("files changed: " + ", ".join(f"`{p}`" + (" (removed)" if d is None else "")
                                                          for p, d in sorted(changes.items())))
    proposal.rebuild = lambda: propose_rollback(repo, before, version)
    return proposal
