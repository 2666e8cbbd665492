"""Writing a projection's rows: the rows of many owners (cases) replaced by what changed.

A view row of a case often stays as it was when the case has a new event (its reporting
calendar after a disbursement), or changes in a column or two (a flag's latest evidence).
Deleting and inserting every row of the case rewrote each index of the table for each row;
``replace_rows`` reads the stored rows back and deletes, updates (only the columns that
differ: an index that holds none of them is left alone) and inserts only what differs, so the
table ends as a delete and insert would leave it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

from application.projections.base import ViewTransaction

CHUNK = 500  # ids per IN (...) list: well inside SQLite's bound-parameter limit

Row = Sequence[Any]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def replace_rows(tx: ViewTransaction, table: str, columns: Sequence[str], key: Sequence[str],
                 owners: Iterable[str], rows: Sequence[Row],
                 fresh: Collection[str] = ()) -> None:
    """Make the rows of ``table`` (already suffixed) whose first column is one of ``owners``
    exactly ``rows``. ``key`` names the columns that identify a row (the table's primary
    key); ``fresh`` owners have no stored rows yet (nothing is read back for them)."""
    at = [columns.index(c) for c in key]
    key_of = _key_of(at)
    wanted = {key_of(r): r for r in rows}
    if len(wanted) < len(rows):
        raise ValueError(f"{table}: two rows with one key")
    stored: dict[tuple[Any, ...], Row] = {}
    names = ", ".join(columns)
    for part in chunks(sorted(o for o in set(owners) if o not in fresh)):
        holders = ", ".join(["%s"] * len(part))
        for r in tx.fetchall(f"SELECT {names} FROM {table} WHERE {columns[0]} IN ({holders})",
                             part):
            stored[key_of(r)] = r
    where = " AND ".join(f"{c} = %s" for c in key)
    tx.executemany(f"DELETE FROM {table} WHERE {where}", [k for k in stored if k not in wanted])
    # Updates grouped by the columns they set: one statement for each such set.
    updates: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
    added = []
    for k, row in wanted.items():
        old = stored.get(k)
        if old is None:
            added.append(row)
            continue
        differ = tuple(i for i, (was, now) in enumerate(zip(old, row, strict=True)) if was != now)
        if differ:
            updates.setdefault(differ, []).append((*(row[i] for i in differ), *k))
    for differ, params in updates.items():
        sets = ", ".join(f"{columns[i]} = %s" for i in differ)
        tx.executemany(f"UPDATE {table} SET {sets} WHERE {where}", params)
    tx.insert_rows(table, columns, added)


def _key_of(at: Sequence[int]) -> Callable[[Row], tuple[Any, ...]]:
    """A row's key, always a tuple: the values at ``at``."""
    if len(at) == 1:
        only = at[0]
        return lambda r: (r[only],)
    return itemgetter(*at)
