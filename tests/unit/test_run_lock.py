"""`make run` installs only requirements/run.txt: every library the shipped code imports must
be pinned there, or the server does not start on a fresh machine."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("domain", "application", "infrastructure", "interfaces")


def _optional(tree: ast.AST) -> set[int]:
    """The import statements under ``try: ... except ImportError``: optional libraries."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError",
                                                               "ModuleNotFoundError")
                for h in node.handlers):
            guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return guarded


def _imported_top_levels() -> dict[str, str]:
    """Each top-level module the shipped code needs, with one file that imports it."""
    found: dict[str, str] = {}
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            optional = _optional(tree)
            for node in ast.walk(tree):
                if id(node) in optional:
                    continue
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned() -> set[str]:
    text = (ROOT / "requirements" / "run.txt").read_text(encoding="utf-8")
    return {_normalised(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", text, re.M)}


def test_every_library_the_shipped_code_imports_is_pinned_in_the_run_lock() -> None:
    own = set(SHIPPED)
    distributions = packages_distributions()
    pinned = _pinned()
    missing = {}
    for module, where in _imported_top_levels().items():
        if module in own or module in sys.stdlib_module_names:
            continue
        names = distributions.get(module)
        assert names, f"{module} (imported by {where}) is installed by no distribution"
        if not any(_normalised(n) in pinned for n in names):
            missing[module] = where
    assert not missing, f"imported but not in requirements/run.txt: {missing}"
