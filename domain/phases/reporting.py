"""Reporting: reports submitted and reviewed, and the reports a case owes (SPEC §2.4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import case_guards as g
from domain import policy
from domain.errors import ConflictError, InvalidInputError, NotFoundError
from domain.phases import records as r
from domain.phases.case_record import CaseRecord
from domain.rules import RuleProfile
from domain.values import Actor, Document, as_date


def check_report_period(kind: str, start: date, end: date, submitted_on: date) -> None:
    """Half-year reports cover 1 Jan - 30 Jun, annual ones a calendar year."""
    if start > end:
        raise InvalidInputError("the period starts after it ends", code="date_order",
                                field="period_end")
    expected = {"half_year": (1, 1, 6, 30), "annual": (1, 1, 12, 31)}.get(kind)
    if expected and ((start.month, start.day, end.month, end.day) != expected
                     or start.year != end.year):
        raise InvalidInputError(f"a {kind} report covers {expected[0]:02}-{expected[1]:02} to "
                                f"{expected[2]:02}-{expected[3]:02} of one year",
                                code="report_period", field="period_start")
    if end > submitted_on:
        raise InvalidInputError("a report cannot be submitted before its period ends",
                                code="period_not_ended", field="period_end")


def submit_report(case: CaseRecord, kind: str, period_start: date, period_end: date,
                  document: Document, report_id: str | None, actor: Actor,
                  effective_date: date) -> dict[str, Any]:
    g.require(case, "submit_report")
    who = g.who(actor, effective_date)
    kind = g.choice(kind, policy.REPORT_KINDS, "kind")
    start, end = as_date(period_start, "period_start"), as_date(period_end, "period_end")
    check_report_period(kind, start, end, effective_date)
    rid = g.text(report_id, "report_id") if report_id is not None \
        else policy.report_id(kind, start, end)
    existing = case.reports.get(rid)
    if existing is not None and (existing["kind"], existing["period_start"],
                                 existing["period_end"]) != (kind, start, end):
        raise ConflictError(f"report {rid} is another report", code="report_id_conflict")
    if existing is not None and existing["status"] != "returned":
        raise g.refuse(case, f"report {rid} is already {existing['status']}",
                       "report_already_submitted")
    return {"report_id": rid, "kind": kind, "period_start": start, "period_end": end,
            "document": document.to_dict(), **who}


def report_submitted(self: CaseRecord, report_id: str, kind: str, period_start: date,
                     period_end: date, document: dict[str, str], actor_id: str,
                     actor_role: str, effective_date: date) -> None:
    previous = self.reports[report_id]["history"] if report_id in self.reports else []
    self.reports[report_id] = {
        "report_id": report_id, "kind": kind, "period_start": period_start,
        "period_end": period_end, "document": dict(document), "status": "submitted",
        "submitted_on": effective_date, "submitted_by": actor_id, "reviewed_on": None,
        "reasons": [],
        "history": previous + [{"change": "submitted", "on": effective_date}],
    }


def review_report(case: CaseRecord, report_id: str, accepted: bool, reasons: list[str] | None,
                  actor: Actor, effective_date: date) -> dict[str, Any]:
    """The fields of ``ReportAccepted`` if ``accepted``, else of ``ReportReturned``."""
    g.require(case, "review_report")
    who = g.who(actor, effective_date)
    report = case.reports.get(report_id)
    if report is None:
        raise NotFoundError(f"no report {report_id}", code="report_not_found")
    if report["status"] != "submitted":
        raise g.refuse(case, f"report {report_id} is {report['status']}",
                       "report_not_submitted")
    if accepted:
        return {"report_id": report_id, **who}
    return {"report_id": report_id, "reasons": g.texts(reasons, "reasons"), **who}


def report_accepted(self: CaseRecord, report_id: str, actor_id: str, actor_role: str,
                    effective_date: date) -> None:
    report = self.reports[report_id]
    report["status"], report["reviewed_on"] = "accepted", effective_date
    report["history"].append({"change": "accepted", "on": effective_date})


def report_returned(self: CaseRecord, report_id: str, reasons: list[str], actor_id: str,
                    actor_role: str, effective_date: date) -> None:
    report = self.reports[report_id]
    report["status"], report["reviewed_on"] = "returned", effective_date
    report["reasons"] = list(reasons)
    report["history"].append({"change": "returned", "on": effective_date})


def obligations(case: CaseRecord, profile: RuleProfile, as_of: date) -> list[dict[str, Any]]:
    """The reports owed as of a date, each with its report (if any) and overdue flag."""
    result = []
    closed_on = case.closure["on"] if case.closure else None
    for ob in policy.reporting_obligations(profile, first_receipt_on=case.actual_start,
                                           actual_end_on=case.actual_end, as_of=as_of,
                                           closed_on=closed_on):
        report = _report_for(case, ob)
        counted = report is not None and report["status"] != "returned"
        submitted_on = report["submitted_on"] if report and counted else None
        result.append({"kind": ob.kind, "period_start": ob.period_start,
                       "period_end": ob.period_end, "due_on": ob.due_on,
                       "report_id": report["report_id"] if report else ob.report_id,
                       "status": report["status"] if report else None,
                       "overdue": policy.is_overdue(ob, submitted_on, as_of)})
    return result


def _report_for(case: CaseRecord, ob: policy.Obligation) -> r.Report | None:
    # Completion and settlement are owed once: matched by kind, whatever the period.
    whole = ob.kind in (policy.COMPLETION, policy.SETTLEMENT)
    matches = [rep for rep in case.reports.values() if rep["kind"] == ob.kind and (
        whole or (rep["period_start"], rep["period_end"]) == (ob.period_start, ob.period_end))]
    matches.sort(key=lambda rep: rep["status"] == "returned")
    return matches[0] if matches else None
