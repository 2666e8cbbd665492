"""The words of the spreadsheets: column headers by view, sheet names and a report's own
words, in Vietnamese and English (``labels.toml``)."""

from __future__ import annotations

import tomllib
import typing
from functools import cache
from pathlib import Path

from interfaces.tables.columns import Lang

LABELS = Path(__file__).with_name("labels.toml")


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
