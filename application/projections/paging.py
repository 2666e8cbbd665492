"""Keyset pagination for every view read, and what each read checks before it touches SQL.

A read names a whitelisted sort (``column`` or ``-column``) and is ordered by it and then by
the view's key columns; a page is the first ``limit`` rows after the cursor, and the next
cursor is the last row's sort value and key. The next page starts strictly after that row, so
pages neither repeat nor skip rows while the view changes underneath (a row that moves across
the cursor moves pages, as in any keyset pagination).

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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from application.projections.base import ViewTransaction
from domain.errors import InvalidInputError

MAX_LIMIT = 200

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
    plain = [int(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
             for v in values]
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


@dataclass(frozen=True)
class Sort:
    """A whitelisted sort: ``name`` as the client wrote it, the SQL expression behind it."""

    name: str
    expression: str
    descending: bool

    @property
    def spec(self) -> str:
        return ("-" if self.descending else "") + self.name


def parse_sort(text: str | None, allowed: Collection[str] | dict[str, str],
               default: str) -> Sort:
    """``column`` (ascending) or ``-column`` (descending), among ``allowed`` (names, or a
    mapping of name to SQL expression)."""
    spec = (text or default).strip()
    name = spec.lstrip("-")
    if name not in allowed or spec.count("-", 0, len(spec) - len(name)) > 1:
        raise InvalidInputError(
            f"cannot sort by {spec!r}; choose one of {', '.join(sorted(allowed))}, "
            "with a leading '-' for descending", code="invalid_sort", field="sort")
    expression = allowed[name] if isinstance(allowed, dict) else name
    return Sort(name, expression, spec.startswith("-"))


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError(f"limit must be between 1 and {MAX_LIMIT}",
                                code="invalid_limit", field="limit")
    return limit


class Where:
    """WHERE clauses and their parameters, built up one filter at a time."""

    def __init__(self) -> None:
        self._parts: list[tuple[str, list[Any]]] = []
        self._among: dict[str, tuple[int, frozenset[Any]]] = {}  # column -> part, values

    @property
    def clauses(self) -> list[str]:
        return [clause for clause, _ in self._parts]

    @property
    def params(self) -> list[Any]:
        return [p for _, params in self._parts for p in params]

    def add(self, clause: str, *params: Any) -> None:
        self._parts.append((clause, list(params)))

    def any_of(self, column: str, values: Collection[Any] | None) -> None:
        """``column`` among ``values``; ``None`` means no filter, an empty list matches none.
        A second list for the same column (a person's provinces, then the ones asked for)
        narrows the first to the values in both: one ``IN``, which SQLite's planner reads as
        the index range it is, where two made it scan a sort's index."""
        if values is None:
            return
        chosen = frozenset(values)
        if column in self._among:
            at, before = self._among[column]
            chosen &= before
        else:
            at = len(self._parts)
            self._parts.append(("", []))
        self._among[column] = (at, chosen)
        self._parts[at] = ((f"{column} IN ({', '.join(['%s'] * len(chosen))})", sorted(chosen))
                           if chosen else ("1 = 0", []))

    def among(self, column: str) -> frozenset[Any] | None:
        """The values ``column`` is limited to (None: not limited)."""
        found = self._among.get(column)
        return None if found is None else found[1]

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self._parts else ""


@dataclass(frozen=True)
class Keyset:
    """What a read selects (``columns`` ``FROM source``, with ``params`` for the source's own
    placeholders) and how it pages: by ``keys`` after the sort, ``integers`` naming the sort
    columns and keys whose cursor values are integers."""

    columns: Sequence[str]
    source: str
    keys: Sequence[str]
    params: Sequence[Any] = ()
    integers: Collection[str] = frozenset()


def keyset_page(tx: ViewTransaction, query: Keyset, where: Where, sort: Sort,
                cursor: str | None, limit: int) -> tuple[list[tuple[Any, ...]], str | None]:
    """The rows (``query.columns``) matching ``where`` after the cursor, at most ``limit``,
    and the cursor of the following page (None on the last page)."""
    size = check_limit(limit)
    keys = [k for k in query.keys if k != sort.name]
    kinds = [int if name in query.integers else str for name in (sort.name, *keys)]
    order = [sort.expression, *keys]
    after = decode_cursor(cursor, sort.spec, kinds)
    if after is not None:
        op = "<" if sort.descending else ">"
        where.add(f"({', '.join(order)}) {op} ({', '.join(['%s'] * len(order))})", *after)
    direction = " DESC" if sort.descending else ""
    rows = tx.fetchall(f"SELECT {', '.join([*query.columns, *order])} FROM {query.source}"
                       f"{where.sql()} ORDER BY {', '.join(c + direction for c in order)} "
                       f"LIMIT {int(size) + 1}", [*query.params, *where.params])
    width = len(query.columns)
    following = (encode_cursor(sort.spec, rows[size - 1][width:])
                 if len(rows) > size else None)
    return [row[:width] for row in rows[:size]], following


def keyset_indexes(table: str, suffix: str, keys: Sequence[str],
                   sorts: Mapping[str, str] | Sequence[str], filters: Sequence[str] = (),
                   default: str = "") -> list[str]:
    """``CREATE INDEX`` statements that make every page of ``table`` one index range: one per
    sort (its expression, then the keys, as ``keyset_page`` orders) and one per equality
    filter (the column, then the ``default`` sort's order). An order the primary key
    already gives (``keys`` themselves) needs none."""
    expressions = dict(sorts) if isinstance(sorts, Mapping) else {s: s for s in sorts}

    def order(name: str) -> list[str]:
        sql = expressions[name]
        return [f"({sql})" if "(" in sql else sql, *(k for k in keys if k != name)]

    wanted = {f"{table}_by_{name}_ix": order(name) for name in expressions
              if order(name) != list(keys)}
    for column in filters:
        wanted[f"{table}_{column}_ix"] = [column, *(c for c in order(default) if c != column)]
    return [f"CREATE INDEX IF NOT EXISTS {name}{suffix} ON {table}{suffix} "
            f"({', '.join(columns)})" for name, columns in wanted.items()]
