"""What an uploaded file is: a source in the corpus format, a page to import, or a YAML file.

Nothing from the upload reaches the file system as a path: a source's file name is made from its
id, and only after the id passed ``ID_RE``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus.sources import ID_RE
from index.corpus.yamlsafe import YamlError, load_yaml
from index.importer import PageMeta, import_page
from index.importer.draft import Draft
from index.importer.page import PageError, read_page
from index.text.cut import cut

__all__ = ["UploadError", "PageFields", "SourceUpload", "check_upload", "source_upload", "slug"]


class UploadError(ValueError):
    """The upload cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class PageFields:
    """What the modal asks for (empty strings: not given)."""
    title: str = ""
    kind: str = ""
    publisher: str = ""
    attribution: str = ""
    context: str = ""


@dataclass
class SourceUpload:
    source_id: str
    data: bytes                  # the source file to write
    draft: Draft | None = None   # set when the upload was a page the importer turned into a source


def extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def check_upload(filename: str, size: int, max_bytes: int, extensions: frozenset[str]) -> None:
    """Refuse by what Discord declares, before downloading anything."""
    if size > max_bytes:
        raise UploadError(f"“{cut(filename, 80)}” is {size / 1024 / 1024:.1f} MB; uploads may be at most "
                          f"{max_bytes / 1024 / 1024:.1f} MB (setting upload_max_bytes).")
    if extension(filename) not in extensions:
        raise UploadError(f"“{cut(filename, 80)}” is not a file type I take: use one of "
                          f"{', '.join(sorted(extensions))} (setting upload_extensions).")


def slug(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:60].strip("-")


def _front_matter_id(text: str) -> str | None:
    """The ``id`` of a file in the corpus format (front matter between ``---`` lines), else None."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    if end < 0:
        raise UploadError("the file starts with --- but its front matter is never closed (a line with ---)")
    try:
        data = load_yaml(text[4:end + 1], first_line=2)
    except YamlError as exc:
        raise UploadError(f"front matter line {exc.line}: {exc.message}") from None
    if not isinstance(data, dict) or "id" not in data:
        return None
    return str(data["id"])


def source_upload(data: bytes, filename: str, fields: PageFields, wanted_id: str | None) -> SourceUpload:
    """The source to write for an uploaded file (a corpus-format source, or a page imported)."""
    try:
        text = read_page(data, filename)
    except PageError as exc:
        raise UploadError(str(exc)) from None
    found = _front_matter_id(text.replace("\r\n", "\n").lstrip("\ufeff"))
    if found is not None:
        if not ID_RE.match(found):
            raise UploadError(f"the front matter's id “{cut(found, 60)}” must be lowercase letters, digits and dashes")
        if wanted_id and wanted_id != found:
            raise UploadError(f"the file's id is “{found}”, not “{wanted_id}”")
        return SourceUpload(found, data)
    if not fields.title.strip() or not fields.publisher.strip():
        raise UploadError("this file is a page, not a corpus source: give at least its title and publisher")
    source_id = wanted_id or slug(fields.title)
    if not ID_RE.match(source_id or ""):
        raise UploadError(f"“{cut(source_id, 60)}” cannot be a source id: use lowercase letters, digits and dashes")
    meta = PageMeta(id=source_id, title=fields.title.strip(), publisher=fields.publisher.strip(),
                    kind=fields.kind.strip() or "web-page", seed=re.sub(r"[^\w.-]", "_", filename)[-100:] or "upload",
                    attribution=fields.attribution.strip() or None, context=fields.context.strip() or None)
    draft = import_page(text, meta, filename)
    return SourceUpload(source_id, draft.source_markdown().encode("utf-8"), draft)
