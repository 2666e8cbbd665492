"""Row-by-row comparison of a live view table with its shadow rebuild."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from application.projections.base import ViewTransaction


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple[Any, ...]
    kind: str  # "only_live", "only_shadow" or "changed"
    columns: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (live, shadow)

    def __str__(self) -> str:
        key = ", ".join(map(str, self.key))
        if self.kind != "changed":
            return f"{self.table} [{key}]: {self.kind.replace('_', ' ')}"
        cols = "; ".join(f"{c}: {a!r} (live) != {b!r} (rebuilt)"
                         for c, (a, b) in self.columns.items())
        return f"{self.table} [{key}]: {cols}"


def primary_key(tx: ViewTransaction, table: str) -> list[str]:
    if tx.dialect == "sqlite":
        info = tx.fetchall(f"PRAGMA table_info({table})")
        return [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
    rows = tx.fetchall(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)", (table,))
    return [str(r[0]) for r in rows]


def _columns(tx: ViewTransaction, table: str) -> list[str]:
    if tx.dialect == "sqlite":
        return [str(r[1]) for r in tx.fetchall(f"PRAGMA table_info({table})")]
    rows = tx.fetchall("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                       "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (table,))
    return [str(r[0]) for r in rows]


def diff_tables(tx: ViewTransaction, live: str, shadow: str) -> list[Difference]:
    """Every row only in one table, or in both (same key) with differing columns."""
    cols = _columns(tx, live)
    names = ", ".join(cols)
    only_live = tx.fetchall(f"SELECT {names} FROM {live} EXCEPT SELECT {names} FROM {shadow}")
    only_shadow = tx.fetchall(f"SELECT {names} FROM {shadow} EXCEPT SELECT {names} FROM {live}")
    key_cols = primary_key(tx, live) or cols
    index = [cols.index(k) for k in key_cols]

    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(row[i] for i in index)

    rebuilt = {key(r): r for r in only_shadow}
    out: list[Difference] = []
    for row in sorted(only_live, key=lambda r: tuple(map(str, key(r)))):
        other = rebuilt.pop(key(row), None)
        if other is None:
            out.append(Difference(live, key(row), "only_live"))
        else:
            changed = {c: (a, b) for c, a, b in zip(cols, row, other, strict=True) if a != b}
            out.append(Difference(live, key(row), "changed", changed))
    out += [Difference(live, k, "only_shadow") for k in sorted(rebuilt, key=lambda k: tuple(
        map(str, k)))]
    return out
