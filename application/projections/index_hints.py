"""SQLite keeps no histogram (its statistics give each index the average rows per value), so
a filter by a value that holds few rows, where most rows hold another, looks to its planner
like a quarter of the table, and it reads the sort's index in order instead of the filter's.
A short count through the filter's own index settles it: when the rows are few, the query
is told to use that index (``INDEXED BY``), and sorts the few it finds."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from application.projections.base import ViewTransaction

# Up to this many rows a page is read through the filter's index and sorted.
FEW = 300


def filter_index(tx: ViewTransaction, name: str, column: str,
                 values: Collection[Any] | None) -> str:
    """`` INDEXED BY {name}_{column}_ix`` (the filter's index, ``keyset_indexes``) when
    ``column IN values`` holds at most ``FEW`` rows of the view ``name`` on SQLite; else
    nothing (PostgreSQL's planner has the histograms)."""
    if tx.dialect != "sqlite" or not values:
        return ""
    table, index = tx.table(name), tx.table(f"{name}_{column}_ix")
    marks = ", ".join(["%s"] * len(values))
    found = tx.fetchall(f"SELECT count(*) FROM (SELECT 1 FROM {table} INDEXED BY {index} "
                        f"WHERE {column} IN ({marks}) LIMIT %s)", [*sorted(values), FEW + 1])
    return f" INDEXED BY {index}" if int(found[0][0]) <= FEW else ""
