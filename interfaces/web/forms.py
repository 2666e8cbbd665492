"""A command's request body as the controls of an HTML form, and those controls filled in
again with what was sent (``form_body.py`` reads a posted form back as the body).

The fields come from the API's own pydantic models, so a form accepts what the API accepts
and refuses what it refuses. Nested parts are named with dots (``amount.currency``), list
rows with their index (``sectors.0.code``), lists of text one per line."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from interfaces.web.field_types import bare, max_length, without_none
from interfaces.web.form_words import field_label

LIST_ROWS = 3  # rows offered for a list of parts (sectors, goods)
LONG_TEXT = 2000  # a text longer than this may be is a text area


@dataclass
class Input:
    """One control: ``kind`` is text, textarea, date, decimal, checkbox, select, lines or
    choices (several checkboxes)."""

    name: str
    label: str
    kind: str
    required: bool
    choices: tuple[Any, ...] = ()  # values, or (value, text) pairs
    value: Any = None
    problem: str | None = None


@dataclass
class Group:
    name: str
    label: str
    required: bool
    parts: list[Input | Group] = field(default_factory=list)
    row: int | None = None  # a list's row, counted from 1, shown after the label


def controls(model: type[BaseModel], prefix: str = "",
             skip: tuple[str, ...] = ()) -> list[Input | Group]:
    """The controls of ``model``'s fields, in their order."""
    out: list[Input | Group] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        out.append(_control(prefix + name, name, info))
    return out


def _control(path: str, name: str, info: FieldInfo) -> Input | Group:
    annotation, optional = without_none(bare(info.annotation))
    annotation = bare(annotation)
    required = info.is_required() and not optional
    label = field_label(name)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Group(path, label, required, controls(annotation, path + "."))
    if origin is list:
        item = bare(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            rows = [Group(f"{path}.{i}", label, required and i == 0,
                          controls(item, f"{path}.{i}."), row=i + 1) for i in range(LIST_ROWS)]
            return Group(path, label, required, list(rows))
        if typing.get_origin(item) is Literal:
            return Input(path, label, "choices", False, typing.get_args(item))
        return Input(path, label, "lines", required)
    if origin is Literal:
        return Input(path, label, "select", required, typing.get_args(annotation))
    if annotation is bool:
        return Input(path, label, "checkbox", False)
    if annotation is date:
        return Input(path, label, "date", required)
    if annotation is Decimal:
        return Input(path, label, "decimal", required)
    long = max_length(info, info.annotation) > LONG_TEXT
    return Input(path, label, "textarea" if long else "text", required)


def with_values(parts: list[Input | Group], body: dict[str, Any],
                problems: dict[str, str]) -> list[Input | Group]:
    """The controls filled with what was sent, and each field's problem."""
    for part in parts:
        value = _lookup(body, part.name)
        if isinstance(part, Group):
            with_values(part.parts, body, problems)
            continue
        part.value = "\n".join(value) if part.kind == "lines" and isinstance(value, list) \
            else value
        part.problem = problems.get(part.name)
    return parts


def _lookup(body: dict[str, Any], path: str) -> Any:
    value: Any = body
    for key in path.split("."):
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value
