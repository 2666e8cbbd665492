"""A report's period: a year, a half-year or a month, and its first and last days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidInputError

_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-(H[12]))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def parse_period(text: str) -> Period:
    """``2026`` (a year), ``2026-H1`` or ``2026-H2`` (a half-year), ``2026-06`` (a month)."""
    match = _PERIOD.fullmatch(text.strip())
    if not match or not 1990 <= int(match[1]) <= 2100:
        raise InvalidInputError(f"period {text!r} is not a year (2026), a half-year (2026-H1) "
                                "or a month (2026-06) between 1990 and 2100",
                                code="invalid_period", field="period")
    year = int(match[1])
    if match[2]:
        month = int(match[2])
        after = date(year + month // 12, month % 12 + 1, 1)
        return Period(text, date(year, month, 1), date.fromordinal(after.toordinal() - 1))
    if match[3] == "H1":
        return Period(text, date(year, 1, 1), date(year, 6, 30))
    if match[3] == "H2":
        return Period(text, date(year, 7, 1), date(year, 12, 31))
    return Period(text, date(year, 1, 1), date(year, 12, 31))
