"""The import graph of the code, read with ``ast``: each module's imports, and its cycles.

An import is an edge to each module it names: ``from a.b import c`` to ``a.b`` (whose
namespace it reads) and to ``a.b.c`` when that is a module. Imports inside functions and under
``if TYPE_CHECKING:`` count: they hide a cycle, they do not remove it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("domain", "application", "infrastructure", "interfaces", "bench")
PACKAGES = (*CODE, "tests")


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    tree: ast.Module
    imports: list[tuple[str, int]] = field(default_factory=list)  # (module, line)
    inside_functions: list[tuple[str, int]] = field(default_factory=list)


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Module]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            module = Module(_name(path), path, len(text.splitlines()), ast.parse(text))
            found[module.name] = module
    return found


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if module.path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: Module, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _absolute(module, node)
    named = [f"{base}.{alias.name}" for alias in node.names]
    return [base, *(n for n in named if n in known)]


def _walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, in_function
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _walk(child, inner)


def read_imports(modules: dict[str, Module]) -> None:
    known = set(modules)
    for module in modules.values():
        for node, in_function in _walk(module.tree, False):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(module, node, known):
                    module.imports.append((target, node.lineno))
                    if in_function:
                        module.inside_functions.append((target, node.lineno))


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph = {m.name: sorted({t for t, _ in m.imports if t in modules and t != m.name})
             for m in modules.values()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    return sorted(found)
