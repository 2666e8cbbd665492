"""A posted form read back as the JSON body of the command it is the form of."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.datastructures import FormData

from interfaces.web.field_types import bare, without_none
from interfaces.web.forms import Group, Input, controls


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
        annotation = bare(without_none(bare(info.annotation))[0])
        if typing.get_origin(annotation) is list:
            item = bare(typing.get_args(annotation)[0])
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
