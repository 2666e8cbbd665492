"""``make stats``: the code's shape against its targets (file and function sizes, import cycles,
imports inside functions, layering, near-duplicate blocks), measured with ``ast``.

Non-test code is every ``.py`` file under the four layers and ``bench/``; the import graph also
takes in ``tests/``. An import is an edge to each module it names: ``from a.b import c`` to
``a.b`` (whose namespace it reads) and to ``a.b.c`` when that is a module. Imports inside
functions and under ``if TYPE_CHECKING:`` count: they hide a cycle, they do not remove it.
"""

from __future__ import annotations

import ast
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("domain", "application", "infrastructure", "interfaces", "bench")
PACKAGES = (*CODE, "tests")
MAX_FILE, MAX_FUNCTION, MEDIAN_FILE = 300, 60, 60
DOMAIN_MAY_IMPORT = ("domain", "eventsourcing.domain")
THROWAWAY_POSTGRES = "infrastructure.throwaway_postgres"  # for tests and bench only
FORBIDDEN = {"application": ("infrastructure", "interfaces"), "bench": ("tests",),
             "infrastructure": (THROWAWAY_POSTGRES,), "interfaces": (THROWAWAY_POSTGRES,)}


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


def _modules() -> dict[str, Module]:
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


def _read_imports(modules: dict[str, Module]) -> None:
    known = set(modules)
    for module in modules.values():
        for node, in_function in _walk(module.tree, False):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(module, node, known):
                    module.imports.append((target, node.lineno))
                    if in_function:
                        module.inside_functions.append((target, node.lineno))


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
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


def _within(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def _violations(modules: dict[str, Module]) -> list[str]:
    found = []
    for m in modules.values():
        layer = m.name.split(".")[0]
        for target, line in m.imports:
            top = target.split(".")[0]
            if layer == "domain":
                bad = not (_within(target, DOMAIN_MAY_IMPORT) or top in sys.stdlib_module_names)
            else:
                bad = _within(target, FORBIDDEN.get(layer, ()))
            if bad:
                found.append(f"{m.path.relative_to(ROOT)}:{line} imports {target}")
    return found


def _long_functions(modules: dict[str, Module]) -> list[str]:
    found = []
    for m in modules.values():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    found.append(f"{m.path.relative_to(ROOT)}:{node.lineno} {node.name} "
                                 f"({length} lines)")
    return found


def _duplicates() -> str:
    """Pairs of near-identical blocks in non-test code, boilerplate aside (or "n/a")."""
    tool = shutil.which("duplicates")
    if tool is None:
        return "n/a"
    out = subprocess.run([tool, "--repo", str(ROOT), "--most", "200", "--seconds", "60"],
                         capture_output=True, text=True, check=False).stdout
    rows = [line.split() for line in out.splitlines() if line.startswith("D")]
    real = [r for r in rows if "boilerplate" not in r
            and not any(side.startswith("tests/") for side in (r[1], r[3]))]
    return str(len(real))


def main() -> None:
    modules = _modules()
    _read_imports(modules)
    code = [m for m in modules.values() if m.name.split(".")[0] in CODE]
    big = sorted((m for m in code if m.lines > MAX_FILE), key=lambda m: -m.lines)
    long_functions = [f for f in _long_functions(modules) if not f.startswith("tests/")]
    cycles = _cycles(modules)
    inside = [f"{m.path.relative_to(ROOT)}:{line} imports {target}" for m in code
              for target, line in m.inside_functions]
    violations = _violations(modules)
    rows = [("median non-test file (lines)", f"<= {MEDIAN_FILE}",
             f"{statistics.median(m.lines for m in code):g}"),
            (f"files over {MAX_FILE} lines", "0", str(len(big))),
            (f"functions over {MAX_FUNCTION} lines", "0", str(len(long_functions))),
            ("import cycles", "0", str(len(cycles))),
            ("imports inside functions", "0", str(len(inside))),
            ("layering violations", "0", str(len(violations))),
            ("near-duplicate blocks", "0", _duplicates())]
    print(f"{'measure':<32} {'target':>8} {'actual':>8}")
    for name, target, actual in rows:
        print(f"{name:<32} {target:>8} {actual:>8}")
    details = {"files over the limit": [f"{m.path.relative_to(ROOT)} ({m.lines})" for m in big],
               "long functions": long_functions,
               "import cycles": [" <-> ".join(c) for c in cycles],
               "imports inside functions": inside, "layering violations": violations}
    for title, items in details.items():
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  {item}" for item in items))


if __name__ == "__main__":
    main()
