"""Reading an uploaded or given page: bytes -> text, with a clear message for what cannot be one."""
from __future__ import annotations

from index.corpus.files import decode

__all__ = ["PageError", "read_page"]


class PageError(ValueError):
    """The bytes are not a text page (binary, not UTF-8, empty)."""


def read_page(data: bytes, name: str = "the file") -> str:
    if not data.strip():
        raise PageError(f"{name} is empty")
    if b"\x00" in data[:65536]:
        raise PageError(f"{name} is not a text file (it holds binary data): upload a .txt, .md or .html page")
    text, line, message = decode(data)
    if text is None:
        raise PageError(f"{name}:{line}: {message}: save the page as UTF-8 text")
    return text
