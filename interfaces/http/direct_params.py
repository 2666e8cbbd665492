"""A command route's plain path and header values, read with the framework's own steps
(``interfaces/http/direct.py`` uses them)."""

from __future__ import annotations

from typing import Any

from fastapi.dependencies import utils

# The framework's own steps for one path or header value (private names: should a release
# rename them, the routes keep the framework's handler, and tests/api/test_direct_handler.py
# says so).
_ALIASES = getattr(utils, "_get_param_aliases", None)
_MODEL = getattr(utils, "_get_param_model", None)
_VALIDATE = getattr(utils, "_validate_value_with_model_field", None)
_SEQUENCE = getattr(utils, "field_annotation_is_sequence", None)
_MISSING = getattr(utils, "Undefined", None)


Param = tuple[str, list[str], str, Any]  # name, request keys by preference, where, field


def params_of(fields: list[Any]) -> list[Param] | None:
    """What reading each plain path or header value needs, worked out once (as
    ``request_params_to_args`` does for every request); None for a kind not taken here
    (a model of parameters, a list)."""
    if None in (_ALIASES, _MODEL, _VALIDATE, _SEQUENCE, _MISSING):
        return None
    out: list[Param] = []
    for field in fields:
        if _MODEL(field) is not None or _SEQUENCE(field.field_info.annotation):  # type: ignore[misc]
            return None
        keys = [key for _, key in _ALIASES(field)]  # type: ignore[misc]
        out.append((field.name, keys, field.field_info.in_.value, field))
    return out


def read(params: list[Param], received: Any) -> dict[str, Any] | None:
    """The validated values, or None when one is invalid (the framework then says why)."""
    values: dict[str, Any] = {}
    for name, keys, where, field in params:
        key = next((k for k in keys if k in received), keys[0])
        value = received.get(key)
        value, errors = _VALIDATE(  # type: ignore[misc]
            field=field, value=_MISSING if value is None else value, values=values,
            loc=(where, key))
        if errors:
            return None
        values[name] = value
    return values
