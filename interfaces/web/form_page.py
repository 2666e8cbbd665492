"""A command's form: rendered from the API's body model for the version the person sees,
and posted back, filled in again with what was sent (``refusals.py`` says what refused it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from interfaces.web.commands import CommandForm
from interfaces.web.form_body import body_of
from interfaces.web.forms import Group, Input, controls, with_values

_OWN = ("version", "idempotency_key")  # the form's own fields, beside the body's


@dataclass
class Filled:
    """A form as the person sees it: controls with values and problems, what refused it."""

    form: CommandForm
    parts: list[Input | Group]
    extra: list[Input]
    version: int | None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    notice: str | None = None  # stale, rule, process, refused, invalid
    detail: str | None = None
    rule: dict[str, Any] | None = None
    allowed: list[str] = field(default_factory=list)


def blank(form: CommandForm, version: int | None, extra_choices: dict[str, list[Any]]
          ) -> Filled:
    """The empty form (a deviation is offered only once a rule refuses)."""
    parts = _offer(controls(form.body, skip=("deviation",)), extra_choices)
    return Filled(form, parts, _extra_inputs(form, extra_choices, {}), version)


def _extra_inputs(form: CommandForm, choices: dict[str, list[Any]],
                  sent: dict[str, str]) -> list[Input]:
    out = []
    for name in form.extra:
        options = tuple(choices.get(name, ()))
        out.append(Input(name, name, "select" if options else "text", True, options,
                         sent.get(name)))
    return out


def read_post(form: CommandForm, posted: FormData) -> tuple[dict[str, Any], dict[str, str],
                                                           int | None, str]:
    """The body, the extra values, the version and the key a posted form carries."""
    body = body_of(posted, form.body)
    extra = {name: str(posted.get(name) or "").strip() for name in form.extra}
    raw_version = str(posted.get("version") or "")
    version = int(raw_version) if raw_version.isdigit() else None
    key = str(posted.get("idempotency_key") or "")[:200] or uuid.uuid4().hex
    return body, extra, version, key


def validation_problems(error: ValidationError) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in error.errors()}


def refilled(form: CommandForm, body: dict[str, Any], extra: dict[str, str],
             version: int | None, choices: dict[str, list[Any]],
             problems: dict[str, str] | None = None, with_deviation: bool = False) -> Filled:
    parts = _offer(controls(form.body, skip=() if with_deviation else ("deviation",)), choices)
    return Filled(form, with_values(parts, body, problems or {}),
                  _extra_inputs(form, choices, extra), version)


def _offer(parts: list[Input | Group], choices: dict[str, list[Any]]) -> list[Input | Group]:
    """Fields with a known list of values become a choice among them."""
    for part in parts:
        if isinstance(part, Input) and choices.get(part.name):
            part.kind, part.choices = "select", tuple(choices[part.name])
    return parts
