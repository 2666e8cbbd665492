"""The compliance registry: one function per check code, each listed once, each citing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import domain.compliance as compliance
from domain.case_guards import RULE_FLAGS
from domain.compliance import CHECKS, SEVERITY

CHECK_NAME = re.compile(r"c\d\d_[a-z0-9_]+")


def check_functions() -> list[Callable[..., Any]]:
    """Every function of the package whose name starts with a lowercase check code."""
    found = []
    for info in pkgutil.iter_modules(compliance.__path__):
        module = importlib.import_module(f"{compliance.__name__}.{info.name}")
        found += [f for name, f in vars(module).items() if inspect.isfunction(f)
                  and f.__module__ == module.__name__ and CHECK_NAME.fullmatch(name)]
    return found


def test_every_check_code_has_exactly_one_function_named_after_it() -> None:
    functions = check_functions()
    for code in sorted(set(SEVERITY) | set(RULE_FLAGS.values())):
        named = [f.__name__ for f in functions if f.__name__.startswith(code.lower() + "_")]
        assert len(named) == 1, f"{code}: {named}"
    assert {f.__name__[:3].upper() for f in functions} <= set(SEVERITY)


def test_the_registry_lists_each_check_function_once_in_code_order() -> None:
    assert len(set(CHECKS)) == len(CHECKS)
    assert set(CHECKS) == set(check_functions())
    assert [f.__name__ for f in CHECKS] == sorted(f.__name__ for f in CHECKS)


def test_each_check_says_what_it_flags_and_cites_its_rule_with_the_severity() -> None:
    for check in CHECKS:
        code = check.__name__[:3].upper()
        comment = inspect.getcomments(check) or ""
        assert check.__doc__, check.__name__
        assert re.search(rf"{code}\b.*\[{SEVERITY[code]}\]", comment), check.__name__
