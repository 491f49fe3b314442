"""A safe YAML loader that remembers where things are.

Built on ``yaml.SafeLoader`` (the pure-Python scanner, so error messages are PyYAML's own,
e.g. ``found character '\\t' that cannot start any token``). Mappings come back as
:class:`LineDict` and sequences as :class:`LineList`: plain ``dict``/``list`` subclasses that
also know the 1-based file line of the node, of each key and of each item, and which keys were
repeated (PyYAML itself silently keeps the last one).

Every failure -- syntax errors, reader errors, constructor errors, and the odd non-YAML
exception a constructor can leak (``date: 1937-02-30`` used to raise ``ValueError``) --
becomes a :class:`YamlError` with a file line and a readable message.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode

__all__ = ["LineDict", "LineList", "YamlError", "load_yaml", "line_of"]

# What PyYAML's reader refuses: such a text goes straight to the pure-Python loader for its message.
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


class LineDict(dict):
    """A mapping plus positions: ``line`` (the mapping), ``key_lines[key]`` and
    ``duplicate_keys`` as ``(key, line, first_line)`` triples."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[Any, int] = {}
        self.duplicate_keys: list[tuple[Any, int, int]] = []

    def line_for(self, key: Any, default: int | None = None) -> int:
        """The line of ``key``, else ``default``, else the mapping's own line."""
        if key in self.key_lines:
            return self.key_lines[key]
        return self.line if default is None else default


class LineList(list):
    """A sequence plus positions: ``line`` (the sequence) and ``item_lines[i]``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines: list[int] = []

    def line_for(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


def line_of(value: Any, default: int) -> int:
    """The line a loaded value starts at, if it is a mapping or a sequence."""
    line = getattr(value, "line", 0)
    return line if line else default


class YamlError(Exception):
    """Bad YAML: ``line`` is a 1-based line in the file the text came from."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Lines:
    """What makes a loader's mappings and sequences remember their lines (mixed into the
    pure-Python ``LineLoader`` and the libyaml-based ``FastLineLoader``).

    ``first_line`` is the file line of the text's first line (front matter starts on line 2).
    """

    def __init__(self, stream: str, first_line: int = 1):
        super().__init__(stream)
        self.first_line = first_line
        self.last_node: yaml.Node | None = None

    def construct_object(self, node, deep=False):
        self.last_node = node  # so a bare exception from a constructor still has a line
        return super().construct_object(node, deep=deep)

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def construct_line_map(self, node: MappingNode):
        data = LineDict()
        data.line = self._line(node)
        yield data
        if not isinstance(node, MappingNode):  # pragma: no cover - the resolver guarantees it
            raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}",
                                   node.start_mark)
        own = {id(key_node) for key_node, _ in node.value}
        self.flatten_mapping(node)  # resolves "<<" merge keys; merged pairs come first
        seen: dict[Any, int] = {}   # keys written in this mapping itself -> line
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError("while constructing a mapping", node.start_mark,
                                       "found unhashable key", key_node.start_mark) from None
            value = self.construct_object(value_node, deep=True)
            line = self._line(key_node)
            if id(key_node) in own:
                if key in seen:
                    data.duplicate_keys.append((key, line, seen[key]))
                else:
                    seen[key] = line
            data[key] = value
            data.key_lines[key] = line

    def construct_line_seq(self, node: SequenceNode):
        data = LineList()
        data.line = self._line(node)
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)
        data.item_lines = [self._line(child) for child in node.value]

    def construct_lenient_timestamp(self, node):
        # An impossible unquoted date (1937-02-30) makes SafeConstructor raise a bare
        # ValueError; keep the text instead so the caller can say what is wrong with it.
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


class LineLoader(_Lines, yaml.SafeLoader):
    """``yaml.SafeLoader`` (PyYAML's own scanner and messages) whose nodes remember their lines."""


if hasattr(yaml, "CSafeLoader"):
    class FastLineLoader(_Lines, yaml.CSafeLoader):
        """libyaml's parser, five times faster on a corpus of thousands of front matters; its error
        messages differ, so a text it refuses is parsed again by ``LineLoader`` for the message."""
else:   # PyYAML built without libyaml
    FastLineLoader = None

for _loader in (LineLoader, FastLineLoader):
    if _loader is not None:
        _loader.add_constructor("tag:yaml.org,2002:map", _Lines.construct_line_map)
        _loader.add_constructor("tag:yaml.org,2002:seq", _Lines.construct_line_seq)
        _loader.add_constructor("tag:yaml.org,2002:timestamp", _Lines.construct_lenient_timestamp)


def _describe(exc: yaml.MarkedYAMLError, first_line: int, at_context: bool = False) -> str:
    msg = f"YAML error: {exc.problem or exc.context or 'invalid YAML'}"
    if exc.problem and exc.context:
        msg += f" ({exc.context}"
        if not at_context and exc.context_mark is not None and exc.problem_mark is not None and \
                exc.context_mark.line != exc.problem_mark.line:
            msg += f" on line {exc.context_mark.line + first_line}"
        msg += ")"
    return msg


def _at_stream_end(exc: yaml.MarkedYAMLError) -> bool:
    """A quote, bracket or block left open until the text ends (a truncated file)."""
    problem = exc.problem or ""
    return exc.context_mark is not None and ("end of stream" in problem or "<stream end>" in problem)


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, max(0, min(index, len(text)))) + 1


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document from ``text``; raise :class:`YamlError` on any problem.

    Returns ``None`` for an empty document, else plain Python values where every mapping is
    a :class:`LineDict` and every sequence a :class:`LineList`.
    """
    if FastLineLoader is not None and not _NON_PRINTABLE.search(text):
        fast = FastLineLoader(text, first_line)
        try:
            return fast.get_single_data()
        except Exception:  # noqa: BLE001 - parsed again below, for PyYAML's own message
            pass
        finally:
            fast.dispose()
    loader: LineLoader | None = None
    try:
        loader = LineLoader(text, first_line)  # the reader checks characters right here
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # left open until the end: point at where it opens, not at the end of the text
        at_context = _at_stream_end(exc)
        mark = exc.context_mark if at_context else (exc.problem_mark or exc.context_mark)
        line = mark.line + first_line if mark is not None else first_line
        raise YamlError(line, _describe(exc, first_line, at_context)) from None
    except yaml.reader.ReaderError as exc:
        # Raised for characters YAML does not allow (control characters, NUL...).
        line = _line_at(text, exc.position) + first_line - 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        raise YamlError(line, f"YAML error: unacceptable character U+{char:04X}: "
                              f"{exc.reason}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlError(first_line, "YAML error: nesting too deep") from None
    except Exception as exc:  # noqa: BLE001
        # A constructor given a value it cannot build ("!!int abc", "!!int" with no value)
        # raises ValueError, IndexError...: still a YAML problem in the file, at that node.
        node = loader.last_node if loader is not None else None
        line = node.start_mark.line + first_line if node is not None else first_line
        raise YamlError(line, f"YAML error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
