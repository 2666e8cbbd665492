"""Layering (who may import whom) and function length, from the import graph and ``ast``."""

from __future__ import annotations

import ast
import sys

from bench.import_graph import ROOT, Module

MAX_FUNCTION = 60
DOMAIN_MAY_IMPORT = ("domain", "eventsourcing.domain")
THROWAWAY_POSTGRES = "infrastructure.throwaway_postgres"  # for tests and bench only
FORBIDDEN = {"application": ("infrastructure", "interfaces"), "bench": ("tests",),
             "infrastructure": (THROWAWAY_POSTGRES,), "interfaces": (THROWAWAY_POSTGRES,)}


def _within(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def violations(modules: dict[str, Module]) -> list[str]:
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


def long_functions(modules: dict[str, Module]) -> list[str]:
    found = []
    for m in modules.values():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    found.append(f"{m.path.relative_to(ROOT)}:{node.lineno} {node.name} "
                                 f"({length} lines)")
    return found
