"""Near-duplicate blocks of non-test code, from the ``duplicates`` command, told apart into
repeated logic and repeated declarations.

Pairs the command marks ``boilerplate`` and pairs with a side under ``tests/`` are left out. A
block is a *declaration* when every line of it, blank lines and comments aside, belongs to an
import, a decorator, a function's signature (its parameters, up to the first statement of its
body), a ``class`` statement's header or docstring, a field declared in a class body (an
annotated name, ``amount: Decimal`` or ``title: str = Field(...)``, or a name given a literal,
``code = "stale_version"``), or a module-level name given a literal (a table of data as text,
or a pattern compiled from one). In a function body, a statement that only hands values on is a
declaration too: a call whose every argument is a name, an attribute, a constant or an
argument-less call (a handler giving its command's fields to the aggregate by name, an event's
apply function passing ``locals()`` on), an assignment of names to attributes (a constructor
keeping its parameters), or a ``return`` of text (strings and f-strings of names: a table's
DDL, with the lists another function writes for names handed on to it spread in). Two command
types, or a command and its request schema, that list the same fields are such blocks, and so
are two routes that take the same query parameters: the same shape of data, no behaviour to
share. Any other statement in a function body is logic. A pair is a declaration pair when both
of its blocks are declarations; every other pair repeats logic (at least one of its blocks does
something) and counts against the target.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from bench.import_graph import ROOT

_ROW = re.compile(r"^D\d+ (?P<a>\S+):(?P<a0>\d+)-(?P<a1>\d+) ~ (?P<b>\S+):(?P<b0>\d+)-(?P<b1>\d+)")


@dataclass(frozen=True)
class Pair:
    row: str  # the command's own line: ``D3 a.py:10-24 ~ b.py:40-54 shape``
    declarations: bool


def pairs() -> list[Pair] | None:
    """The pairs of non-test code, or None when the ``duplicates`` command is not on PATH."""
    tool = shutil.which("duplicates")
    if tool is None:
        return None
    out = subprocess.run([tool, "--repo", str(ROOT), "--most", "200", "--seconds", "60"],
                         capture_output=True, text=True, check=False).stdout
    found = []
    for line in out.splitlines():
        match = _ROW.match(line)
        if match is None or " boilerplate" in line:
            continue
        if match["a"].startswith("tests/") or match["b"].startswith("tests/"):
            continue
        declarations = (_declares(match["a"], int(match["a0"]), int(match["a1"]))
                        and _declares(match["b"], int(match["b0"]), int(match["b1"])))
        found.append(Pair(line.strip(), declarations))
    return found


def _declares(path: str, first: int, last: int) -> bool:
    lines, declared = _declaration_lines(path)
    return all(n in declared or not lines[n - 1].strip() or lines[n - 1].lstrip().startswith("#")
               for n in range(first, min(last, len(lines)) + 1))


def _span(node: ast.AST) -> range:
    start = getattr(node, "lineno", 0)
    return range(start, (getattr(node, "end_lineno", None) or start) + 1)


@cache
def _declaration_lines(path: str) -> tuple[list[str], frozenset[int]]:
    text = (ROOT / path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    declared = {line for statement in tree.body if isinstance(statement, ast.Assign | ast.AnnAssign)
                and _is_literal(statement.value) for line in _span(statement)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            declared.update(_span(node))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:
                declared.update(_span(decorator))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            declared.update(range(node.lineno, node.body[0].lineno))  # the signature
            declared.update(line for statement in node.body if _forwards(statement)
                            for line in _span(statement))
        if isinstance(node, ast.ClassDef):
            body = node.body[0].lineno if node.body else node.lineno
            declared.update(range(node.lineno, body))  # the header, however many lines
            declared.update(line for statement in node.body if _is_field(statement)
                            for line in _span(statement))
    return text.splitlines(), frozenset(declared)


def _passed(node: ast.expr) -> bool:
    """A value handed on as it is: a name, an attribute, a constant, a call with no argument
    (``locals()``, ``needs.today()``)."""
    if isinstance(node, ast.Attribute):
        return _passed(node.value)
    if isinstance(node, ast.Call):
        return not node.args and not node.keywords and _passed(node.func)
    return isinstance(node, ast.Name | ast.Constant)


def _text(node: ast.expr) -> bool:
    """A string, or an f-string that only formats names and attributes in."""
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue)
                                                   and _passed(v.value)) for v in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _spread(node: ast.expr) -> bool:
    """``*make(NAME, suffix, ...)`` in a list of DDL: the text another function writes for
    the names handed on to it."""
    return isinstance(node, ast.Starred) and isinstance(node.value, ast.Call) and _passed(
        node.value.func) and all(_passed(a) for a in node.value.args) and not node.value.keywords


def _forwards(statement: ast.stmt) -> bool:
    """A statement that only hands its values on: a call whose every argument is passed as it
    is (a handler giving its command's fields to the aggregate by name), or an assignment of
    names to attributes (a constructor keeping its parameters). It computes nothing."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        return _passed(call.func) and all(_passed(a) for a in call.args) and all(
            _passed(k.value) for k in call.keywords)
    if isinstance(statement, ast.Return) and isinstance(statement.value, ast.List | ast.Tuple):
        return all(_text(e) or _spread(e) for e in statement.value.elts)
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        value = statement.value
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        values = value.elts if isinstance(value, ast.Tuple) else [value]
        return value is not None and all(isinstance(v, ast.Name | ast.Constant) for v in values) \
            and all(isinstance(t, ast.Attribute | ast.Tuple) for t in targets)
    return False


def _is_literal(node: ast.expr | None) -> bool:
    """A constant, a dict, list or tuple made only of constants (data written as text), or a
    call of constants (``re.compile(r"...")``: a pattern written as text)."""
    if node is None:
        return False
    if isinstance(node, ast.Call):
        return _passed(node.func) and not node.keywords and all(
            isinstance(a, ast.Constant) for a in node.args)
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def _is_field(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.AnnAssign):
        return True
    if isinstance(statement, ast.Assign):
        return isinstance(statement.value, ast.Constant)
    # The class's docstring, ``pass`` or ``...``.
    return isinstance(statement, ast.Pass) or (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
