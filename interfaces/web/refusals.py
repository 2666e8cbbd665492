"""Why a command's form was refused, shown on the form itself where the person can act on it:
a rule refused (record it with a deviation), a process guard (what must happen first), the
case changed meanwhile (look at it first), a field not valid (marked on the field)."""

from __future__ import annotations

import uuid

from application.errors import StaleVersionError
from domain.errors import CodedError, InvalidInputError, ProcessGuardError, RuleViolationError
from interfaces.web.form_page import Filled
from interfaces.web.forms import Group, Input


def explain_refusal(filled: Filled, error: CodedError, head_version: int | None) -> Filled:
    """The form again with what refused it."""
    filled.detail = error.detail
    if isinstance(error, StaleVersionError):
        filled.notice, filled.version = "stale", head_version
    elif isinstance(error, RuleViolationError):
        filled.notice = "rule"
        filled.rule = {"flag": error.flag, "rule": error.rule_ref,
                       "verified": error.basis_verified}
    elif isinstance(error, ProcessGuardError):
        filled.notice, filled.allowed = "process", list(error.allowed_commands)
    elif isinstance(error, InvalidInputError) and error.field:
        filled.notice = "invalid"
        _mark(filled.parts + list(filled.extra), error.field, error.detail)
    else:
        filled.notice = "refused"
    filled.key = uuid.uuid4().hex  # a refused command recorded nothing: a new try
    return filled


def _mark(parts: list[Input | Group], name: str, problem: str) -> None:
    for part in parts:
        if isinstance(part, Group):
            _mark(part.parts, name, problem)
        elif part.name == name:
            part.problem = problem
