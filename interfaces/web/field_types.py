"""What a pydantic field's annotation says once its wrappers are taken off: the bare type,
whether it may be left out, and the longest text it takes."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic.fields import FieldInfo


def without_none(annotation: Any) -> tuple[Any, bool]:
    """The annotation without its ``| None``, and whether it had one."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def bare(annotation: Any) -> Any:
    """The type inside any ``Annotated[...]``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def max_length(info: FieldInfo, annotation: Any) -> int:
    """The longest text the field takes, by its own or its annotation's limit (0: none)."""
    found = [getattr(m, "max_length", None) for m in info.metadata]
    if typing.get_origin(annotation) is typing.Annotated:
        found += [getattr(m, "max_length", None) for m in typing.get_args(annotation)[1:]]
    return max((n for n in found if n), default=0)
