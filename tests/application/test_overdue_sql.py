"""The SQL status of the reporting calendar says "overdue" exactly when the domain's one
overdue rule does, over a grid of report histories and dates, on both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from application.projections.obligations import (
    COLUMNS,
    COUNTED,
    COUNTED_COLUMNS,
    OBLIGATIONS,
    counted_rows,
)
from application.projections.queries_compliance import query_obligations
from domain import policy
from domain.compliance.obligations import report_dates
from interfaces.container import Container

DUE = date(2026, 7, 20)
# Report histories as (change, days after the due date), including those the row's four
# dates (first and last submission, last return, acceptance) cannot describe: a return on the
# day of its submission, two returns. The grid of as-of dates covers each of these days and
# the days either side. A report is accepted only while submitted, as the aggregate allows.
HISTORIES: list[list[tuple[str, int]]] = [
    [],
    [("submitted", -1)],
    [("submitted", 0)],
    [("submitted", 1)],
    [("submitted", 3)],
    [("submitted", -1), ("returned", 2)],
    [("submitted", 1), ("returned", 2)],
    [("submitted", -2), ("returned", 1), ("submitted", 3)],
    [("submitted", 1), ("returned", 2), ("submitted", 2)],
    [("submitted", 0), ("accepted", 2)],
    [("submitted", 2), ("accepted", 2)],
    [("submitted", 2), ("returned", 2)],
    [("submitted", -3), ("returned", -3)],
    [("submitted", 1), ("returned", 1), ("submitted", 3)],
    [("submitted", -2), ("returned", 1), ("submitted", 3), ("returned", 5)],
    [("submitted", -1), ("returned", 0), ("submitted", 1), ("returned", 2), ("submitted", 4)],
    [("submitted", -2), ("returned", 1), ("submitted", 3), ("accepted", 5)],
]
AS_OF = [DUE + timedelta(days=n) for n in range(-4, 7)]


def dates_of(history: list[tuple[str, int]]) -> Any:
    return report_dates([{"history": [{"change": c, "on": DUE + timedelta(days=n)}
                                      for c, n in history]}])


def row(index: int, history: list[tuple[str, int]]) -> tuple[Any, ...]:
    dates = dates_of(history)

    def iso(days: tuple[date, ...], pick: Any) -> str | None:
        return pick(days).isoformat() if days else None

    return (f"case-{index:02}", f"BN-2026-{index:04}", "BN", "donor", "half_year",
            "2026-01-01", "2026-06-30", DUE.isoformat(), iso(dates.submitted, min),
            iso(dates.submitted, max), iso(dates.accepted, max), iso(dates.returned, max),
            f"report-{index:02}")


def expected(history: list[tuple[str, int]], as_of: date) -> bool:
    return policy.overdue_on(DUE, dates_of(history).counted, as_of)


def test_the_sql_overdue_status_agrees_with_the_overdue_rule_on_every_date(
        container: Container) -> None:
    container.runner.catch_up()
    with container.views.transaction() as tx:
        tx.insert_rows(tx.table(OBLIGATIONS), COLUMNS,
                       [row(i, h) for i, h in enumerate(HISTORIES)])
        tx.insert_rows(tx.table(COUNTED), COUNTED_COLUMNS, [
            r for i, h in enumerate(HISTORIES)
            for r in counted_rows(f"case-{i:02}", "half_year", date(2026, 1, 1),
                                  dates_of(h).counted)])
    disagreements = []
    for as_of in AS_OF:
        with container.views.transaction(write=False) as tx:
            items, _ = query_obligations(tx, provinces=None, filters={}, as_of=as_of,
                                         cursor=None, limit=100, sort="due_on")
        got = {item["case_id"]: item["overdue"] for item in items}
        assert len(got) == len(HISTORIES)
        for i, history in enumerate(HISTORIES):
            if got[f"case-{i:02}"] != expected(history, as_of):
                disagreements.append((history, as_of.isoformat(), got[f"case-{i:02}"]))
    assert disagreements == []
    assert any(expected(h, d) for h in HISTORIES for d in AS_OF)
    assert not all(expected(h, d) for h in HISTORIES for d in AS_OF)
