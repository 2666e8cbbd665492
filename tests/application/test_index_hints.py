"""On SQLite a view filtered by a province that holds few rows is read through the filter's
own index, whatever the statistics say; a province of many rows is left to the planner."""

from __future__ import annotations

from pathlib import Path

from application.projections.index_hints import FEW, filter_index
from infrastructure.database import parse_database_url
from infrastructure.views.sql import ViewStore


def test_a_filter_holding_few_rows_is_sent_to_its_index_and_one_of_many_is_not(
    tmp_path: Path,
) -> None:
    store = ViewStore(parse_database_url(f"sqlite:///{tmp_path / 'views.sqlite'}"))
    try:
        with store.transaction() as tx:
            tx.execute("CREATE TABLE flag (province TEXT NOT NULL, n INTEGER NOT NULL)")
            tx.execute("CREATE INDEX flag_province_ix ON flag (province, n)")
            tx.executemany("INSERT INTO flag (province, n) VALUES (%s, %s)",
                           [("DN", n) for n in range(FEW + 1)] + [("BN", n) for n in range(3)])
        with store.transaction(write=False) as tx:
            assert filter_index(tx, "flag", "province", {"BN", "BG"}) == \
                " INDEXED BY flag_province_ix"
            assert filter_index(tx, "flag", "province", {"DN"}) == ""
            assert filter_index(tx, "flag", "province", {"DN", "BN"}) == ""
            assert filter_index(tx, "flag", "province", None) == ""
            rows = tx.fetchall("SELECT n FROM flag" + filter_index(tx, "flag", "province", {"BN"})
                               + " WHERE province IN (%s) ORDER BY n DESC", ("BN",))
        assert [r[0] for r in rows] == [2, 1, 0]
    finally:
        store.close()
