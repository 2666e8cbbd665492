"""``make stats``: the code's shape against its targets (file and function sizes, import cycles,
imports inside functions, layering, near-duplicate blocks), measured with ``ast``.

Non-test code is every ``.py`` file under the four layers and ``bench/``; the import graph
(``bench/import_graph.py``) also takes in ``tests/``. Layering and function length are judged
in ``bench/layering.py``, near-duplicates in ``bench/duplicate_blocks.py`` (which says what
counts as repeated logic and what as repeated declarations).
"""

from __future__ import annotations

import statistics

import bench.duplicate_blocks as duplicate_blocks
import bench.import_graph as graph
import bench.layering as layering
from bench.import_graph import ROOT

MAX_FILE, MEDIAN_FILE = 300, 60


def main() -> None:
    modules = graph.modules()
    graph.read_imports(modules)
    code = [m for m in modules.values() if m.name.split(".")[0] in graph.CODE]
    big = sorted((m for m in code if m.lines > MAX_FILE), key=lambda m: -m.lines)
    long_functions = [f for f in layering.long_functions(modules) if not f.startswith("tests/")]
    cycles = graph.cycles(modules)
    inside = [f"{m.path.relative_to(ROOT)}:{line} imports {target}" for m in code
              for target, line in m.inside_functions]
    violations = layering.violations(modules)
    pairs = duplicate_blocks.pairs()
    logic = None if pairs is None else [p.row for p in pairs if not p.declarations]
    declared = None if pairs is None else [p.row for p in pairs if p.declarations]
    rows = [("median non-test file (lines)", f"<= {MEDIAN_FILE}",
             f"{statistics.median(m.lines for m in code):g}"),
            (f"files over {MAX_FILE} lines", "0", str(len(big))),
            (f"functions over {layering.MAX_FUNCTION} lines", "0", str(len(long_functions))),
            ("import cycles", "0", str(len(cycles))),
            ("imports inside functions", "0", str(len(inside))),
            ("layering violations", "0", str(len(violations))),
            ("near-duplicate blocks of logic", "0", _count(logic)),
            ("near-duplicate declarations", "-", _count(declared))]
    print(f"{'measure':<32} {'target':>8} {'actual':>8}")
    for name, target, actual in rows:
        print(f"{name:<32} {target:>8} {actual:>8}")
    details = {"files over the limit": [f"{m.path.relative_to(ROOT)} ({m.lines})" for m in big],
               "long functions": long_functions,
               "import cycles": [" <-> ".join(c) for c in cycles],
               "imports inside functions": inside, "layering violations": violations,
               "near-duplicate blocks of logic": logic or []}
    for title, items in details.items():
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  {item}" for item in items))


def _count(items: list[str] | None) -> str:
    return "n/a" if items is None else str(len(items))  # n/a: no `duplicates` on PATH


if __name__ == "__main__":
    main()
