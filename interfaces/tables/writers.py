"""CSV and Excel writers for rows of a view, one row at a time (the file may be large).

CSV: UTF-8 with a byte-order mark (so that spreadsheet programs read the diacritics), ISO
dates, exact decimals. Excel (XlsxWriter, constant-memory mode): numbers as numbers, dates as
dates shown dd/mm/yyyy, VND with no decimals, a bold frozen header with filters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from interfaces.tables.columns import Column

Row = Mapping[str, Any]
EXACT_DIGITS = 15  # what a spreadsheet number holds exactly; a longer number is written as text


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{v}" if k == "code" else f"({v}%)" for k, v in value.items())
    return str(value)


def flat(value: Any, column: Column) -> Any:
    """A cell's value: lists joined by "; ", VND as a whole number, None as empty."""
    if value is None:
        return None
    if column.kind == "list":
        return "; ".join(_text(v) for v in value)
    if isinstance(value, Decimal) and column.kind == "vnd" and value == value.to_integral_value():
        return int(value)
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell: empty for None, true/false, and text that a spreadsheet would run as a
    formula (=, +, -, @) kept as text with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(out: IO[bytes], headers: list[str], columns: list[Column],
              rows: Iterable[Row]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        cells = (flat(row.get(c.name), c) for c in columns)
        writer.writerow([csv_cell(v) for v in cells])
    text.flush()
    text.detach()


class Sheet:
    """One worksheet written row by row: ``add`` each row, then ``close``."""

    def __init__(self, out: IO[bytes], name: str, headers: list[str], columns: list[Column],
                 preamble: Iterable[list[Any]] = (), created: datetime | None = None) -> None:
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True,
                                              "remove_timezone": True})
        if created is not None:  # the same day, the same bytes
            self.book.set_properties({"created": created})
        self.sheet = self.book.add_worksheet(name[:31])
        self.columns, self.row, self.top = columns, 0, 0
        fmt = self.book.add_format
        self.formats = {"date": fmt({"num_format": "dd/mm/yyyy"}),
                        "datetime": fmt({"num_format": "dd/mm/yyyy hh:mm:ss"}),
                        "vnd": fmt({"num_format": "#,##0"}),
                        "money": fmt({"num_format": "#,##0.00"}), "bold": fmt({"bold": True})}
        for i, header in enumerate(headers):
            self.sheet.set_column(i, i, max(10, min(40, len(header) + 2)))
        for line in preamble:  # a report's own header, above its table
            self.sheet.write_row(self.row, 0, [self._plain(v) for v in line])
            self.row += 1
        self.top = self.row
        self.sheet.freeze_panes(self.top + 1, 0)
        self.sheet.write_row(self.row, 0, headers, self.formats["bold"])

    def _plain(self, value: Any) -> Any:
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value

    def title(self, text: str) -> None:
        """A bold line of text across the table (a section's name)."""
        self.row += 1
        self.sheet.write_string(self.row, 0, text, self.formats["bold"])

    def add(self, row: Row, bold: bool = False) -> None:
        self.row += 1
        for i, column in enumerate(self.columns):
            self._cell(i, flat(row.get(column.name), column), column, bold)

    def _cell(self, i: int, value: Any, column: Column, bold: bool) -> None:
        fmt = self.formats["bold"] if bold and column.kind not in self.formats else \
            self.formats.get(column.kind)
        if value is None:
            self.sheet.write_blank(self.row, i, None, fmt)
        elif isinstance(value, bool):
            self.sheet.write_boolean(self.row, i, value, fmt)
        elif isinstance(value, datetime | date):
            self.sheet.write_datetime(self.row, i, value, fmt)
        elif isinstance(value, int | Decimal) and len(Decimal(value).as_tuple().digits) \
                <= EXACT_DIGITS:
            self.sheet.write_number(self.row, i, float(value), fmt)
        else:
            self.sheet.write_string(self.row, i, str(value), fmt)

    def close(self) -> None:
        self.sheet.autofilter(self.top, 0, max(self.row, self.top + 1), len(self.columns) - 1)
        self.book.close()
