"""A projection's rows replaced by what changed (``application/projections/rows.py``) end as a
delete and insert of every row would leave them, with only the differing rows and columns
written, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from application.projections.rows import replace_rows
from infrastructure.views.sql import SqlTransaction
from interfaces.container import Container

COLUMNS = ("owner", "code", "note", "flag", "position")
KEY = ("owner", "code")
START = [("a", "x", "one", True, 1), ("a", "y", "two", False, 2), ("b", "x", "three", True, 3)]


class Recording:
    """A view transaction that remembers the statements that write."""

    def __init__(self, tx: SqlTransaction) -> None:
        self.tx = tx
        self.writes: list[tuple[str, int]] = []  # statement, rows

    def table(self, name: str) -> str:
        return self.tx.table(name)

    def fetchall(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        return self.tx.fetchall(sql, params)

    def execute(self, sql: str, params: Any = ()) -> int:
        self.writes.append((sql, 1))
        return self.tx.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> None:
        if rows:
            self.writes.append((sql, len(rows)))
        self.tx.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Any, rows: Any) -> None:
        if rows:
            self.writes.append((f"INSERT INTO {table}", len(rows)))
        self.tx.insert_rows(table, columns, rows)


@pytest.fixture
def store(container: Container) -> Iterator[Container]:
    with container.views.transaction() as tx:
        tx.execute("CREATE TABLE kept_rows (owner TEXT NOT NULL, code TEXT NOT NULL, "
                   "note TEXT NOT NULL, flag BOOLEAN NOT NULL, position BIGINT NOT NULL, "
                   "PRIMARY KEY (owner, code))")
        tx.insert_rows("kept_rows", COLUMNS, START)
    yield container


def replace(container: Container, owners: list[str], rows: list[tuple[Any, ...]],
            fresh: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    with container.views.transaction() as tx:
        recording = Recording(tx)
        replace_rows(recording, "kept_rows", COLUMNS, KEY, owners, rows, fresh)  # type: ignore[arg-type]
    return recording.writes


def stored(container: Container) -> list[tuple[Any, ...]]:
    with container.views.transaction(write=False) as tx:
        return [(o, c, n, bool(f), int(p)) for o, c, n, f, p in tx.fetchall(
            "SELECT owner, code, note, flag, position FROM kept_rows ORDER BY owner, code")]


def test_rows_as_they_are_are_not_written_again(store: Container) -> None:
    assert replace(store, ["a", "b"], list(START)) == []
    assert stored(store) == START


def test_a_changed_row_updates_only_its_differing_columns(store: Container) -> None:
    writes = replace(store, ["a"], [("a", "x", "one", True, 9), ("a", "y", "two", True, 2)])
    assert sorted(writes) == [("UPDATE kept_rows SET flag = %s WHERE owner = %s AND code = %s", 1),
                              ("UPDATE kept_rows SET position = %s WHERE owner = %s AND code = %s",
                               1)]
    assert stored(store) == [("a", "x", "one", True, 9), ("a", "y", "two", True, 2), START[2]]


def test_rows_no_longer_wanted_are_deleted_and_new_ones_inserted(store: Container) -> None:
    writes = replace(store, ["a", "b"], [("a", "z", "four", False, 4)])
    assert sorted(writes) == [("DELETE FROM kept_rows WHERE owner = %s AND code = %s", 3),
                              ("INSERT INTO kept_rows", 1)]
    assert stored(store) == [("a", "z", "four", False, 4)]


def test_only_the_owners_named_are_touched(store: Container) -> None:
    replace(store, ["b"], [])
    assert stored(store) == START[:2]


def test_fresh_owners_are_inserted_without_reading_back(store: Container) -> None:
    writes = replace(store, ["c"], [("c", "x", "five", True, 5)], fresh=("c",))
    assert writes == [("INSERT INTO kept_rows", 1)]
    assert stored(store)[-1] == ("c", "x", "five", True, 5)


def test_two_wanted_rows_with_one_key_are_refused_and_nothing_is_written(
        store: Container) -> None:
    with pytest.raises(ValueError, match="two rows with one key"):
        replace(store, ["a"], [("a", "x", "one", True, 1), ("a", "x", "other", True, 1)])
    assert stored(store) == START
