"""Read a legacy workbook (openpyxl, read-only) into rows by sheet, with the row numbers a
spreadsheet shows; a missing sheet is empty, an unknown column is refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from application.imports.cells import Problem, Row
from application.imports.columns import SHEETS
from application.imports.plan import Book


class WorkbookError(ValueError):
    """The file is not a workbook we can read, or its headers are not the template's."""


def read_book(path: Path) -> tuple[Book, list[Problem]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise WorkbookError(f"{path.name} is not an Excel workbook (.xlsx): {exc}") from None
    book: Book = {}
    problems: list[Problem] = []
    try:
        for name in SHEETS:
            if name in workbook.sheetnames:
                book[name] = _rows(workbook[name], name, problems)
    finally:
        workbook.close()
    if not book:
        raise WorkbookError(f"{path.name} has none of the sheets {', '.join(SHEETS)}")
    return book, problems


def _rows(sheet: object, name: str, problems: list[Problem]) -> list[Row]:
    lines = iter(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    known = {c[0] for c in SHEETS[name]}
    for column in header:
        if column and column not in known:
            problems.append(Problem(name, 1, column, "is not a column of this sheet"))
    rows = []
    for number, values in enumerate(lines, 2):
        cells = dict(zip(header, values, strict=False))
        if any(v is not None and str(v).strip() for v in cells.values()):
            rows.append(Row(name, number, {k: v for k, v in cells.items() if k}))
    return rows
