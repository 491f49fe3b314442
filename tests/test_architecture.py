"""The product's shape: no import circles, imports only downward, small files and functions.

Every import in bot/ and index/ counts, including the ones inside functions and under
``TYPE_CHECKING``: a circle of type hints is still a circle a reader has to untangle.
"""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("bot", "index")
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50
# numba needs the query kernel in one piece (bm25 kernel: factoring its loops out measured 30x
# slower at p95; see the comment inside it)
LONG_FUNCTIONS_ALLOWED = {("index/bm25/query_kernel.py", "nb_query")}
# ... and the module that holds it is over the file limit by its length alone
LONG_FILES_ALLOWED = {"index/bm25/query_kernel.py"}
# Higher layers may import lower ones, never the reverse.
FORBIDDEN = [
    ("index", "bot", "index never imports the bot"),
    ("index", "discord", "index never imports discord"),
    ("bot.render", "bot.discord", "renderers never import the Discord front end"),
    ("bot.answering", "bot.discord", "answering never imports the Discord front end"),
    ("bot.answering", "discord", "answering is built without Discord"),
    ("bot.answering", "bot.render", "answers are data; rendering comes after"),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module ``path`` imports (a ``from pkg import name`` of a submodule counts as it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) for name, path in modules.items()}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v] & graph.keys()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_the_imports_it_should():
    graph = _graph()
    assert "index.corpus.model" in graph["index.passages"]
    assert "bot.render.console" in graph["bot.cli"]            # "from bot.render import console"
    assert "bot.console" in graph["bot.cli"]                   # an import inside a function


def test_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_the_product():
    assert _cycles(_graph()) == []


def test_imports_only_go_down_the_layers():
    wrong = [f"{module} imports {target}: {why}"
             for module, targets in _graph().items() for target in sorted(targets)
             for low, high, why in FORBIDDEN if _within(module, low) and _within(target, high)]
    assert wrong == []


def test_tests_never_import_the_benchmarks():
    modules = {p: _imports(p, {}) for p in sorted((ROOT / "tests").rglob("*.py"))}
    wrong = {str(p.relative_to(ROOT)): sorted(m for m in found if _within(m, "benchmarks"))
             for p, found in modules.items() if any(_within(m, "benchmarks") for m in found)}
    assert wrong == {}


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in PACKAGES
            for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]


def test_no_private_name_crosses_a_module_line():
    files = [p for pkg in (*PACKAGES, "tests", "benchmarks") for p in sorted((ROOT / pkg).rglob("*.py"))]
    wrong = {str(p.relative_to(ROOT)): names for p in files if (names := _private_imports(p))}
    assert wrong == {}


def test_product_files_stay_small():
    long = {rel: n for p in _modules().values() if (rel := str(p.relative_to(ROOT))) not in LONG_FILES_ALLOWED
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES}
    assert long == {}


def test_product_functions_stay_short():
    long = {}
    for path in _modules().values():
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if not is_function or (rel, node.name) in LONG_FUNCTIONS_ALLOWED:
                continue
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if node.end_lineno - first + 1 > MAX_FUNCTION_LINES:
                long[f"{rel}:{node.lineno} {node.name}"] = node.end_lineno - first + 1
    assert long == {}
