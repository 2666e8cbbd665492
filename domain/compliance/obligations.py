"""The reporting calendar of a case: each report owed, and what happened to its reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from domain import policy
from domain.compliance.timeline import DAY, intervals
from domain.rules import RuleProfile

if TYPE_CHECKING:
    from domain.case import AidCase

Interval = tuple[date, date | None]


@dataclass(frozen=True)
class ObligationState:
    """A report owed, and what happened to the report(s) that answer it."""

    kind: str
    period_start: date
    period_end: date
    due_on: date
    report_id: str
    report_ids: tuple[str, ...] = ()
    first_submitted_on: date | None = None
    submitted_on: date | None = None
    accepted_on: date | None = None
    returned_on: date | None = None
    # Intervals in which a submission counted (submitted and not yet returned).
    counted: tuple[Interval, ...] = field(default=())

    @property
    def whole(self) -> bool:
        """Owed once for the whole implementation (completion, settlement)."""
        return self.kind in (policy.COMPLETION, policy.SETTLEMENT)

    def is_overdue(self, day: date) -> bool:
        return policy.overdue_on(self.due_on, self.counted, day)

    def overdue(self) -> list[Interval]:
        """The maximal intervals of days on which the obligation is overdue."""
        points = {d for interval in self.counted for d in interval if d is not None}
        return intervals(points, self.is_overdue, self.due_on + DAY, None)


@dataclass(frozen=True)
class ReportDates:
    """When the reports answering one obligation were submitted, returned and accepted."""

    counted: tuple[Interval, ...] = ()
    submitted: tuple[date, ...] = ()
    returned: tuple[date, ...] = ()
    accepted: tuple[date, ...] = ()


def report_dates(reports: Sequence[Mapping[str, Any]]) -> ReportDates:
    """A submission counts from its date until the report is returned."""
    counted: list[Interval] = []
    submitted, returned, accepted = [], [], []
    for r in reports:
        opened: date | None = None
        for change in r["history"]:
            on: date = change["on"]
            if change["change"] == "submitted":
                submitted.append(on)
                opened = on if opened is None else opened
            elif change["change"] == "returned":
                returned.append(on)
                if opened is not None:
                    counted.append((opened, on))
                opened = None
            elif change["change"] == "accepted":
                accepted.append(on)
        if opened is not None:
            counted.append((opened, None))
    return ReportDates(tuple(counted), tuple(submitted), tuple(returned), tuple(accepted))


def reporting_horizon(case: AidCase) -> date | None:
    """The last day of implementation the calendar counts: the actual end, or for a case
    still running the planned end as amended (never the clock). None: nothing owed."""
    if case.actual_start is None:
        return None
    return case.actual_end or max(case.planned_end, case.actual_start)


def case_obligations(case: AidCase, profile: RuleProfile) -> list[ObligationState]:
    horizon = reporting_horizon(case)
    if horizon is None:
        return []
    result = []
    closed_on = case.closure["on"] if case.closure else None
    for ob in policy.reporting_obligations(profile, first_receipt_on=case.actual_start,
                                           actual_end_on=case.actual_end, as_of=horizon,
                                           closed_on=closed_on):
        whole = ob.kind in (policy.COMPLETION, policy.SETTLEMENT)
        reports = [r for r in case.reports.values() if r["kind"] == ob.kind and (
            whole or (r["period_start"], r["period_end"]) == (ob.period_start, ob.period_end))]
        dates = report_dates(reports)
        best = sorted(reports, key=lambda r: r["status"] == "returned")
        result.append(ObligationState(
            ob.kind, ob.period_start, ob.period_end, ob.due_on,
            best[0]["report_id"] if best else ob.report_id,
            tuple(r["report_id"] for r in reports),
            min(dates.submitted, default=None), max(dates.submitted, default=None),
            max(dates.accepted, default=None), max(dates.returned, default=None),
            dates.counted))
    return result
