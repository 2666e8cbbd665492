"""A command's request body as an HTML form, and a posted form back as that body.

The fields come from the API's own pydantic models, so a form accepts what the API accepts
and refuses what it refuses. Nested parts are named with dots (``amount.currency``), list
rows with their index (``sectors.0.code``), lists of text one per line."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.datastructures import FormData

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


def _optional(annotation: Any) -> tuple[Any, bool]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _max_length(info: FieldInfo, annotation: Any) -> int:
    found = [getattr(m, "max_length", None) for m in info.metadata]
    if typing.get_origin(annotation) is typing.Annotated:
        found += [getattr(m, "max_length", None) for m in typing.get_args(annotation)[1:]]
    return max((n for n in found if n), default=0)


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
    annotation, optional = _optional(_bare(info.annotation))
    annotation = _bare(annotation)
    required = info.is_required() and not optional
    label = field_label(name)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Group(path, label, required, controls(annotation, path + "."))
    if origin is list:
        item = _bare(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            rows = [Group(f"{path}.{i}", f"{label} {i + 1}", required and i == 0,
                          controls(item, f"{path}.{i}.")) for i in range(LIST_ROWS)]
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
    long = _max_length(info, info.annotation) > LONG_TEXT
    return Input(path, label, "textarea" if long else "text", required)


def body_of(form: FormData, model: type[BaseModel]) -> dict[str, Any]:
    """The JSON body a posted form stands for: empty fields are left out (the model's
    default applies), checkboxes are true when ticked, lines are a list."""
    return _collect(form, model, "")


def _collect(form: FormData, model: type[BaseModel], prefix: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for control in controls(model, prefix):
        key = control.name[len(prefix):]
        value = _value(form, control, model.model_fields[key])
        if value is not None:
            body[key] = value
    return body


def _value(form: FormData, control: Input | Group, info: FieldInfo) -> Any:
    if isinstance(control, Group):
        annotation = _bare(_optional(_bare(info.annotation))[0])
        if typing.get_origin(annotation) is list:
            item = _bare(typing.get_args(annotation)[0])
            rows = [_collect(form, item, f"{row.name}.") for row in control.parts]
            rows = [row for row in rows if row]
            return rows or None
        part = _collect(form, annotation, control.name + ".")
        return part or None
    if control.kind == "choices":
        chosen = [str(v) for v in form.getlist(control.name) if str(v)]
        return chosen or None
    raw = form.get(control.name)
    if control.kind == "checkbox":
        return True if raw is not None else None
    text = str(raw).strip() if isinstance(raw, str) else ""
    if not text:
        return None
    if control.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


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
