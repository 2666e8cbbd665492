"""A workbook row and its cells, read as the commands need them (dates, decimals, lists)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: sheet, row number (as the spreadsheet shows it), column."""

    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


class BadCell(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int
    values: dict[str, Any]

    def problem(self, column: str, reason: str) -> Problem:
        return Problem(self.sheet, self.number, column, reason)

    def raw(self, column: str) -> Any:
        value = self.values.get(column)
        return None if isinstance(value, str) and not value.strip() else value

    def text(self, column: str, default: str | None = None) -> str:
        value = self.raw(column)
        if value is None:
            if default is None:
                raise BadCell(column, "is required")
            return default
        return str(value).strip() if not isinstance(value, float) else f"{value:g}"

    def optional_text(self, column: str) -> str | None:
        return None if self.raw(column) is None else self.text(column)

    def day(self, column: str) -> date:
        value = self.raw(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(column)
        match = _DMY.match(text)
        try:
            if match:
                return date(int(match[3]), int(match[2]), int(match[1]))
            return date.fromisoformat(text)
        except ValueError:
            raise BadCell(column, f"{text!r} is not a date (2019-07-10 or 10/07/2019)") from None

    def optional_day(self, column: str) -> date | None:
        return None if self.raw(column) is None else self.day(column)

    def decimal(self, column: str) -> Decimal:
        value = self.raw(column)
        if value is None:
            raise BadCell(column, "is required")
        try:  # a float cell by its shortest repr: what the spreadsheet shows
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise BadCell(column, f"{value!r} is not a number") from None
        if not number.is_finite():
            raise BadCell(column, f"{value!r} is not a number")
        return number

    def optional_decimal(self, column: str) -> Decimal | None:
        return None if self.raw(column) is None else self.decimal(column)

    def flag(self, column: str) -> bool:
        value = self.raw(column)
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().lower()
        if text in ("có", "co", "yes", "true", "1", "x"):
            return True
        if text in ("không", "khong", "no", "false", "0"):
            return False
        raise BadCell(column, f"{value!r} is not có/không (yes/no)")

    def items(self, column: str) -> list[str]:
        value = self.raw(column)
        return [] if value is None else [v.strip() for v in str(value).split(";") if v.strip()]
