"""The SQL status of the reporting calendar says "overdue" exactly when the domain's one
overdue rule does, over a grid of report histories and dates, on both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from application.projections.obligations import COLUMNS, OBLIGATIONS
from application.projections.queries_compliance import query_obligations
from domain import policy
from domain.compliance.obligations import report_dates
from interfaces.container import Container

DUE = date(2026, 7, 20)
# Report histories as (change, days after the due date): those the row's four dates
# (first and last submission, last return, acceptance) describe exactly, i.e. a return after
# its submission and at most one return before the last submission. The grid of as-of dates
# covers each of these days and the days either side.
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
]
AS_OF = [DUE + timedelta(days=n) for n in range(-3, 6)]


def row(index: int, history: list[tuple[str, int]]) -> tuple[Any, ...]:
    dates = report_dates([{"history": [{"change": c, "on": DUE + timedelta(days=n)}
                                       for c, n in history]}])

    def iso(days: tuple[date, ...], pick: Any) -> str | None:
        return pick(days).isoformat() if days else None

    return (f"case-{index:02}", f"BN-2026-{index:04}", "BN", "donor", "half_year",
            "2026-01-01", "2026-06-30", DUE.isoformat(), iso(dates.submitted, min),
            iso(dates.submitted, max), iso(dates.accepted, max), iso(dates.returned, max),
            f"report-{index:02}")


def expected(history: list[tuple[str, int]], as_of: date) -> bool:
    dates = report_dates([{"history": [{"change": c, "on": DUE + timedelta(days=n)}
                                       for c, n in history]}])
    return policy.overdue_on(DUE, dates.counted, as_of)


def test_the_sql_overdue_status_agrees_with_the_overdue_rule_on_every_date(
        container: Container) -> None:
    container.runner.catch_up()
    with container.views.transaction() as tx:
        tx.insert_rows(tx.table(OBLIGATIONS), COLUMNS,
                       [row(i, h) for i, h in enumerate(HISTORIES)])
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
