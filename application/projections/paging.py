"""What every view read checks before it touches SQL: the cursor and the date.

A cursor is base64 of JSON ``{"s": sort, "k": [values]}``: the sort it belongs to and the
last row's sort value and key. It comes back from the client, so it is checked like any other
input: the same sort, one value per column, each of the column's type (a text column never
compares with a number, which PostgreSQL refuses), integers within 64 bits (SQLite's
range) and text that a database can hold (no NUL, no lone surrogate).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInputError

# The days a view can be read on. Far beyond any aid case, and far from the ends of Python's
# calendar, so that date arithmetic in the reads (a due window, an expiry window) cannot
# overflow.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
_INT64 = 2**63
Kind = type[int] | type[str]


def check_day(value: date, field: str = "as_of") -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidInputError(f"{field} must be between {FIRST_DAY} and {LAST_DAY}",
                                code="date_out_of_range", field=field)
    return value


def encode_cursor(sort: str, values: Sequence[Any]) -> str:
    plain = [int(v) if isinstance(v, Decimal) else v for v in values]
    raw = json.dumps({"s": sort, "k": plain}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, sort: str, kinds: Sequence[Kind]) -> list[Any] | None:
    """The values of ``cursor`` (None without one), one of each of ``kinds`` in order."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        data = None
    values = data.get("k") if isinstance(data, dict) and data.get("s") == sort else None
    if (not isinstance(values, list) or len(values) != len(kinds)
            or not all(_fits(v, kind) for v, kind in zip(values, kinds, strict=True))):
        raise InvalidInputError("the cursor is malformed or belongs to another sort; start "
                                "again without one", code="invalid_cursor", field="cursor")
    return values


def _fits(value: Any, kind: Kind) -> bool:
    if kind is int:
        return type(value) is int and -_INT64 <= value < _INT64
    if type(value) is not str or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
