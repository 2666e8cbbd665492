"""The columns of a view's rows, read from the row's pydantic model (their headers are in
``labels.py``)."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

Lang = Literal["vi", "en"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, int, bool, money, vnd, date, datetime or list


def _kind(name: str, annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = args[0]
    if typing.get_origin(annotation) is list:
        return "list"
    if annotation is Decimal:
        return "vnd" if name.endswith("_vnd") else "money"
    kinds = ((bool, "bool"), (int, "int"), (datetime, "datetime"), (date, "date"))
    return next((kind for t, kind in kinds if annotation is t), "text")


def columns_of(model: type[BaseModel]) -> list[Column]:
    return [Column(name, _kind(name, f.annotation)) for name, f in model.model_fields.items()]
