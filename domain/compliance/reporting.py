"""Checks on the reports owed: C08 periodic reports, C09 completion and settlement."""

from __future__ import annotations

from domain import policy
from domain.compliance.context import Context
from domain.compliance.obligations import ObligationState

DUE_DAYS = {policy.HALF_YEAR: "half_year_report_due_days",
            policy.ANNUAL: "annual_report_due_days",
            policy.COMPLETION: "completion_report_due_days",
            policy.SETTLEMENT: "settlement_due_days"}


# C08/C09 [warning] Decree 80/2020: reports every 6 months and annually; due days and the
# completion/settlement deadlines are not verified.
def c08_periodic_report_overdue(cx: Context) -> None:
    """A half-year or annual report past its due date and not submitted."""
    start: list[int] | None = None
    for ob in cx.obligations:
        if not ob.whole:
            start = _start_versions(cx) if start is None else start
            _overdue(cx, "C08", ob, start)


# C09 [warning] Decree 80/2020: the completion report and the settlement after the actual
# end; their deadlines are not verified.
def c09_completion_report_overdue(cx: Context) -> None:
    """The completion report or the settlement past its due date and not submitted."""
    end_versions = cx.h.named("ActivitiesCompleted") or cx.h.named("Terminated")
    for ob in cx.obligations:
        if ob.whole:
            _overdue(cx, "C09", ob, _start_versions(cx) + end_versions)


def _start_versions(cx: Context) -> list[int]:
    """The receipt that started implementation."""
    return next((v for t, v in cx.transactions(("received",))
                 if t.effective_date == cx.case.actual_start), [])


def _overdue(cx: Context, code: str, ob: ObligationState, versions: list[int]) -> None:
    for rid in ob.report_ids:
        versions = versions + cx.h.named("ReportSubmitted", rid, None)
        versions += cx.h.named("ReportReturned", rid, None)
    for start, until in ob.overdue():
        cx.add(code, f"{ob.kind.replace('_', '-')} report for "
               f"{ob.period_start.isoformat()}..{ob.period_end.isoformat()} due "
               f"{ob.due_on.isoformat()} not submitted", cx.cite(DUE_DAYS[ob.kind]),
               start, until, evidence=versions,
               verified=cx.profile.verified(DUE_DAYS[ob.kind]))
