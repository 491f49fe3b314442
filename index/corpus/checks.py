"""The field checks every corpus file's validation shares.

The checks report into an :class:`~index.corpus.errors.IssueLog` and return ``None`` on
failure, so a load goes on and lists *every* problem.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from index.corpus.errors import IssueLog
from index.corpus.files import decode
from index.corpus.yamlsafe import LineDict, LineList, YamlError, line_of, load_yaml

__all__ = ["type_name", "check_keys", "str_field", "str_list", "load_yaml_list"]


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def check_keys(log: IssueLog, rel: str, m: LineDict, required: tuple[str, ...],
               optional: tuple[str, ...], what: str, missing_line: int) -> None:
    """Duplicate, unknown and missing keys of the mapping ``m``."""
    for key, line, first in m.duplicate_keys:
        log.err(rel, line, f"duplicate key {key!r} in {what} (first on line {first})")
    allowed = required + optional
    for key in m:
        if key not in allowed:
            log.err(rel, m.line_for(key), f"unknown key {key!r} in {what} "
                                          f"(allowed: {', '.join(allowed)})")
    for key in required:
        if key not in m:
            log.err(rel, missing_line, f"missing required key {key!r} in {what}")


def str_field(log: IssueLog, rel: str, m: LineDict, key: str, what: str) -> str | None:
    """A required-or-optional string field: must be a non-empty string if present."""
    if key not in m:
        return None
    value = m[key]
    line = m.line_for(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        log.err(rel, line, f"empty value for {key!r} in {what}")
        return None
    if not isinstance(value, str):
        hint = " (put it in quotes)" if isinstance(value, (int, float, _dt.date)) else ""
        log.err(rel, line, f"{key!r} in {what} must be a string, not "
                           f"{type_name(value)}{hint}")
        return None
    return value.strip()


def str_list(log: IssueLog, rel: str, m: LineDict, key: str,
             what: str) -> tuple[list[str], list[int]] | None:
    """An optional list of non-empty strings: ``(items, their lines)``, ``([], [])`` if absent."""
    if key not in m:
        return [], []
    value = m[key]
    line = m.line_for(key)
    if value is None:
        log.err(rel, line, f"empty value for {key!r} in {what}")
        return None
    if not isinstance(value, list):
        log.err(rel, line, f"{key!r} in {what} must be a list of strings, not "
                           f"{type_name(value)}")
        return None
    out: list[str] = []
    lines: list[int] = []
    ok = True
    for i, item in enumerate(value):
        item_line = value.line_for(i) if isinstance(value, LineList) else line
        if not isinstance(item, str) or not item.strip():
            what_item = "an empty string" if isinstance(item, str) else type_name(item)
            log.err(rel, item_line, f"{key!r} in {what} must be a list of strings; "
                                    f"item {i + 1} is {what_item}")
            ok = False
            continue
        out.append(item.strip())
        lines.append(item_line)
    return (out, lines) if ok else None


def load_yaml_list(log: IssueLog, rel: str, data: bytes | None, what: str) -> LineList | None:
    """Decode + parse a YAML file that must hold a list; ``None`` if it is unusable."""
    if data is None:
        return LineList()
    text, bad_line, bad_msg = decode(data)
    if text is None:
        log.err(rel, bad_line, bad_msg)
        return None
    try:
        value = load_yaml(text)
    except YamlError as exc:
        log.err(rel, exc.line, exc.message)
        return None
    if value is None:
        return LineList()
    if not isinstance(value, LineList):
        log.err(rel, line_of(value, 1), f"{rel} must be a YAML list of {what} "
                                        f"('- id: ...' items), not {type_name(value)}")
        return None
    return value
