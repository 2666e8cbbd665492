"""The columns of a view's rows, read from the row's pydantic model, and their headers."""

from __future__ import annotations

import tomllib
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

Lang = Literal["vi", "en"]
LABELS = Path(__file__).with_name("labels.toml")


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


@cache
def _labels() -> dict[str, typing.Any]:
    return tomllib.loads(LABELS.read_text(encoding="utf-8"))


def label(view: str, field: str, lang: Lang) -> str:
    """A column's header; a KeyError names a field that has no label yet."""
    table = _labels()
    pair = table["view"].get(view, {}).get(field) or table["field"][field]
    return str(pair[0 if lang == "vi" else 1])


def sheet_name(key: str, lang: Lang) -> str:
    return str(_labels()["sheet"][key][0 if lang == "vi" else 1])


def text(key: str, lang: Lang) -> str:
    """A report's own words: its title, header names and section names."""
    return str(_labels()["report"][key][0 if lang == "vi" else 1])
