"""The rows of every page of a view, its totals last, and a file handed out in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from pydantic import BaseModel

from application.projections.queries import Page
from interfaces.tables.columns import Column, Lang
from interfaces.tables.labels import sheet_name
from interfaces.tables.writers import Row

CHUNK = 64 * 1024


def page_rows(model: type[BaseModel], pages: Iterable[Page], last: list[Page]) -> Iterator[Row]:
    for page in pages:
        last[:] = [page]
        for item in page.items:
            yield model.model_validate(item).model_dump()


def with_totals(rows: Iterator[Row], last: list[Page], columns: list[Column],
                 lang: Lang) -> Iterator[Row]:
    """The rows, then a "Total" row when the view has totals (the portfolio)."""
    yield from rows
    totals = last[0].totals if last else None
    if totals:
        totals[columns[0].name] = sheet_name("total", lang)
        yield totals


def chunks(out: IO[bytes]) -> Iterator[bytes]:
    with out:
        while chunk := out.read(CHUNK):
            yield chunk
